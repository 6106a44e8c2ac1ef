"""Notebooks in git: outputs cleared, metadata normalized, Korean prose, model stated."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import clean_notebooks  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
EXPECTED = ["00_overview", "01_install", "02_tokenizer", "03_model", "04_features", "05_embeddings",
            "06_finetuning", "07_fast_embedding"]


def test_the_series_has_its_numbered_notebooks_in_order():
    numbered = [p.stem for p in NOTEBOOKS if re.match(r"\d\d_", p.stem)]
    assert numbered[: len(EXPECTED)] == EXPECTED
    assert all(p.stem[:2].isdigit() for p in NOTEBOOKS), "every notebook is numbered (NN_name.ipynb)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_clean(path):
    assert clean_notebooks.problems(path) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_prose_is_korean_and_it_states_the_model(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    markdown = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    code = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert re.search("[\uac00-\ud7a3]", markdown), "markdown has no Korean prose"
    assert "show_model_choice(" in code, "every notebook must print which model ran"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_states_its_time_its_place_in_the_book_and_ends_with_a_recap(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    markdown = ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    head = next(m for m in markdown if m.startswith("# "))
    assert re.search(r"\*\*예상 시간\*\* 약 \d+분", head), "the title cell states the learner's time"
    assert "**책에서**" in head, "the title cell says where the chapter is in the book"
    recap = next((m for m in markdown if m.startswith("## 정리")), None)
    assert recap is not None and len([line for line in recap.splitlines() if line.startswith("- ")]) == 3, \
        "a three-line recap (## 정리 with three bullet points)"


def _stated_minutes(path: Path) -> int:
    head = next("".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
                if c["cell_type"] == "markdown" and "".join(c["source"]).startswith("# "))
    return int(re.search(r"예상 시간\*\* 약 (\d+)분", head).group(1))


def test_stated_times_agree_between_notebooks_and_readme():
    """Each notebook's header time is the README table's, and the README's total for the book's
    section (00-05) is their sum, to the nearest half hour."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        row = re.search(rf"^\| `notebooks/{re.escape(path.name)}` \|.*?\| (\d+)분 \|", readme, re.M)
        assert row and int(row.group(1)) == _stated_minutes(path), path.name
    total = sum(_stated_minutes(p) for p in NOTEBOOKS[:6]) / 60
    stated = re.search(r"00~05장이 책의 3-6절입니다\([^)]*?약 (\d+(?:\.\d+)?)시간(?: (\d+)분)?\)", readme)
    hours = float(stated.group(1)) + (int(stated.group(2) or 0) / 60)
    assert abs(hours - total) <= 0.5, (hours, total)


def test_problems_detects_outputs_and_unnormalized_metadata(tmp_path):
    nb = clean_notebooks.clean({"cells": [{"cell_type": "code", "source": "1+1", "metadata": {}}]})
    path = tmp_path / "x.ipynb"
    path.write_text(clean_notebooks.dumps(nb), encoding="utf-8")
    assert clean_notebooks.problems(path) == []
    nb["cells"][0]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "2"}]
    nb["cells"][0]["execution_count"] = 3
    nb["metadata"]["widgets"] = {"state": {}}
    path.write_text(json.dumps(nb), encoding="utf-8")
    found = clean_notebooks.problems(path)
    assert len(found) == 2 and "출력" in found[0]
    clean_notebooks.main([str(path)])
    assert clean_notebooks.problems(path) == []
