"""The self-check cells' one helper: has the learner answered yet?

Exercise cells ship with `...` (Python's Ellipsis) where the answer goes. The self-check cell
after each one starts with `if answered(name):` - for a blank it prints that nothing was
answered yet and the notebook runs on; for an answer it checks strictly (plain `assert`s).
The answers themselves live outside the learner notebooks, in `solutions/` (see
`scripts/exercises.py`).
"""

from __future__ import annotations

import inspect

import warnings
from typing import Any

import numpy as np

from .door import door
from .errors import BertvecWarning, InputError

BLANK_MESSAGE = "아직 답을 쓰지 않았습니다. 위 셀의 ... 자리에 답을 쓰고 두 셀을 다시 실행해 보세요."


def is_blank(value: Any) -> bool:
    """True for `...` itself, or a tuple / list / set / dict / object array that still holds one."""
    if value is Ellipsis:
        return True
    if isinstance(value, (tuple, list, set, frozenset)):
        return any(is_blank(v) for v in value)
    if isinstance(value, dict):
        return any(is_blank(v) for v in value.values())
    if isinstance(value, np.ndarray) and value.dtype == object:
        return any(is_blank(v) for v in value.ravel().tolist())
    if hasattr(value, "dtype") and hasattr(value, "tolist") and str(getattr(value, "dtype", "")) == "object":
        return any(is_blank(v) for v in value.tolist())  # a pandas Series of objects
    return False


def _not_an_answer(value: Any) -> tuple[str, str, str] | None:
    """Why `value` looks like no answer at all (None, the placeholder typed as a string), else None."""
    if value is None:
        return ("답 자리의 값이 None 입니다.",
                "None 은 답이 아닙니다: 값을 돌려주지 않는 함수(print(...), 리스트.sort(), return 이 없는 def)의 결과를 "
                "담았거나 답 대신 None 을 적었습니다.",
                "... 자리에 값을 만드는 식을 쓰세요 (예: sorted(리스트) 는 새 리스트를 돌려주지만 리스트.sort() 는 None 을 돌려줍니다).")
    if inspect.isroutine(value) or isinstance(value, type):
        name = getattr(value, "__name__", type(value).__name__)
        return (f"답 자리의 값이 함수(또는 메서드) {name} 자체입니다.",
                "괄호 없이 이름만 쓰면 함수를 부르지 않고 함수 자체를 담습니다. 이 시리즈의 연습 답은 모두 함수를 불러 얻은 "
                "값(수, 텐서, 배열)입니다.",
                f"괄호를 붙여 불러 그 결과를 담으세요. 예: {name}(...) 처럼.")
    if isinstance(value, str) and value.strip() in {"...", "…"}:
        return (f"답 자리의 값이 문자열 {value!r} 입니다.",
                "따옴표로 감싼 '...' 은 빈칸 표시일 뿐 답이 아닙니다.",
                "따옴표까지 지우고 그 자리에 답을 쓰세요.")
    return None


@door
def answered(*values: Any) -> bool:
    """False (and a printed note) while any of `values` is still the `...` placeholder.

    None and the placeholder typed as a string ('...') are not answers either: False, with a
    BertvecWarning saying why (None is what print(), list.sort() and a def without return give).
    Called with nothing, it raises InputError. Introduced in notebook 00.
    """
    if not values:
        raise InputError("answered()에 확인할 값(values)을 하나도 넘기지 않았습니다.",
                         "answered(x) 는 연습 칸에서 만든 답 x 가 아직 빈칸(...)인지 봅니다.",
                         "확인할 답의 이름을 넘기세요. 예: if answered(n_unk):")
    if any(is_blank(v) for v in values):
        print(BLANK_MESSAGE)
        return False
    for value in values:
        reason = _not_an_answer(value)
        if reason is not None:
            what, why, fix = reason
            warnings.warn(BertvecWarning(f"answered(): {what}", why, fix), stacklevel=2)
            print(BLANK_MESSAGE)
            return False
    return True
