"""Sphinx configuration of the HTML book (built by scripts/build_book.py, not by hand).

The book shows the notebooks that `make run` already executed (build/notebooks): myst-nb
renders their stored outputs and never runs them again (`nb_execution_mode = "off"`). Every
asset is local (theme files, search index, pictures), so the book opens without a network;
build_book.py fails the build if a page would load anything from another host.
"""

from __future__ import annotations

project = "bertvec-notebooks"
author = "bertvec-notebooks 기여자"
copyright = "bertvec-notebooks 기여자"
language = "ko"

extensions = ["myst_nb"]
nb_execution_mode = "off"          # reuse the outputs of `make run`; never execute twice
nb_merge_streams = True            # one block per cell for stdout, not one per print call
nb_output_stderr = "show"          # warnings stay visible (the font check reads them too)
myst_enable_extensions: list[str] = []  # no dollar math: no page needs MathJax (CDN)
suppress_warnings = ["mystnb.unknown_mime_type"]

exclude_patterns = ["_build", "**.ipynb_checkpoints"]
source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb"}

html_theme = "sphinx_book_theme"
html_title = "BERT로 단어와 문장을 벡터로"
html_static_path = ["_static"]
html_css_files = ["book.css"]
html_show_sourcelink = False
html_copy_source = False
html_last_updated_fmt = None
html_theme_options = {
    "show_toc_level": 2,
    "navigation_with_keys": False,
}
