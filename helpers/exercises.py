"""The self-check cells' one helper: has the learner answered yet?

Exercise cells ship with `...` (Python's Ellipsis) where the answer goes. The self-check cell
after each one starts with `if answered(name):` - for a blank it prints that nothing was
answered yet and the notebook runs on; for an answer it checks strictly (plain `assert`s).
The answers themselves live outside the learner notebooks, in `solutions/` (see
`scripts/exercises.py`).
"""

from __future__ import annotations

from typing import Any
from .door import door

BLANK_MESSAGE = "아직 답을 쓰지 않았습니다. 위 셀의 ... 자리에 답을 쓰고 두 셀을 다시 실행해 보세요."


def is_blank(value: Any) -> bool:
    """True for `...` itself, or a tuple / list / dict that still holds one."""
    if value is Ellipsis:
        return True
    if isinstance(value, (tuple, list)):
        return any(is_blank(v) for v in value)
    if isinstance(value, dict):
        return any(is_blank(v) for v in value.values())
    return False


@door
def answered(*values: Any) -> bool:
    """False (and a printed note) while any of `values` is still the `...` placeholder.

    Introduced in notebook 00: every self-check cell of the series begins with it. Introduced in notebook 00.
    """
    if any(is_blank(v) for v in values):
        print(BLANK_MESSAGE)
        return False
    return True
