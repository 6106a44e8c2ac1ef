"""Real Korean data shipped with the project (package data in `helpers/data/`).

- NSMC: 10,000 Naver movie reviews (CC0 1.0, e9t/nsmc), label 0 negative / 1 positive (notebooks 06, 07).
- KLUE-STS v1.1 dev: 519 sentence pairs with a gold similarity 0-5 (CC BY-SA 4.0, KLUE) (notebook 05).
- A word-list filter for reviews a lesson prints (`is_printable_review`): real web comments contain rude words.

Each folder holds the data, its licence and a README saying where it came from and how it was drawn.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError
from .door import door

DATA_DIR = Path(__file__).resolve().parent / "data"
NSMC_FILE = DATA_DIR / "nsmc" / "nsmc_sample_10k.tsv"
"""10,000 NSMC reviews (TSV: id, document, label, rating)."""
KLUE_STS_FILE = DATA_DIR / "klue-sts" / "klue-sts-v1.1_dev.json"
"""The 519 KLUE-STS v1.1 dev pairs (KLUE's own JSON)."""
PROFANITY_FILE = DATA_DIR / "profanity_ko.txt"
"""Words a lesson must not print, one per line ('#' lines are comments)."""

NSMC_LABELS: tuple[str, ...] = ("부정", "긍정")
"""NSMC label names in label-id order (0 = ratings 1-4, 1 = ratings 9-10)."""


# --- NSMC -----------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _nsmc() -> pd.DataFrame:
    return pd.read_csv(NSMC_FILE, sep="\t", dtype={"id": "int64", "document": str, "label": "int64",
                                                   "rating": "int64"}, keep_default_na=False, quoting=3)


@door
def load_nsmc() -> pd.DataFrame:
    """All 10,000 shipped NSMC reviews: columns id, document, label (0/1), rating (1-10). A fresh copy.
    Introduced in notebook 07."""
    return _nsmc().copy()


@door
def nsmc_split(train_size: int, test_size: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A fixed, disjoint, label-balanced (half 0, half 1) train/test split of the shipped reviews.

    The same (train_size, test_size, seed) always gives the same rows; the test rows are drawn
    first, so a larger `train_size` keeps the same test set. Sizes must be even positive numbers
    whose sum fits in the data. Introduced in notebook 06.
    """
    data = _nsmc()
    for name, size in (("train_size", train_size), ("test_size", test_size)):
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size <= 0 or size % 2:
            raise InputError(f"{name}={size!r} 로는 나눌 수 없습니다.",
                             "부정과 긍정을 같은 수만큼 뽑으므로 크기는 양의 짝수여야 합니다.",
                             f"{name}=2000 처럼 짝수를 넣으세요.")
    per_label = int(data["label"].value_counts().min())
    if (train_size + test_size) // 2 > per_label:
        raise InputError(f"train_size + test_size = {train_size + test_size} 가 데이터보다 큽니다.",
                         f"레이블마다 {per_label}개, 모두 {2 * per_label}개의 후기만 있습니다.",
                         f"두 크기의 합을 {2 * per_label} 이하로 줄이세요.")
    rng = np.random.default_rng(seed)
    train_parts, test_parts = [], []
    for label in (0, 1):
        rows = data.index[data["label"] == label].to_numpy()
        rows = rows[rng.permutation(len(rows))]
        test_parts.append(rows[: test_size // 2])
        train_parts.append(rows[test_size // 2: test_size // 2 + train_size // 2])
    test_rows = np.concatenate(test_parts)[rng.permutation(test_size)]
    train_rows = np.concatenate(train_parts)[rng.permutation(train_size)]
    return data.loc[train_rows].reset_index(drop=True), data.loc[test_rows].reset_index(drop=True)


# --- KLUE-STS -------------------------------------------------------------------------------

@door
def load_klue_sts() -> pd.DataFrame:
    """The 519 KLUE-STS v1.1 dev pairs: columns sentence1, sentence2, score (gold similarity 0-5).
    Introduced in notebook 05."""
    records = json.loads(KLUE_STS_FILE.read_text(encoding="utf-8"))
    return pd.DataFrame({"sentence1": [r["sentence1"] for r in records],
                         "sentence2": [r["sentence2"] for r in records],
                         "score": [float(r["labels"]["label"]) for r in records]})


# --- what a lesson may print ----------------------------------------------------------------

@lru_cache(maxsize=1)
def profanity_words() -> tuple[str, ...]:
    """The filter's word list (`helpers/data/profanity_ko.txt`), lower-cased, without spaces."""
    lines = PROFANITY_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(w for w in ("".join(line.split()).lower() for line in lines if not line.startswith("#")) if w)


def _squeezed(text: str) -> str:
    return "".join(str(text).split()).lower()


@door
def is_printable_review(text: str) -> bool:
    """False when `text`, with spaces removed and lower-cased, contains a word of the filter list.

    Deliberately broad (a clean review may be held back); used to choose reviews a lesson shows.
    Introduced in notebook 07.
    """
    squeezed = _squeezed(text)
    return not any(word in squeezed for word in profanity_words())


@door
def printable(reviews: pd.DataFrame, column: str = "document") -> pd.DataFrame:
    """Only the rows of `reviews` whose `column` passes `is_printable_review`. Introduced in notebook 06."""
    if column not in reviews:
        raise InputError(f"열 {column!r} 이 없습니다: {list(reviews.columns)}",
                         "거를 글이 들어 있는 열의 이름이 필요합니다.", "column='document' 처럼 열 이름을 주세요.")
    texts = reviews[column]
    not_text = texts[~texts.map(lambda value: isinstance(value, str))]
    if len(not_text):
        first = not_text.iloc[0]
        raise InputError(f"printable()의 column={column!r} 열에 글(문자열)이 아닌 값이 {len(not_text)}개 있습니다: "
                         f"줄 {not_text.index[0]!r} 의 {type(first).__name__} {first!r}",
                         "printable() 은 리뷰 글을 읽어 거르므로 column 에는 글이 든 열이 필요합니다"
                         " (레이블이나 빈 값(NaN)은 거를 수 없습니다).",
                         "column='document' 처럼 리뷰 글이 든 열 이름을 주세요. 빈 값이 있다면 reviews.dropna() 로 먼저 빼세요.")
    return reviews[texts.map(is_printable_review)]
