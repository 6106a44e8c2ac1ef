"""Write docs/common_errors.md from the catalogue of common mistakes (helpers.errors.CATALOGUE).

    python scripts/common_errors_page.py

`tests/test_errors_catalogue.py` checks that the page in git is what this writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from helpers.errors import CATALOGUE, korean_message  # noqa: E402


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def catalogue_markdown() -> str:
    """`docs/common_errors.md`: the catalogue as a Korean page for learners."""
    lines = [
        "# 자주 만나는 오류와 해결 방법",
        "",
        "노트북의 도우미 함수(`helpers`)는 잘못된 입력을 받으면 torch 깊은 곳의 긴 traceback 대신,",
        "**무엇이** 잘못되었는지(문제가 된 값과 함께), **원인**, **해결** 방법을 한국어로 알려 줍니다.",
        "아래 표는 배우는 사람이 가장 자주 만나는 경우와 그때 나오는 메시지의 첫 줄입니다.",
        "경고(Warning)는 실행을 멈추지 않고 알려 주기만 합니다.",
        "",
        "이 페이지는 `helpers/errors.py` 의 `CATALOGUE` 에서 만들어집니다 (`python scripts/common_errors_page.py`).",
        "표의 모든 줄은 `tests/test_errors_catalogue.py` 가 실제로 재현해서 메시지를 확인합니다.",
        "",
        "| # | 상황 | 이렇게 하면 | 오류 | 메시지 첫 줄 | 해결 |",
        "|---|---|---|---|---|---|",
    ]
    for number, row in enumerate(CATALOGUE, start=1):
        code = "<br>".join(f"`{_cell(part)}`" for part in row.example.split("\n"))
        lines.append(f"| {number} | {_cell(row.situation)} | {code} | `{row.raises}` | "
                     f"{_cell(row.first_line)} | {_cell(row.fix)} |")
    lines += [
        "",
        "## 메시지 읽는 법",
        "",
        "```text",
        korean_message("무엇을 하려다 무엇이 잘못되었는지 (문제가 된 값)", "왜 안 되는지", "어떻게 고치는지"),
        "```",
        "",
        "오류의 종류는 `from helpers import InputError` 처럼 가져와 `except InputError:` 로 잡을 수 있습니다.",
        "",
    ]
    return "\n".join(lines)


def write_common_errors_page(path: str | Path | None = None) -> Path:
    """Write `catalogue_markdown()` to `docs/common_errors.md` (or `path`); returns the path."""
    target = Path(path) if path is not None else ROOT / "docs" / "common_errors.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(catalogue_markdown(), encoding="utf-8")
    return target


if __name__ == "__main__":
    print(write_common_errors_page())
