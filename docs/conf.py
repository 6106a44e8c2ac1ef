"""Sphinx configuration of the HTML book (built by scripts/build_book.py, not by hand).

The book shows the notebooks that `make run` already executed (build/notebooks): myst-nb
renders their stored outputs and never runs them again (`nb_execution_mode = "off"`). Every
asset is local (theme files, search index, pictures, the Hangul web font), so the book opens
without a network; build_book.py fails the build if a page would load anything from another
host or show a path of the machine that built it.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from korean_search import SearchKorean  # noqa: E402

project = "bertvec-notebooks"
author = "bertvec-notebooks 기여자"
copyright = "2026, bertvec-notebooks 기여자"
language = "ko"

extensions = ["myst_nb", "sphinx_copybutton"]
nb_execution_mode = "off"          # reuse the outputs of `make run`; never execute twice
nb_merge_streams = True            # one block per cell for stdout, not one per print call
nb_output_stderr = "show"          # warnings stay visible (styled as warnings by book.css)
myst_enable_extensions: list[str] = []  # no dollar math: no page needs MathJax (CDN)
suppress_warnings = ["mystnb.unknown_mime_type"]

exclude_patterns = ["_build", "**.ipynb_checkpoints"]
source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb"}

html_theme = "sphinx_book_theme"
html_title = "BERT로 단어와 문장을 벡터로"
html_static_path = ["_static"]
html_css_files = ["book.css"]
html_js_files = ["book.js"]
html_favicon = "_static/favicon.svg"
html_show_sourcelink = False
html_copy_source = False
html_last_updated_fmt = None
html_search_language = "ko"
html_theme_options = {
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "repository_url": "https://github.com/bertvec/bertvec-notebooks",
    "repository_branch": "main",
    "path_to_docs": "",
    "use_download_button": False,       # its links go to _sources/ (not copied): build_book adds real downloads
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "launch_buttons": {"colabUrl": "https://colab.research.google.com"},
    "footer_content_items": ["copyright"],
}
copybutton_prompt_text = ""
copybutton_selector = "div.cell_input pre, div.highlight pre"


def setup(app):
    app.add_search_language(SearchKorean)
