"""The contract of the whole public API: every helper a notebook can import checks its arguments.

The helpers are the ones the notebooks import (found as tests/test_code_map.py finds them) plus
the functions `helpers/__init__.py` exports. Each must carry `@door` (helpers/door.py), and each
of its parameters must have an annotation or a role the door knows by name. Then, from each
signature, every argument in turn gets wrong values - the wrong kind, "False" for a bool, an
empty list, NaN, a tensor for a list and the reverse, a single string for a list of sentences,
0 for a count, the model for the tokenizer - with the other arguments valid, plus an unknown
keyword and one positional argument too many. Every such call must end in a BertvecError (or a
BertvecWarning) whose message names the helper and the argument: not a raw library error, not a
silent return, not a hang (each call has a time limit).
"""

from __future__ import annotations

import importlib
import inspect
import signal
import sys
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints
import types

import numpy as np
import pandas as pd
import pytest
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_code_map  # noqa: E402

import helpers  # noqa: E402
from helpers.door import COUNTS, POSITIVE, ROLES  # noqa: E402
from helpers.errors import BertvecError, BertvecWarning  # noqa: E402

SECONDS_PER_CALL = 10


def public_helpers() -> dict[str, Callable]:
    """{name: function} of every function a notebook imports from helpers, and of helpers.__all__."""
    names = set(test_code_map._helpers_used()) | set(helpers.__all__)
    found = {}
    for name, places in test_code_map._public_definitions().items():
        if name in names:
            for module_file, _ in places:
                value = getattr(importlib.import_module(f"helpers.{module_file[:-3]}"), name)
                if inspect.isfunction(value):
                    found[name] = value
    return dict(sorted(found.items()))


HELPERS = public_helpers()


# --- what a hint admits, told independently of the door --------------------------------------------

def kinds(hint: Any) -> set[str]:
    """The plain kinds of value `hint` admits ("any", "none", "int", "list", "class:Name", ...)."""
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        return set().union(*(kinds(arm) for arm in get_args(hint)))
    if hint is Any or hint is object:
        return {"any"}
    simple = {type(None): "none", None: "none", bool: "bool", int: "int", str: "str", Path: "path",
              torch.Tensor: "tensor", np.ndarray: "array"}
    if hint in simple:
        return {simple[hint]}
    if hint is float:
        return {"float", "int"}
    if origin is Literal:
        return {"literal"}
    if origin in (Sequence, list, tuple) or hint in (list, tuple):
        return {"list"}
    if origin in (Mapping, dict) or hint is dict:
        return {"dict"}
    if origin is Iterable:
        return {"iter"}
    if origin is Callable:
        return {"callable"}
    return {f"class:{getattr(hint, '__name__', hint)}"}


NAN = float("nan")
# (label, the value, the kinds for which it is a right value); "any" admits everything.
CANDIDATES: list[tuple[str, Callable[[], Any], set[str]]] = [
    ("None", lambda: None, {"none"}),
    ("object()", object, set()),
    ("'False'", lambda: "False", {"str", "path"}),
    ("a single sentence", lambda: "한 문장입니다", {"str", "path"}),
    ("7", lambda: 7, {"int", "float"}),
    ("2.5", lambda: 2.5, {"float"}),
    ("NaN", lambda: NAN, set()),
    ("True", lambda: True, {"bool"}),
    ("[]", list, set()),
    ("{}", dict, set()),
    ("['문장']", lambda: ["문장"], {"list", "iter"}),
    ("{'a': 1}", lambda: {"a": 1}, {"dict"}),
    ("tensor", lambda: torch.ones(2, 2), {"tensor"}),
    ("NaN tensor", lambda: torch.tensor([[NAN, 1.0]]), set()),
    ("array", lambda: np.ones((2, 2)), {"array"}),
]


@dataclass(frozen=True)
class Case:
    helper: str
    argument: str | None  # None: the call as a whole (unknown keyword, one argument too many)
    label: str


def wrong_values(name: str, hint: Any) -> list[tuple[str, Callable[[], Any]]]:
    if hint is Any and name in ROLES:
        values = [("object()", object)] + ([] if name == "choice" else [("a name", lambda: "beomi/kcbert-base")])
        return values + ([] if _accepts_none(name) else [("None", lambda: None)])
    admitted = kinds(hint)
    if "any" in admitted:
        return []
    values = [(label, make) for label, make, right in CANDIDATES if not right & admitted]
    if name in COUNTS and "int" in admitted:
        values += [("0", lambda: 0), ("-1", lambda: -1)]
    if name in POSITIVE:
        values += [("0.0", lambda: 0.0)]
    if "literal" in admitted and "str" not in admitted:
        values += [("'없는_값'", lambda: "없는_값")]
    return values


def _accepts_none(name: str) -> bool:
    try:
        ROLES[name](None)
        return True
    except BertvecError:
        return False


def parameters(function: Callable) -> list[inspect.Parameter]:
    return [p for p in inspect.signature(function).parameters.values() if p.kind is not p.VAR_KEYWORD]


def cases_of(name: str) -> list[Case]:
    function = HELPERS[name]
    hints = get_type_hints(inspect.unwrap(function))
    cases = [Case(name, p.name, label) for p in parameters(function) if p.kind is not p.VAR_POSITIONAL
             for label, _ in wrong_values(p.name, hints.get(p.name, Any))]
    cases.append(Case(name, None, "unknown keyword"))
    if not any(p.kind is p.VAR_POSITIONAL for p in parameters(function)):
        cases.append(Case(name, None, "one positional argument too many"))
    return cases


# --- right values for the other arguments ----------------------------------------------------------

class Right:
    """Right values by name and hint, with a real tokenizer and model (the English MiniLM)."""

    def __init__(self, tokenizer, model):
        from transformers import BertModel

        from helpers.embeddings import WordVectors
        from helpers.finetuning import load_ner
        from helpers.install import model_folder
        from helpers.loading import resolve_model

        self.roles = {"tokenizer": tokenizer, "model": model, "choice": resolve_model(helpers.ENGLISH),
                      "model_class": BertModel, "features": tokenizer(["안녕"], return_tensors="pt"),
                      "model_config": model.config, "config": model.config, "ax": None, "predictions": None}
        self.named = {"folder": model_folder(self.roles["choice"])}
        self.classes = {"TaggedSentence": load_ner("train")[0], "ModelChoice": self.roles["choice"], "Module": model,
                        "WordVectors": WordVectors("a", ["a b"], [["a"]], np.zeros((2, 1, 4))),
                        "Optimizer": torch.optim.SGD(torch.nn.Linear(1, 1).parameters(), lr=0.1),
                        "Linear": torch.nn.Linear(model.config.hidden_size, 2),
                        "DataFrame": pd.DataFrame({"document": ["좋은 영화", "다시 보고 싶어요"], "label": [1, 1]})}

    def value(self, name: str, hint: Any) -> Any:
        if name in COUNTS and int in get_args(hint) + (hint,):
            return COUNTS[name][0]
        if name in POSITIVE:
            return 0.1
        if hint is Any and name in ROLES:
            return self.roles[name]
        if name in self.named:
            return self.named[name]
        origin, args = get_origin(hint), get_args(hint)
        if origin in (Union, types.UnionType):
            return None if type(None) in args else self.value(name, args[0])
        simple = {Any: 1, object: 1, bool: False, int: 1, float: 0.5, str: "문장", Path: Path("."),
                  torch.Tensor: torch.ones(2, 3), np.ndarray: np.ones((2, 3))}
        if hint in simple:
            return simple[hint]
        if origin is Literal:
            return args[0]
        if origin in (Sequence, list, tuple):
            return [self.value(name, args[0])] * 2 if args else [1, 2]
        if origin in (Mapping, dict):
            return {self.value(name, args[0]): self.value(name, args[1])} if args else {"a": 1}
        if origin is Iterable:
            return ["문장"]
        if origin is Callable:
            return lambda: None
        return self.classes[hint.__name__]


class Hang(Exception):
    """A call that ran past SECONDS_PER_CALL."""


def _alarm(signum, frame):
    raise Hang()


def outcome(case: Case, right: Right, *, door: bool = True) -> str:
    """'good' (a BertvecError/BertvecWarning naming the helper and the argument), else what happened:
    'silent return', 'hang', 'raw <Error>', 'unnamed <Error>' (a helper error that names neither)."""
    function = HELPERS[case.helper] if door else inspect.unwrap(HELPERS[case.helper])
    hints = get_type_hints(inspect.unwrap(function))
    args, kwargs = [], {}
    for p in parameters(function):
        if p.kind is p.VAR_POSITIONAL:
            continue
        if p.name == case.argument:
            value = dict(wrong_values(p.name, hints.get(p.name, Any)))[case.label]()
        elif p.default is not p.empty:
            value = p.default
        else:
            value = right.value(p.name, hints.get(p.name, Any))
        if p.kind is p.KEYWORD_ONLY:
            kwargs[p.name] = value
        else:
            args.append(value)
    if case.label == "unknown keyword":
        kwargs["no_such_argument"] = 1
    elif case.label == "one positional argument too many":
        args.append(1)  # every positional parameter already has a value
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(SECONDS_PER_CALL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            warnings.simplefilter("error", BertvecWarning)
            result = function(*args, **kwargs)
            if inspect.isgenerator(result):
                next(result)
        return "silent return"
    except Hang:
        return "hang"
    except (BertvecError, BertvecWarning) as error:
        text = str(error)
        named = case.helper in text and (case.argument is None or case.argument in text)
        return "good" if named else f"unnamed {type(error).__name__}"
    except Exception as error:  # noqa: BLE001 - what the contract forbids
        return f"raw {type(error).__name__}"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --- the tests -----------------------------------------------------------------------------------

def test_the_enumeration_finds_the_notebooks_helpers():
    assert {"embed", "load_model", "make_features", "train", "answered", "plot_similarity"} <= set(HELPERS)
    assert len(HELPERS) >= 80


@pytest.mark.parametrize("name", list(HELPERS))
def test_every_public_helper_has_a_door_and_says_what_each_argument_is(name):
    function = HELPERS[name]
    assert getattr(function, "__door__", False), f"{name} has no @door (helpers/door.py)"
    hints = get_type_hints(inspect.unwrap(function))
    loose = [p.name for p in parameters(function) if p.name not in hints and p.name not in ROLES]
    assert not loose, f"{name}: annotate {loose} (or give the name a role in helpers.door.ROLES)"


@pytest.fixture(scope="module")
def right(english_tokenizer, english_model):
    return Right(english_tokenizer, english_model)


@pytest.mark.parametrize("name", list(HELPERS))
def test_every_wrong_argument_ends_in_a_helper_error_that_names_it(name, right):
    bad = [f"{case.argument or '(call)'} = {case.label}: {result}" for case in cases_of(name)
           if (result := outcome(case, right)) != "good"]
    assert not bad, f"{name}:\n" + "\n".join(bad)


def test_the_contract_counts():
    """The closing note quotes these numbers; they only grow."""
    cases = [case for name in HELPERS for case in cases_of(name)]
    assert len(HELPERS) >= 80 and len(cases) >= 500, (len(HELPERS), len(cases))


if __name__ == "__main__":  # the before/after table: python tests/test_contract.py [--without-door]
    from collections import Counter

    from helpers import ENGLISH, load_model, load_tokenizer

    right_values = Right(load_tokenizer(ENGLISH), load_model(ENGLISH))
    all_cases = [case for name in HELPERS for case in cases_of(name)]
    tally = Counter(outcome(case, right_values, door="--without-door" not in sys.argv) for case in all_cases)
    print(f"{len(HELPERS)} helpers, {len(all_cases)} cases:")
    for result, count in tally.most_common():
        print(f"  {count:5d}  {result}")


def test_a_bool_argument_takes_python_s_0_and_1_but_not_other_numbers_or_words():
    """`normalize=1` is how Python spells True; `normalize=2` or `normalize="False"` is a mistake."""
    from helpers import InputError, load_model, load_tokenizer
    from helpers.sentence_vectors import embed

    model, tokenizer = load_model(), load_tokenizer()
    as_bool = embed(["하나", "둘"], model, tokenizer, normalize=True)
    assert np.array_equal(embed(["하나", "둘"], model, tokenizer, normalize=1), as_bool)
    for wrong in (2, "False", 1.0):
        with pytest.raises(InputError, match="embed\\(\\)의 normalize"):
            embed(["하나"], model, tokenizer, normalize=wrong)
