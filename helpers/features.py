"""Step 04: model inputs (`input_ids`, `token_type_ids`, `attention_mask`) built the safe way.

The book calls `tokenizer(sentences, max_length=10, padding="max_length", truncation=True)`.
That call silently drops every token past `max_length`, and a `max_length` above the model's
position limit only fails later, deep inside torch. `make_features` makes the same call after
checking its inputs, warns when truncation cut tokens (how many, per sentence), and returns
tensors the model accepts. `features_table` / `plot_features` show the result one row per
sentence.
"""

from __future__ import annotations

import warnings
from types import SimpleNamespace
from typing import Any, Sequence

import numpy as np
import pandas as pd

from .checks import (check_features_tokenizer, check_max_length, check_pair, check_sentences, check_tokenizer,
                     refuse_unknown_keywords)
from .errors import InputError, TruncationWarning
from .door import door

PADDINGS: tuple[str, ...] = ("max_length", "longest")
FEATURE_KEYS: tuple[str, ...] = ("input_ids", "token_type_ids", "attention_mask")

_NO_LIMIT = 1_000_000  # tokenizers without a model limit report about 1e30 as model_max_length
DEFAULT_LIMIT = 512
"""Position limit assumed when neither a model config nor the tokenizer states one (BERT-base's)."""


def checked_max_length(tokenizer, max_length: Any, model_config=None, *, caller: str = "make_features") -> int:
    """`max_length` checked against the model's position limit, before anything is tokenized.

    The limit is `model_config.max_position_embeddings` when a config is given (and then the
    tokenizer must match it: MismatchError otherwise), else the tokenizer's `model_max_length`,
    else `DEFAULT_LIMIT` (512). Raises InputError for a tokenizer that is not one, and for a
    `max_length` that is not an int between 3 and the limit.
    """
    check_tokenizer(tokenizer)
    if model_config is not None and not hasattr(model_config, "max_position_embeddings"):
        raise InputError(f"{caller}()의 model_config 자리에 받은 값: {type(model_config).__name__}",
                         "model_config는 모델의 설정(BertConfig: max_position_embeddings, vocab_size)입니다. 토크나이저나 "
                         "이름에는 그 값이 없습니다.", "model_config=model.config 처럼 넘기거나 빼세요.")
    if model_config is not None:
        check_pair(tokenizer, SimpleNamespace(config=model_config))
        return check_max_length(max_length, model_config)
    own = tokenizer.model_max_length
    limit = int(own) if own is not None and own < _NO_LIMIT else DEFAULT_LIMIT
    return check_max_length(max_length, SimpleNamespace(max_position_embeddings=limit))


@door
def count_dropped(tokenizer, sentences: Sequence[str] | Sequence[Sequence[str]], max_length: int,
                  text_pair: Sequence[str] | None = None, *, is_split_into_words: bool = False) -> list[int]:
    """How many tokens truncation to `max_length` drops from each sentence (or pair); 0 = none.

    Counts with the special tokens ([CLS], [SEP]) that the model input holds. With
    `is_split_into_words=True`, each sentence is a list of words (as `encode_tagged` passes them).
    Introduced in notebook 04.
    """
    check_tokenizer(tokenizer)
    encoded = tokenizer([list(s) for s in sentences] if is_split_into_words else list(sentences),
                        list(text_pair) if text_pair is not None else None,
                        is_split_into_words=is_split_into_words, truncation=False, padding=False, verbose=False)
    return [max(0, len(ids) - max_length) for ids in encoded["input_ids"]]


def warn_if_truncated(dropped: Sequence[int], max_length: int) -> None:
    """Issue a TruncationWarning naming every sentence that lost tokens, and how many.

    `dropped` is what `count_dropped` returns. Nothing happens when no sentence was cut.
    """
    cut = {i: n for i, n in enumerate(dropped) if n > 0}
    if not cut:
        return
    detail = ", ".join(f"sentences[{i}] {n}개" for i, n in cut.items())
    warnings.warn(TruncationWarning(
        f"max_length={max_length} 에 맞추느라 토큰을 잘라 냈습니다: {detail}.",
        "truncation=True 는 넘치는 토큰을 경고 없이 버립니다. 모델은 잘린 뒷부분을 보지 못합니다.",
        "일부러 자른 것이 아니라면 max_length 를 늘리세요(모델의 max_position_embeddings 이하)."),
        stacklevel=3)


_OLD_KEYWORDS = {
    "pad_to_max_length": "padding='max_length'",
    "truncation_strategy": "truncation=True (make_features 는 언제나 자릅니다)",
    "return_attention_masks": "attention_mask 는 언제나 함께 나옵니다",
    "max_len": "max_length=...",
}


@door
def make_features(tokenizer, sentences: Sequence[str], *, max_length: int, padding: str | bool = "max_length",
                  text_pair: Sequence[str] | None = None, model_config=None,
                  return_tensors: str | None = "pt", **unknown):
    """The book's tokenizer call, checked: model inputs for `sentences` (and `text_pair`).

    Same as `tokenizer(sentences, text_pair, max_length=..., padding=..., truncation=True,
    return_tensors=...)`, after refusing bad input with an InputError: an empty list, empty or
    non-string items, pair lists of different lengths, a `padding` other than "max_length" /
    "longest" (True means "longest", as in transformers), and a `max_length` above `model_config.max_position_embeddings` (or the
    tokenizer's own limit, or 512, when no config is given: see `checked_max_length`). A model
    or a name passed as `tokenizer` is refused too. With `model_config`, a tokenizer whose
    vocabulary does not match it raises MismatchError. Emits TruncationWarning when tokens were
    cut. Returns a BatchEncoding of tensors (`return_tensors="pt"`) or lists (`None`). Introduced in notebook 04.
    """
    refuse_unknown_keywords("make_features", unknown, instead=_OLD_KEYWORDS)
    check_tokenizer(tokenizer)
    if return_tensors not in ("pt", None):
        raise InputError(f"여기서 쓰지 않는 return_tensors 입니다: {return_tensors!r}",
                         "이 시리즈의 모델은 PyTorch 모델이라 torch 텐서('pt')나 파이썬 리스트(None)만 씁니다"
                         "('tf', 'np' 는 PyTorch 모델에 넣을 수 없습니다).", "return_tensors='pt' 를 쓰세요(기본값).")
    sentences = check_sentences(sentences, tokenizer=tokenizer)
    if text_pair is not None:
        text_pair = check_sentences(text_pair, tokenizer=tokenizer)
        if len(text_pair) != len(sentences):
            raise InputError(f"첫 문장과 둘째 문장의 수가 다릅니다: {len(sentences)}개, {len(text_pair)}개",
                             "문장 쌍은 같은 위치끼리 짝을 짓습니다.", "두 목록의 길이를 맞춰 주세요.")
    if padding is True:
        padding = "longest"  # transformers' own meaning of padding=True
    if padding not in PADDINGS:
        raise InputError(f"여기서 쓰지 않는 padding 입니다: {padding!r}",
                         "텐서로 묶으려면 모든 문장의 길이가 같아야 합니다.",
                         "padding='max_length'(모두 max_length 로) 또는 'longest'(가장 긴 문장에 맞춰)를 쓰세요.")
    max_length = checked_max_length(tokenizer, max_length, model_config, caller="make_features")
    warn_if_truncated(count_dropped(tokenizer, sentences, max_length, text_pair), max_length)
    return tokenizer(sentences, text_pair, max_length=max_length, padding=padding, truncation=True,
                     return_tensors=return_tensors)


def _as_rows(values: Any) -> list[list[int]]:
    """A [batch, seq] tensor, array or nested list as plain nested lists of ints."""
    if hasattr(values, "tolist"):
        values = values.tolist()
    return [list(map(int, row)) for row in values]


def _check_features(features: Any):
    """`features` if it holds `input_ids` (a tokenizer's result), else InputError."""
    if not hasattr(features, "keys") or "input_ids" not in features:
        raise InputError(f"features 자리에 받은 값: {type(features).__name__}",
                         "input_ids 가 든 토크나이저의 결과(BatchEncoding 또는 사전)가 필요합니다.",
                         "features = make_features(tokenizer, 문장들, max_length=...) 의 결과를 넘기세요.")
    return features


def _check_row_count(sentences: Sequence[str], rows: int) -> None:
    if rows != len(sentences):
        raise InputError(f"문장 수와 입력의 줄 수가 다릅니다: 문장 {len(sentences)}개, 입력 {rows}줄",
                         "표와 그림의 각 줄은 한 문장의 입력입니다.", "토크나이저에 넣은 문장 목록을 그대로 넘기세요.")


@door
def features_table(features, tokenizer, sentences: Sequence[str]) -> pd.DataFrame:
    """One block of rows per sentence: its pieces and the three feature rows, by position.

    The index is (sentence, row) with rows '토큰' (the tokens), then `input_ids`, `token_type_ids`,
    `attention_mask` where present; columns are the positions 0..seq-1. Works for lists and
    tensors. Raises InputError for a bare string (wrap it in a list), a model or name instead of
    the tokenizer, and a number of sentences that differs from the number of input rows. Introduced in notebook 04.
    """
    sentences = check_sentences(sentences)
    check_tokenizer(tokenizer)
    ids = _as_rows(_check_features(features)["input_ids"])
    _check_row_count(sentences, len(ids))
    check_features_tokenizer(features, tokenizer, "features_table")
    blocks = []
    for i in range(len(sentences)):
        rows = {"토큰": tokenizer.convert_ids_to_tokens(ids[i])}
        for key in FEATURE_KEYS:
            if key in features:
                rows[key] = _as_rows(features[key])[i]
        blocks.append(pd.DataFrame.from_dict(rows, orient="index"))
    return pd.concat(blocks, keys=list(sentences), names=["문장", "행"])


@door
def plot_features(features, tokenizer, sentences: Sequence[str], *, title: str):
    """Heat maps of `input_ids`, `token_type_ids`, `attention_mask`, one row per sentence.

    Each cell shows its value (the input_ids panel also the piece); colour marks real tokens
    (attention_mask 1) versus padding. `title` should name the tokenizer's model. Returns the
    matplotlib Figure. Call `helpers.plotting.use_korean_font()` first so Hangul renders. Introduced in notebook 04.
    """
    import matplotlib.pyplot as plt

    sentences = check_sentences(sentences)
    check_tokenizer(tokenizer)
    keys = [key for key in FEATURE_KEYS if key in _check_features(features)]
    check_features_tokenizer(features, tokenizer, "plot_features")
    mask = np.array(_as_rows(features["attention_mask"]))
    batch, seq = mask.shape
    _check_row_count(sentences, batch)
    fig, axes = plt.subplots(len(keys), 1, figsize=(min(1.0 + 0.9 * seq, 14), 0.9 + 0.75 * batch * len(keys)),
                             squeeze=False)
    for ax, key in zip(axes[:, 0], keys):
        values = np.array(_as_rows(features[key]))
        shade = mask if key == "input_ids" else values
        ax.imshow(shade, cmap="Blues", vmin=0, vmax=2.5, aspect="auto")
        for r in range(batch):
            pieces = tokenizer.convert_ids_to_tokens(values[r].tolist()) if key == "input_ids" else None
            for c in range(seq):
                text = f"{values[r, c]}\n{pieces[c]}" if pieces else str(values[r, c])
                ax.text(c, r, text, ha="center", va="center", fontsize=8)
        ax.set_yticks(range(batch), [repr(s) for s in sentences])
        ax.set_xticks(range(seq))
        ax.set_title(key, fontsize=10)
    axes[-1, 0].set_xlabel("위치")
    fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    return fig
