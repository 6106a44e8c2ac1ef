"""Exercises: blank in the learner notebooks, answers kept apart, checks that reject wrong answers.

    python scripts/exercises.py check notebooks/*.ipynb                 # every exercise has its answer
    python scripts/exercises.py solve --out build/solved notebooks/*.ipynb   # answers filled in
    python scripts/exercises.py probe --out build/probed notebooks/*.ipynb   # + every wrong answer tried

A small equivalent of nbgrader's `generate_assignment`, the other way round: the notebooks in
git are the learners' (exercise cells tagged `exercise`, answers replaced by `...`, each followed
by a cell tagged `self-check`), and the answers live in `solutions/<notebook>.py`, one block per
exercise, with at least one plausible wrong answer each:

    # %% 02-1
    sep_id = tokenizer.convert_tokens_to_ids("[SEP]")
    # %% 02-1 wrong: the id of [CLS]
    sep_id = tokenizer.convert_tokens_to_ids("[CLS]")
    # %% 02-1 also: a NumPy integer (a right answer in another form: the self-check must accept it)
    sep_id = numpy.int64(tokenizer.convert_tokens_to_ids("[SEP]"))

An exercise cell names its block on its first line (`# 연습 02-1: ...`). `solve` puts the answers
in; `probe` also adds, after each self-check, one cell per wrong answer that runs it, runs the
self-check again, fails the notebook if the check accepted it, and puts the right answer back.
CI executes the notebooks as shipped (blank: every check says "not answered yet") and probed.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
EXERCISE_TAG = "exercise"
CHECK_TAG = "self-check"
_ID = re.compile(r"^#\s*연습\s+(\d\d-\d+)")
_BLOCK = re.compile(r"^# %% (\d\d-\d+)( (wrong|also)(?::\s*(.*))?)?\s*$", re.M)
PROBE_MARK = "bertvec-probe"


@dataclass
class Answers:
    """The right answer of one exercise and the wrong ones its check must reject."""

    right: str | None = None
    wrong: list[tuple[str, str]] = field(default_factory=list)  # (why it is wrong, code)
    also: list[tuple[str, str]] = field(default_factory=list)  # (which form, code): right answers written another way


def read_solutions(path: Path) -> dict[str, Answers]:
    """Blocks of a solutions file by exercise id (see the module docstring)."""
    text = path.read_text(encoding="utf-8")
    marks = list(_BLOCK.finditer(text))
    found: dict[str, Answers] = {}
    for mark, following in zip(marks, [*marks[1:], None]):
        code = text[mark.end():following.start() if following else len(text)].strip("\n")
        entry = found.setdefault(mark.group(1), Answers())
        if mark.group(3) == "also":
            entry.also.append((mark.group(4) or "", code))
        elif mark.group(2):
            entry.wrong.append((mark.group(4) or "", code))
        else:
            entry.right = code
    return found


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def exercises(nb: dict) -> list[tuple[int, str]]:
    """(cell index, exercise id) of every exercise cell, in order."""
    found = []
    for index, cell in enumerate(nb["cells"]):
        if EXERCISE_TAG in _tags(cell):
            match = _ID.match(_source(cell))
            if not match:
                raise ValueError(f"셀 {index}: 연습 문제 셀의 첫 줄은 '# 연습 NN-k: ...' 이어야 합니다")
            found.append((index, match.group(1)))
    return found


def problems(path: Path) -> list[str]:
    """Why the exercises of notebook `path` are not as they should be (empty when they are)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    listed = exercises(nb)
    solutions_file = SOLUTIONS / f"{path.stem}.py"
    answers = read_solutions(solutions_file) if solutions_file.exists() else {}
    found = []
    for index, ex_id in listed:
        cell, after = nb["cells"][index], nb["cells"][index + 1] if index + 1 < len(nb["cells"]) else {}
        if "..." not in _source(cell):
            found.append(f"{path.name} {ex_id}: 연습 문제 셀에 빈칸(...)이 없습니다 (답이 적혀 있음)")
        if CHECK_TAG not in _tags(after) or "answered(" not in _source(after):
            found.append(f"{path.name} {ex_id}: 바로 다음 셀이 'if answered(...)' 로 시작하는 self-check 셀이 아닙니다")
        entry = answers.get(ex_id)
        if entry is None or entry.right is None:
            found.append(f"{path.name} {ex_id}: {solutions_file.name} 에 답이 없습니다")
        elif not entry.wrong:
            found.append(f"{path.name} {ex_id}: {solutions_file.name} 에 틀린 답 예시가 없습니다")
    extra = sorted(set(answers) - {ex_id for _, ex_id in listed})
    if extra:
        found.append(f"{path.name}: 노트북에 없는 연습 문제의 답이 있습니다: {extra}")
    return found


_PLACEHOLDER = re.compile(r"^\s*[\w, ]+=\s*\.\.\.\s*(#.*)?$")


def _answer_cell(cell: dict, code: str) -> dict:
    """The exercise cell with its `name = ...` line(s) replaced by the answer; the rest stays."""
    lines = _source(cell).splitlines()
    blanks = [i for i, line in enumerate(lines) if _PLACEHOLDER.match(line)]
    if not blanks:
        raise ValueError(f"연습 문제 셀에 'name = ...' 줄이 없습니다: {lines[0]}")
    filled = copy.deepcopy(cell)
    kept = [line for i, line in enumerate(lines) if i not in blanks[1:]]
    first = blanks[0]
    filled["source"] = "\n".join(kept[:first] + code.splitlines() + kept[first + 1:]) + "\n"
    return filled


def _probe_cell(ex_id: str, number: int, why: str, wrong: str, check: str, right: str) -> dict:
    code = "\n".join([
        f"# {PROBE_MARK} {ex_id}/{number}: {(why or 'a wrong answer').splitlines()[0]} - the self-check above must reject it",
        f"exec(compile({wrong!r}, '<wrong answer {ex_id}/{number}>', 'exec'))",
        "try:",
        f"    exec(compile({check!r}, '<self-check {ex_id}>', 'exec'))",
        "except AssertionError:",
        f"    print('{PROBE_MARK} {ex_id}/{number} rejected')",
        "else:",
        f"    raise AssertionError({f'the self-check of {ex_id} accepted wrong answer {number}: {why}'!r})",
        "finally:",
        f"    exec(compile({right!r}, '<answer {ex_id}>', 'exec'))",
    ])
    return {"cell_type": "code", "id": f"probe-{ex_id}-{number}", "metadata": {"tags": [PROBE_MARK]}, "source": code,
            "outputs": [], "execution_count": None}


def _also_cell(ex_id: str, number: int, why: str, other: str, check: str, right: str) -> dict:
    code = "\n".join([
        f"# {PROBE_MARK} {ex_id}/also{number}: {(why or 'the answer in another form').splitlines()[0]} - the self-check must accept it",
        "try:",
        f"    exec(compile({other!r}, '<answer in another form {ex_id}/{number}>', 'exec'))",
        f"    exec(compile({check!r}, '<self-check {ex_id}>', 'exec'))",
        "finally:",
        f"    exec(compile({right!r}, '<answer {ex_id}>', 'exec'))",
        f"print('{PROBE_MARK} {ex_id}/also{number} accepted')",
    ])
    return {"cell_type": "code", "id": f"probe-{ex_id}-also{number}", "metadata": {"tags": [PROBE_MARK]}, "source": code,
            "outputs": [], "execution_count": None}


def solved(nb: dict, answers: dict[str, Answers], *, with_probes: bool = False) -> dict:
    """A copy of `nb` with every exercise answered (and, with probes, every wrong answer tried)."""
    out = copy.deepcopy(nb)
    cells = []
    listed = dict(exercises(nb))
    for index, cell in enumerate(nb["cells"]):
        if index in listed:
            cells.append(_answer_cell(cell, answers[listed[index]].right))
            continue
        cells.append(cell)
        previous = index - 1
        if with_probes and previous in listed and CHECK_TAG in _tags(cell):
            entry = answers[listed[previous]]
            for number, (why, wrong) in enumerate(entry.wrong, start=1):
                cells.append(_probe_cell(listed[previous], number, why, wrong, _source(cell), entry.right))
            for number, (why, other) in enumerate(entry.also, start=1):
                cells.append(_also_cell(listed[previous], number, why, other, _source(cell), entry.right))
    out["cells"] = cells
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["check", "solve", "probe"])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, help="folder for the solved / probed copies")
    args = parser.parse_args(argv)
    if args.action == "check":
        found = [line for path in args.paths for line in problems(path)]
        print("\n".join(found) or f"연습 문제 {sum(len(exercises(json.loads(p.read_text(encoding='utf-8')))) for p in args.paths)}개: 모두 빈칸, 답과 틀린 답 예시가 있습니다")
        return 1 if found else 0
    if args.out is None:
        parser.error("--out 이 필요합니다")
    args.out.mkdir(parents=True, exist_ok=True)
    for path in args.paths:
        nb = json.loads(path.read_text(encoding="utf-8"))
        answers_file = SOLUTIONS / f"{path.stem}.py"
        answers = read_solutions(answers_file) if answers_file.exists() else {}
        result = solved(nb, answers, with_probes=args.action == "probe")
        (args.out / path.name).write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(args.paths)}개 노트북 -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
