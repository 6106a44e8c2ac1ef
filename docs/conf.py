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


def _repository_url() -> str:
    """`[project.urls] Repository` of pyproject.toml: the same address as the notebooks' Colab cells."""
    import tomllib

    data = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    return data["project"]["urls"]["Repository"].rstrip("/").removesuffix(".git")


project = "bertvec-notebooks"
author = "bertvec-notebooks 기여자"
copyright = "2026, bertvec-notebooks 기여자"
language = "ko"

extensions = ["myst_nb", "sphinx_copybutton"]
nb_execution_mode = "off"          # reuse the outputs of `make run`; never execute twice
nb_merge_streams = False           # build_book.py joins each run of one stream, keeping warnings in order
nb_output_stderr = "show"          # warnings stay visible (styled as warnings by book.css)
myst_enable_extensions: list[str] = []  # no dollar math: no page needs MathJax (CDN)
suppress_warnings = ["mystnb.unknown_mime_type"]
smartquotes = False               # device='cuda' stays as typed (no curly quotes in code-like prose)

exclude_patterns = ["_build", "**.ipynb_checkpoints"]
source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb"}

html_theme = "sphinx_book_theme"
html_title = "BERT로 단어와 문장을 벡터로"
html_static_path = ["_static"]
templates_path = ["_templates"]
html_context = {"default_mode": "auto"}  # the theme's page template reads it: no "Got invalid theme mode" on a first visit
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
    "repository_url": _repository_url(),
    "repository_branch": "main",
    "path_to_docs": "",
    "use_download_button": False,       # its links go to _sources/ (not copied): build_book adds real downloads
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "launch_buttons": {"colab_url": "https://colab.research.google.com"},  # the header's Colab button
    "footer_content_items": ["book-footer.html"],  # Korean footer (docs/_templates)
}
copybutton_prompt_text = ""
copybutton_selector = "div.cell_input pre, div.highlight pre"


def setup(app):
    app.add_search_language(SearchKorean)
