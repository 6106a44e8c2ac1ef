"""Write docs/common_errors.md from the catalogue of common mistakes (helpers.errors.CATALOGUE).

    python scripts/common_errors_page.py

One card per mistake, grouped by the lesson step where it happens (the step of the helper the
example calls, see STEPS): 원인 (what the learner typed), 무엇이 (the error and the first line
of its message) and 해결. Cards instead of a six-column table, so that 해결 is on screen on a
phone and on a laptop without scrolling sideways. `tests/test_errors_catalogue.py` checks that
the page in git is what this writes.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from helpers.errors import CATALOGUE, CatalogueRow, korean_message  # noqa: E402

STEPS: tuple[tuple[str, frozenset[str]], ...] = (
    ("1단계: 코랩 노트북 초기화 (실행 장치)", frozenset({"check_device"})),
    ("2단계: 토크나이저 선언", frozenset({"load_tokenizer", "BertTokenizer"})),
    ("3단계: 모델 초기화", frozenset({"load_model", "check_pair"})),
    ("4단계: 입력값 만들기", frozenset({"check_sentences", "check_max_length", "make_features", "check_model_inputs"})),
    ("5단계: BERT로 단어/문장 수준 벡터 구하기",
     frozenset({"embed", "embed_stream", "run_in_batches", "attention_weights"})),
)
"""(heading, the helpers whose mistakes belong to that step of the textbook chapter)."""
OTHER_STEP = "그 밖의 경우"

_CALL = re.compile(r"\b([A-Za-z_]\w*)\s*\(")
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|{}])")


def step_of(row: CatalogueRow) -> str:
    """The heading of the step a row belongs to: the first helper its example calls."""
    for name in _CALL.findall(row.example):
        for heading, helpers in STEPS:
            if name in helpers:
                return heading
    return OTHER_STEP


def _text(text: str) -> str:
    """Catalogue text as Markdown: `code` spans kept, every other Markdown character literal."""
    parts = re.split(r"(`[^`]+`)", text)
    return "".join(part if part.startswith("`") and part.endswith("`") and len(part) > 1
                   else _SPECIAL.sub(r"\\\1", part) for part in parts)


def example_markdown(example: str) -> str:
    """The example's lines as inline code, one per line (no code block nested in the card's fence)."""
    return "<br>".join(f"`{line}`" for line in example.split("\n"))


def _card(number: int, row: CatalogueRow) -> list[str]:
    return [
        f"### {number}. {_text(row.situation)}",
        "",
        "```{container} error-card",
        f"**원인** {example_markdown(row.example)}",
        "",
        f"**무엇이** `{row.raises}`: {_text(row.first_line)}",
        "",
        f"**해결** {_text(row.fix)}",
        "```",
        "",
    ]


def catalogue_markdown() -> str:
    """`docs/common_errors.md`: the catalogue as a Korean page for learners."""
    lines = [
        "# 자주 만나는 오류와 해결 방법",
        "",
        "노트북의 도우미 함수(`helpers`)는 잘못된 입력을 받으면 torch 깊은 곳의 긴 traceback 대신,",
        "**무엇이** 잘못되었는지(문제가 된 값과 함께), **원인**, **해결** 방법을 한국어로 알려 줍니다.",
        "아래 카드는 배우는 사람이 자주 만나는 경우를 교재의 단계별로 모은 것입니다. 카드마다 그 실수를 하는 코드(원인),",
        "그때 나오는 오류와 메시지의 첫 줄(무엇이), 고치는 방법(해결)이 있습니다.",
        "경고(Warning)는 실행을 멈추지 않고 알려 주기만 합니다.",
        "",
        "```{container} book-web-only",
        "메시지의 첫 줄로 이 페이지를 찾으려면 브라우저의 찾기(Ctrl+F)나 책의 검색 상자를 쓰세요.",
        "```",
        "",
        "이 페이지는 `helpers/errors.py`의 `CATALOGUE`에서 만들어집니다 (`python scripts/common_errors_page.py`).",
        "모든 카드는 `tests/test_errors_catalogue.py`가 실제로 재현해서 메시지를 확인합니다.",
        "",
    ]
    groups: dict[str, list[CatalogueRow]] = {heading: [] for heading, _ in STEPS}
    for row in CATALOGUE:
        groups.setdefault(step_of(row), []).append(row)
    number = 0
    for heading, rows in groups.items():
        if not rows:
            continue
        lines += [f"## {heading}", ""]
        for row in rows:
            number += 1
            lines += _card(number, row)
    lines += [
        "## 메시지 읽는 법",
        "",
        "```text",
        korean_message("무엇을 하려다 무엇이 잘못되었는지 (문제가 된 값)", "왜 안 되는지", "어떻게 고치는지"),
        "```",
        "",
        "오류의 종류는 `from helpers import InputError`처럼 가져와 `except InputError:`로 잡을 수 있습니다.",
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
