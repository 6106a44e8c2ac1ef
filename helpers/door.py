"""The door every public helper's arguments pass through before the helper does any work.

`@door` above a helper reads its signature and type annotations once, and on every call turns a
mistake in the arguments into an `InputError` (what / 원인 / 해결, in Korean) that names the
helper and the argument: an unknown keyword, a missing or extra argument, a value of the wrong
kind, the string "False" for a bool, an empty list, NaN or infinity, a tensor where a list goes
(and the reverse), and a single string where a list of sentences goes (never read as a list of
characters). Parameters left without an annotation are checked by their name (`ROLES`: a
`tokenizer` is a loaded tokenizer, a `model` a loaded model), and counts by their name too
(`COUNTS`: `batch_size`, `epochs`, ... are whole numbers from 1). The checks behind it are the
`check_*` functions of `helpers.checks`.

A pandas Series or a 1-D NumPy array is accepted wherever a sequence is annotated, as the lessons
pass them (`sts["score"]`). `DOORS` lists every helper with a door (tests/test_contract.py checks
that every helper a notebook imports is there).
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import inspect
import math
import numbers
import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import numpy as np
import torch

from .errors import InputError

DOORS: dict[str, Callable] = {}  # "module.name" -> the helper as the notebooks call it

# Counts by their name, in every helper: (an example, what the count is).
COUNTS = {
    "batch_size": (32, "한 번에 모델에 넣는 문장 수"), "epochs": (2, "학습 데이터를 도는 횟수"),
    "chunk_size": (4096, "한 번에 벡터로 바꿔 내놓는 문장 수"), "rounds": (3, "재는 횟수"),
    "n": (2000, "만들 문장 수"), "max_tokens": (4096, "한 배치의 토큰 수 상한"), "pad_to": (128, "패딩한 길이"),
    "max_length": (128, "토큰 개수"), "layers": (12, "층 수"), "n_layers": (12, "층 수"),
    "batch": (2, "문장 수"), "seq": (8, "토큰 수"), "hidden": (768, "은닉 크기"), "num_classes": (2, "분류할 종류 수"),
    "num_tags": (9, "태그 종류 수"), "shown_dims": (8, "보여 줄 차원 수"), "median_words": (20, "단어 수"),
    "max_words": (118, "단어 수"), "min_chars": (3, "글자 수"),
}
POSITIVE = {"lr": "5e-5"}  # real numbers above 0 (the learning rate)


def _module(value: Any) -> None:
    checks.refuse_misplaced("model", value, "load_model")
    if hasattr(value, "vocab_size") and not hasattr(value, "config"):
        raise InputError(f"model 자리에 모델 대신 설정({type(value).__name__})을 받았습니다.",
                         "설정에는 모양만 있고 가중치가 없습니다.",
                         "model = load_model(choice) 로 불러오거나, 설정으로 세려면 bert_parameter_count(config)를 쓰세요.")
    if not hasattr(getattr(value, "config", None), "vocab_size"):
        raise InputError(f"받은 값: {type(value).__name__} {checks.short_repr(value)}",
                         "config 를 가진 모델(load_model 이나 load_head_model 로 불러온 것)이 필요합니다.",
                         "model = load_model(choice) 로 불러오세요.")


def _tokenizer(value: Any) -> None:
    if not checks._is_tokenizer(value):  # its size is the helper's to check: it may know the size expected
        checks.check_tokenizer(value)


def _choice(value: Any) -> None:
    from .loading import ModelChoice

    if not isinstance(value, (ModelChoice, str, Path)) or not str(value).strip():
        raise InputError(f"받은 값: {type(value).__name__} {checks.short_repr(value)}",
                         "resolve_model() 이 돌려준 선택(또는 모델 이름이나 폴더)이 필요합니다.",
                         "choice = resolve_model() 로 만드세요.")


def _model_class(value: Any) -> None:
    if not (isinstance(value, type) and hasattr(value, "from_pretrained")):  # AutoModel... too
        raise InputError(f"받은 값: {type(value).__name__} {checks.short_repr(value)}",
                         "transformers 의 모델 클래스(예: BertForSequenceClassification)가 필요합니다. 객체가 아니라 클래스입니다.",
                         "from transformers import BertForSequenceClassification 로 가져와 괄호 없이 넘기세요.")


def _optional(check: Callable[[Any], None]) -> Callable[[Any], None]:
    return lambda value: None if value is None else check(value)


def _features(value: Any) -> None:
    if not isinstance(value, Mapping) or "input_ids" not in value:
        raise InputError(f"받은 값: {type(value).__name__} {checks.short_repr(value)}",
                         "토크나이저가 돌려준 사전(input_ids 가 든 것)이 필요합니다.",
                         "features = tokenizer(문장들, return_tensors='pt') 로 만드세요.")


def _config(value: Any) -> None:
    if not hasattr(value, "vocab_size") or isinstance(value, (str, Path)):
        raise InputError(f"받은 값: {type(value).__name__} {checks.short_repr(value)}",
                         "모델의 설정(config: vocab_size, hidden_size 등을 가진 것)이 필요합니다.", "예: model.config")


def _axes(value: Any) -> None:
    if not hasattr(value, "imshow"):
        raise InputError(f"받은 값: {type(value).__name__} {checks.short_repr(value)}",
                         "matplotlib 의 Axes(그림 한 칸)가 필요합니다.", "fig, ax = plt.subplots() 의 ax 를 넘기세요.")


def _label_ids(value: Any) -> None:
    if isinstance(value, (list, tuple)) and any(isinstance(item, str) for item in value):
        raise InputError(f"레이블 ID 대신 레이블 이름(문자열)을 받았습니다: {checks.short_repr(value)}",
                         "예측과 정답은 레이블 목록의 번호(정수 ID)로 비교합니다.",
                         "label_set.index(이름) 으로 ID로 바꾸거나 predict(model, features) 의 결과를 넘기세요.")
    if not isinstance(value, (torch.Tensor, np.ndarray, list)):
        raise InputError(f"받은 값: {type(value).__name__} {checks.short_repr(value)}",
                         "예측한 레이블 ID 들(텐서)이 필요합니다.", "predict(model, features) 의 결과를 넘기세요.")


# Parameters without an annotation, checked by what their name means everywhere in the helpers.
ROLES: dict[str, Callable[[Any], None]] = {
    "tokenizer": _tokenizer, "model": _module, "choice": _optional(_choice), "model_class": _model_class,
    "features": _features, "model_config": _optional(_config), "config": _config, "ax": _optional(_axes),
    "predictions": _optional(_label_ids), "predicted": _label_ids, "gold": _label_ids,
}


def door(func: Callable) -> Callable:
    """Check the arguments of `func` against its annotations (and `ROLES`, `COUNTS`) at every
    call, before `func` runs; a mistake becomes an InputError naming `func` and the argument."""
    signature = inspect.signature(func)
    annotations = functools.cache(lambda: get_type_hints(func))  # resolved at the first call: names defined later

    @functools.wraps(func)
    def checked(*args, **kwargs):
        hints = annotations()
        bound = _bind(func.__name__, signature, args, kwargs)
        for name, value in bound.arguments.items():
            parameter = signature.parameters[name]
            if parameter.kind is parameter.VAR_KEYWORD:
                continue  # the helper refuses unknown keywords itself, with what to write instead
            values = value if parameter.kind is parameter.VAR_POSITIONAL else (value,)
            for one in values:
                _check(func.__name__, name, hints.get(name, Any), one)
        return func(*args, **kwargs)

    checked.__door__ = True
    DOORS[f"{func.__module__}.{func.__name__}"] = checked
    return checked


def _bind(helper: str, signature: inspect.Signature, args: tuple, kwargs: dict) -> inspect.BoundArguments:
    parameters = signature.parameters
    if not any(p.kind is p.VAR_KEYWORD for p in parameters.values()):
        checks.refuse_unknown_keywords(helper, {k: v for k, v in kwargs.items() if k not in parameters}, instead={})
    try:
        return signature.bind(*args, **kwargs)
    except TypeError:
        pass
    positional = [p for p in parameters.values() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if len(args) > len(positional):
        named = ", ".join(p.name for p in positional) or "없음"
        raise InputError(f"{helper}()에 위치 인자를 {len(args)}개 받았습니다(이름 없이 받는 인자: {named}).",
                         "나머지 인자는 이름을 붙여야 받습니다(예: max_length=128). 인자의 순서가 다를 수도 있습니다.",
                         f"help({helper})로 인자를 확인하고 이름=값 으로 넘기세요.")
    given = set(list(parameters)[:len(args)]) | set(kwargs)
    missing = [p.name for p in parameters.values() if p.default is p.empty and p.name not in given
               and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    raise InputError(f"{helper}()에 꼭 필요한 인자가 빠졌습니다: {', '.join(missing)}",
                     "이 인자들은 기본값이 없습니다.", f"help({helper})로 인자를 확인하세요.")


def _check(helper: str, name: str, hint: Any, value: Any) -> None:
    where = f"{helper}()의 {name}"
    try:
        if hint is Any and name in ROLES:
            ROLES[name](value)
        elif not _accepts(hint, value):
            if name in ROLES:
                ROLES[name](value)  # its message says what the argument is for
            _refuse_kind(where, name, hint, value)
        else:
            _check_amount(name, hint, value)
    except InputError as error:
        if error.what.startswith(where):
            raise
        named = f"{helper}(): " if name in error.what else f"{where}: "
        raise InputError(named + error.what, error.why, error.fix) from None


def _arms(hint: Any) -> tuple:
    return get_args(hint) if get_origin(hint) in (Union, types.UnionType) else (hint,)


def _is_sequence_hint(hint: Any) -> bool:
    return get_origin(hint) in (Sequence, list, tuple) or hint in (list, tuple)


def _accepts(hint: Any, value: Any) -> bool:
    """True when `value` is what `hint` describes (a str is never a sequence of sentences)."""
    origin, args = get_origin(hint), get_args(hint)
    if hint is Any or hint is object:
        return True
    if origin in (Union, types.UnionType):
        return any(_accepts(arm, value) for arm in args)
    if hint is None or hint is type(None):
        return value is None
    if origin is Literal:
        return isinstance(value, str) and value in args
    if hint is bool:  # 0 and 1 mean False and True in Python; 7 or "False" are mistakes
        return isinstance(value, (bool, np.bool_)) or (isinstance(value, numbers.Integral) and value in (0, 1))
    if hint is int:
        return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))
    if hint is float:
        return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))
    if _is_sequence_hint(hint):
        if isinstance(value, (str, bytes, Mapping, torch.Tensor)) or checks._is_table(value):
            return False
        items = checks._as_sequence(value)
        return isinstance(items, Sequence) and (not args or all(_accepts(args[0], item) for item in items))
    if origin in (Mapping, dict) or hint is dict:
        return isinstance(value, Mapping) and (len(args) < 2 or all(
            _accepts(args[0], k) and _accepts(args[1], v) for k, v in value.items()))
    if origin is Iterable:
        return (not isinstance(value, (str, bytes, Mapping, torch.Tensor, np.ndarray)) and not checks._is_table(value)
                and hasattr(value, "__iter__"))
    if origin is Callable or hint is Callable:
        return callable(value)
    if hint is np.ndarray:  # nested lists of numbers are arrays too (the helper runs np.asarray)
        return isinstance(value, np.ndarray) or isinstance(value, (list, tuple)) and _numbers(value) is not None
    if isinstance(hint, type):
        return isinstance(value, hint)
    return not isinstance(origin, type) or isinstance(value, origin)


def _numbers(value: list | tuple) -> np.ndarray | None:
    """`value` as a NumPy array of numbers, or None when it holds anything else (or is ragged)."""
    try:
        array = np.asarray(value)
    except ValueError:
        return None
    return array if array.dtype.kind in "biuf" else None


def _describe(hint: Any) -> str:
    """What `hint` asks for, in words a learner reads."""
    origin, args = get_origin(hint), get_args(hint)
    if origin in (Union, types.UnionType):
        return " 또는 ".join(_describe(arm) for arm in args)
    if origin is Literal:
        return ", ".join(repr(a) for a in args) + " 중 하나"
    words = {Any: "무엇이든", object: "무엇이든", bool: "True 또는 False", int: "정수(int)", float: "실수(float)", str: "문자열(str)", type(None): "None",
             Path: "경로(Path)", torch.Tensor: "torch 텐서", np.ndarray: "NumPy 배열"}
    if hint in words or hint is None:
        return words.get(hint, "None")
    if _is_sequence_hint(hint):
        return f"{_describe(args[0])}들의 리스트" if args else "리스트"
    if origin in (Mapping, dict) or hint is dict:
        return f"사전(dict: {_describe(args[0])} -> {_describe(args[1])})" if len(args) == 2 else "사전(dict)"
    if origin is Iterable:
        return "하나씩 꺼낼 수 있는 것(리스트, 파일, 제너레이터)"
    if origin is Callable or hint is Callable:
        return "함수(lambda 등)"
    return getattr(hint, "__name__", str(hint))


def _refuse_kind(where: str, name: str, hint: Any, value: Any) -> None:
    arms = _arms(hint)
    wanted = _describe(hint)
    got = f"{type(value).__name__} {checks.short_repr(value)}"
    if bool in arms and isinstance(value, str) and value.strip().lower() in ("true", "false"):
        flag = value.strip().capitalize()
        raise InputError(f"{where}에 문자열 {value!r}를 받았습니다.",
                         f"{name} 인자는 True/False 값입니다. 비어 있지 않은 문자열은 'False'라도 참으로 읽힙니다.",
                         f"따옴표를 빼고 {name}={flag}로 쓰세요.")
    if any(_is_sequence_hint(arm) and get_args(arm)[:1] == (str,) for arm in arms):
        checks._refuse_not_a_list(value)  # a string, a table or a dict where the sentences go: the usual message
    if any(get_origin(arm) is Iterable for arm in arms):
        checks.check_sentence_stream(value)
    sequences = [get_args(arm)[0] for arm in arms if _is_sequence_hint(arm) and get_args(arm)]
    if any(_accepts(hint_, value) for hint_ in sequences):
        raise InputError(f"{where}에 목록 대신 항목 하나를 받았습니다: {got}", f"{name} 인자에는 {wanted}가 필요합니다.",
                         f"하나뿐이라도 리스트로 감싸 주세요: [{checks.short_repr(value, 40)}]")
    if sequences and isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            if not any(_accepts(hint_, item) for hint_ in sequences):
                raise InputError(f"{where}의 {i}번째 항목이 {_describe(sequences[0])} 가 아니라 "
                                 f"{type(item).__name__} {checks.short_repr(item)} 입니다.",
                                 f"{name} 인자에는 {wanted}가 필요합니다.", f"help({where.split('()')[0]})로 인자를 확인하세요.")
    if isinstance(value, torch.Tensor) and any(_is_sequence_hint(arm) for arm in arms):
        raise InputError(f"{where}에 리스트 대신 torch 텐서(셰이프 {tuple(value.shape)})를 받았습니다.",
                         f"{name} 인자에는 {wanted}가 필요합니다.", f"{name}=텐서.tolist() 로 바꿔 넘기세요.")
    if torch.Tensor in arms and isinstance(value, (list, tuple, np.ndarray)) and not sequences:
        raise InputError(f"{where}에 텐서 대신 {type(value).__name__}를 받았습니다: {checks.short_repr(value)}",
                         f"{name} 인자에는 torch 텐서가 필요합니다.", f"torch.tensor({name}) 로 바꿔 넘기세요.")
    if np.ndarray in arms and isinstance(value, (list, tuple)):
        raise InputError(f"{where}에 숫자가 아닌 값이 든 목록을 받았습니다: {got}",
                         f"{name} 인자에는 숫자로 된 NumPy 배열(벡터들)이 필요합니다.",
                         "embed(...) 가 돌려준 벡터처럼 숫자 배열을 넘기세요.")
    if np.ndarray in arms and isinstance(value, torch.Tensor):
        raise InputError(f"{where}에 NumPy 배열 대신 torch 텐서를 받았습니다(셰이프 {tuple(value.shape)}).",
                         f"{name} 인자에는 NumPy 배열이 필요합니다.", "텐서.detach().cpu().numpy() 로 바꿔 넘기세요.")
    choices = [choice for arm in arms if get_origin(arm) is Literal for choice in get_args(arm)]
    fix = (_literal_fix(name, value, choices) if choices else
           f"이름을 붙여 사전으로 넘기세요. 예: {name}={{'이름': 값}}" if any(get_origin(arm) in (Mapping, dict) for arm in arms)
           else f"help({where.split('()')[0]})로 인자를 확인하세요.")
    raise InputError(f"{where}에 쓸 수 없는 값을 받았습니다: {got}", f"{name} 인자에는 {wanted}가 필요합니다.", fix)


def _literal_fix(name: str, value: Any, choices: Sequence[str]) -> str:
    """How to mend a value that is not one of `choices`: pass the field of a result that holds one
    (a whole measurement where its `.precision` goes), a near spelling ('BF16', 'bfloat16',
    torch.bfloat16 -> 'bf16'), or else the first choice as an example."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            inner = getattr(value, field.name)
            if isinstance(inner, str) and inner in choices:
                return (f"{type(value).__name__} 전체가 아니라 그 안의 값을 넘기세요: "
                        f"{name}=<그 변수>.{field.name} (지금은 {inner!r})")
    word = str(value).strip().lower().removeprefix("torch.")
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    allowed = ", ".join(repr(choice) for choice in choices)
    return f"{name}={close[0]!r} 로 쓰세요(쓸 수 있는 값: {allowed})" if close else f"예: {name}={choices[0]!r}"


def _check_amount(name: str, hint: Any, value: Any) -> None:
    """Counts from 1, positive rates, finite numbers, and no empty sequences, tables or tensors."""
    if name in COUNTS and int in _arms(hint) and value is not None:
        example, meaning = COUNTS[name]
        checks.check_positive_int(name, value, example=example, meaning=meaning)
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_, numbers.Integral)):
        if not math.isfinite(value):
            raise InputError(f"받은 값이 유한한 수가 아닙니다: {name}={value}",
                             "NaN 이나 무한대로는 계산 결과가 모두 NaN 이 되거나 비교가 늘 거짓이 됩니다.",
                             "앞 단계에서 NaN 이 생긴 곳을 찾아 고치세요(예: 0으로 나누기).")
        if name in POSITIVE and value <= 0:
            raise InputError(f"0보다 큰 수가 필요합니다: {name}={value}", f"{name} 인자가 0 이하이면 학습이 되지 않습니다.",
                             f"예: {name}={POSITIVE[name]}")
    if np.ndarray in _arms(hint) and isinstance(value, (list, tuple)):
        value = _numbers(value)  # accepted above: numbers only
    if isinstance(value, (torch.Tensor, np.ndarray)):
        _check_array(name, value)
    elif value is not None and any(_is_sequence_hint(arm) or get_origin(arm) in (Mapping, dict, Iterable)
                                   for arm in _arms(hint)):
        if not hasattr(value, "__len__"):
            return  # a generator or a file: read as it goes
        if len(value) == 0:
            _refuse_empty(name)
        if not isinstance(value, Mapping) and not all(_finite(item) for item in checks._as_sequence(value)):
            raise InputError(f"받은 목록에 NaN 이나 무한대가 들어 있습니다: {name}", "NaN 이 하나라도 있으면 결과가 NaN 이 됩니다.",
                             "앞 단계에서 NaN 이 생긴 곳을 찾아 고치세요.")


def _finite(item: Any) -> bool:
    return not isinstance(item, float) or math.isfinite(item)


def _refuse_empty(name: str) -> None:
    raise InputError("빈 값을 받았습니다(항목 0개).", f"{name} 인자에는 항목이 하나 이상 있어야 합니다.",
                     "앞 단계의 결과가 비어 있지 않은지 확인하세요.")


def _check_array(name: str, value: torch.Tensor | np.ndarray) -> None:
    """No empty tensor or array, and no NaN or infinity in a floating one."""
    tensor = torch.as_tensor(value) if isinstance(value, np.ndarray) and value.dtype.kind in "biuf" else value
    if not isinstance(tensor, torch.Tensor):
        return
    if tensor.numel() == 0:
        _refuse_empty(name)
    if tensor.is_floating_point() and not bool(torch.isfinite(tensor).all()):
        raise InputError(f"받은 값에 NaN 이나 무한대가 들어 있습니다(셰이프 {tuple(tensor.shape)}).",
                         "NaN 이 하나라도 있으면 그 뒤의 계산이 모두 NaN 이 됩니다.",
                         "앞 단계에서 NaN 이 생긴 곳을 찾아 고치세요.")


from . import checks  # noqa: E402 - last: helpers.checks puts doors on its own helpers (used at call time only)
