"""Exercises learners really do: blank in git, strict checks, answers kept apart (scripts/exercises.py).

Static part (fast): every notebook has at least two exercise cells, each holds the `...`
placeholder and is followed by its self-check, and solutions/<notebook>.py has the answer and at
least one plausible wrong answer for it. Executed part (slow, marked): every notebook runs with
the answers filled in and every wrong answer tried right after its self-check - the answers
pass, the wrong ones are rejected (the probe cells fail the notebook otherwise). The blank
notebooks themselves run in `make run` and in nbval.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import exercises  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_exercises_ship_blank_with_a_check_an_answer_and_a_wrong_answer(path):
    assert exercises.problems(path) == []
    assert len(exercises.exercises(json.loads(path.read_text(encoding="utf-8")))) >= 2


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_an_answer_fills_only_the_blank_lines(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    answers = exercises.read_solutions(exercises.SOLUTIONS / f"{path.stem}.py")
    solved = exercises.solved(nb, answers)
    for index, ex_id in exercises.exercises(nb):
        before = "".join(nb["cells"][index]["source"]).splitlines()
        after = solved["cells"][index]["source"].splitlines()
        assert "..." not in "\n".join(after), f"{ex_id}: the answer still has a blank"
        kept = [line for line in before if not exercises._PLACEHOLDER.match(line)]
        assert all(line in after for line in kept), f"{ex_id}: lines around the blank must stay"


def test_problems_catch_an_answer_typed_into_the_learners_notebook(tmp_path):
    nb = {"cells": [
        {"cell_type": "code", "metadata": {"tags": ["exercise"]}, "source": "# 연습 99-1: x\nx = 42\n"},
        {"cell_type": "code", "metadata": {"tags": ["self-check"]}, "source": "if answered(x):\n    assert x == 42\n"},
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "99_sample.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    found = exercises.problems(path)
    assert any("빈칸" in line for line in found) and any("답이 없습니다" in line for line in found)


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_answers_pass_and_every_wrong_answer_is_rejected(path, tmp_path, monkeypatch):
    import nbformat

    from notebook_kernel import execute, text_lines

    nb = json.loads(path.read_text(encoding="utf-8"))
    answers = exercises.read_solutions(exercises.SOLUTIONS / f"{path.stem}.py")
    probed = exercises.solved(nb, answers, with_probes=True)
    target = tmp_path / path.name
    target.write_text(json.dumps(probed, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("BERTVEC_MODEL", "embedded")
    executed = execute(target, ROOT / "notebooks")  # a probe cell raises if a check accepts a wrong answer
    text = "\n".join(text_lines(executed))
    wrong = sum(len(a.wrong) for a in answers.values())
    assert text.count(" rejected") == wrong, "every wrong answer must be rejected by its self-check"
    also = sum(len(a.also) for a in answers.values())
    assert text.count(" accepted") == also, "every right answer in another form (NumPy, tensor) must pass its self-check"
    assert text.count("정답입니다") >= len(answers), "every answer must pass its self-check"
    assert "아직 답을 쓰지 않았습니다" not in text
    nbformat.validate(executed)


def test_answered_is_false_for_the_blank_none_and_the_placeholder_typed_as_a_string(capsys):
    import numpy as np

    from helpers.errors import BertvecWarning, InputError
    from helpers.exercises import BLANK_MESSAGE, answered

    assert answered(...) is False and answered([1, ...]) is False and answered({"a": {"b": ...}}) is False
    assert answered(np.array([1, ...], dtype=object)) is False  # a blank inside an array
    for value, match in ((None, "None"), ("...", "'...'")):
        with pytest.warns(BertvecWarning, match=f"answered\\(\\).*{match}"):
            assert answered(value) is False
    assert BLANK_MESSAGE in capsys.readouterr().out
    with pytest.raises(InputError, match="values"):
        answered()
    # real answers, also falsy ones and arrays, are answers
    assert all(answered(v) for v in (0, "", [], 42, "...안녕", np.array([1, 2]), np.int64(3), [0, None]))
