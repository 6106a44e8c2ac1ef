"""Colab: every notebook's link and setup cell (scripts/colab.py), and what that cell would do.

The setup cell holds IPython `!` and `%` lines, so it is turned into Python with IPython's
own transformer and run against a recording shell: outside Colab it must do nothing; with a
`google.colab` module present it must clone this repository and install exactly the pinned
packages that Colab lacks - never torch.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import colab  # noqa: E402
from clean_notebooks import problems  # noqa: E402

from helpers.install import COLAB_PROVIDES, read_pins  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
REPO = colab.repository_url()


class RecordingShell:
    """Stands in for `get_ipython()`: records `!` commands (with {expressions} expanded) and magics."""

    def __init__(self, namespace: dict):
        self.namespace = namespace
        self.calls: list[tuple[str, str]] = []

    def system(self, command: str) -> None:
        expanded = re.sub(r"\{(.+?)\}(?!\})", lambda m: str(eval(m.group(1), self.namespace)), command)
        self.calls.append(("system", expanded))

    def run_line_magic(self, name: str, line: str) -> None:
        self.calls.append((name, line))


def run_setup_cell(source: str) -> list[tuple[str, str]]:
    from IPython.core.inputtransformer2 import TransformerManager

    code = TransformerManager().transform_cell(source)
    namespace: dict = {}
    shell = RecordingShell(namespace)
    namespace["get_ipython"] = lambda: shell
    exec(compile(code, "<colab setup cell>", "exec"), namespace)
    return shell.calls


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    return "".join(cell["source"])


def test_colab_url_is_built_from_the_configured_repository():
    assert REPO == "https://github.com/bertvec/bertvec-notebooks"
    assert colab.colab_url("02_tokenizer.ipynb", REPO) == (
        "https://colab.research.google.com/github/bertvec/bertvec-notebooks/blob/main/notebooks/02_tokenizer.ipynb")


@pytest.mark.parametrize("url", ["https://gitlab.com/a/b", "https://github.com/only-owner", "not a url"])
def test_non_github_repository_urls_are_refused(url):
    with pytest.raises(ValueError, match="github.com"):
        colab.colab_url("01_install.ipynb", url)


def test_setup_cell_does_nothing_outside_colab(monkeypatch):
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    assert run_setup_cell(colab.setup_source(REPO)) == []


def test_setup_cell_in_colab_clones_the_repository_and_installs_the_pins_except_torch(monkeypatch):
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    calls = run_setup_cell(colab.setup_source(REPO))
    commands = [line for kind, line in calls if kind == "system"]
    assert any(f"git clone --depth 1 {REPO}.git" in c for c in commands)
    assert ("cd", "/content/bertvec-notebooks") in calls

    installs = [c for c in commands if c.startswith("pip install") and "-e ." not in c]
    assert len(installs) == 1
    installed = dict(arg.split("==") for arg in installs[0].split()[3:])
    pins = read_pins()
    assert installed == {name: version for name, version in pins.items() if name not in COLAB_PROVIDES}
    assert "torch" not in installed and "torch" in pins


def _copy_of_notebooks(tmp_path: Path) -> list[Path]:
    copies = []
    for path in NOTEBOOKS:
        copies.append(Path(shutil.copy(path, tmp_path / path.name)))
    return copies


def test_script_is_idempotent_and_keeps_notebooks_clean(tmp_path):
    copies = _copy_of_notebooks(tmp_path)
    for path in copies:
        colab.update(path, REPO)
    first = {p: p.read_text(encoding="utf-8") for p in copies}
    assert not any(colab.update(p, REPO) for p in copies), "a second run changed a notebook"
    assert {p: p.read_text(encoding="utf-8") for p in copies} == first
    assert [problem for p in copies for problem in problems(p)] == []


def test_script_replaces_an_old_setup_cell_instead_of_adding_a_second(tmp_path):
    path = tmp_path / "09_demo.ipynb"
    path.write_text(json.dumps({"cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "# 데모"},
        {"cell_type": "code", "metadata": {}, "source": "print('first lesson cell')"},
        {"cell_type": "code", "metadata": {}, "source": 'import sys\nif "google.colab" in sys.modules:\n    !pip install old'},
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    assert colab.update(path, REPO)
    cells = _cells(path)
    assert [c["cell_type"] for c in cells] == ["markdown", "markdown", "code", "code"]
    assert colab.colab_url("09_demo.ipynb", REPO) in _source(cells[0])
    assert _source(cells[2]) == colab.setup_source(REPO)
    assert _source(cells[3]) == "print('first lesson cell')"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_has_its_colab_link_and_setup_cell_first(path):
    cells = _cells(path)
    assert colab.colab_url(path.name, REPO) in _source(cells[0]), "run: python scripts/colab.py notebooks/*.ipynb"
    first_code = next(c for c in cells if c["cell_type"] == "code")
    assert _source(first_code) == colab.setup_source(REPO), "run: python scripts/colab.py notebooks/*.ipynb"
