"""Notebook 07 (appendix: many sentences, fast): a corpus to time on, a timer, the padding picture.

The sentence-vector API itself is `helpers.sentence_vectors` (`embed`, `embed_stream`); the
speed machinery behind it is `helpers.fastpath`. This module holds what the notebook needs to
*show* why that machinery pays.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from .errors import InputError
from .sentence_vectors import padding_share
from .door import door


@dataclass(frozen=True)
class Timing:
    """The best of `runs` wall-clock times of one call (seconds), and that call's result."""

    seconds: float
    runs: int
    result: object


def best_time(call: Callable[[], object], *, repeats: int = 1, warm_up: bool = True) -> Timing:
    """Time `call()` `repeats` times (after one untimed warm-up call) and keep the fastest:
    other programs slow a run down, never speed it up. Notebook 07 uses it through `take_turns`."""
    if warm_up:
        call()
    times, result = [], None
    for _ in range(max(1, repeats)):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
    return Timing(min(times), len(times), result)


@door
def take_turns(calls: dict[Any, Callable[[], object]], *, rounds: int = 3, warm_up: bool = True) -> dict[Any, Timing]:
    """Time several calls in turns, one of each per round, and keep each one's fastest: a load
    from other programs then falls on all of them alike. With `warm_up`, each call runs once
    untimed first (the first call pays for one-time setup). Introduced in notebook 07."""
    for call in calls.values() if warm_up else ():
        call()
    times: dict[str, list[float]] = {name: [] for name in calls}
    results: dict[str, object] = {}
    for _ in range(max(1, rounds)):
        for name, call in calls.items():
            started = time.perf_counter()
            results[name] = call()
            times[name].append(time.perf_counter() - started)
    return {name: Timing(min(times[name]), len(times[name]), results[name]) for name in calls}


def _project_korean_words() -> list[str]:
    """The words of two or more Hangul syllables in the project's own Korean example data."""
    from .finetuning import DATA_DIR

    words = set()
    for path in sorted(DATA_DIR.glob("*.t[sx][vt]")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                words.update(w for w in line.replace("\t", " ").split()
                             if len(w) >= 2 and all("\uac00" <= ch <= "\ud7a3" for ch in w))
    return sorted(words)


@door
def mixed_length_corpus(tokenizer, n: int = 2000, *, seed: int = 0, median_words: int = 20,
                        max_words: int = 118, min_chars: int = 3, korean: bool = False) -> list[str]:
    """`n` reproducible made-up sentences with a realistic spread of lengths (for speed tests).

    English words are drawn from the tokenizer's own vocabulary (whole alphabetic words, the
    SentencePiece word marker removed). `korean=True` draws Korean words from the project's own
    example sentences (`helpers/data/`) instead: a vocabulary learned from web comments holds
    words no lesson should print. Lengths come from a log-normal distribution between 3 and
    `max_words` words: many short sentences, a few long ones. The text is meaningless; only the
    lengths matter for timing. Introduced in notebook 07.
    """
    if korean:
        vocab = _project_korean_words()
    else:
        vocab = sorted({w.removeprefix("▁") for w in tokenizer.get_vocab()
                        if (word := w.removeprefix("▁")).isalpha() and len(word) >= min_chars and not word.startswith("[")})
    if not vocab:
        raise InputError("토크나이저 어휘에서 단어를 찾지 못했습니다.", "문장을 만들 온전한 단어가 없습니다.",
                         "단어가 든 어휘(WordPiece, SentencePiece)를 가진 토크나이저를 쓰세요.")
    rng = random.Random(seed)
    sentences = []
    for _ in range(n):
        words = int(min(max_words, max(3, rng.lognormvariate(math.log(median_words), 0.7))))
        sentences.append(" ".join(rng.choice(vocab) for _ in range(words)) + ".")
    return sentences


@door
def plot_padding_and_speed(lengths: Sequence[int], batches: Sequence[Sequence[int]], pad_to: int,
                           rates: dict[str, float], *, model_name: str):
    """Figure for notebook 07: which computed positions are real tokens vs padding, the book's
    fixed `pad_to` against per-batch (dynamic) padding, next to the measured sentences/s.

    `rates` maps a method's label to its sentences per second; the title names `model_name` (the
    speeds are that model's). Returns the matplotlib Figure. Introduced in notebook 07.
    """
    import matplotlib.pyplot as plt

    from .plotting import use_korean_font

    use_korean_font()
    fixed = np.zeros((len(lengths), pad_to))
    for row, n in enumerate(lengths):
        fixed[row, :min(n, pad_to)] = 1
    dynamic = np.full((len(lengths), pad_to), np.nan)  # nan = not computed at all
    row = 0
    for batch in batches:
        width = max(lengths[i] for i in batch)
        for i in batch:
            dynamic[row, :width] = 0
            dynamic[row, :lengths[i]] = 1
            row += 1
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.6), gridspec_kw={"width_ratios": [1, 1, 1.1]})
    cmap = plt.get_cmap("Blues").copy()
    cmap.set_bad("white")
    titles = (f"책의 방식: 모두 {pad_to} 토큰으로 패딩\n패딩 {padding_share(lengths, pad_to=pad_to):.0%}",
              f"동적 패딩: 길이순 정렬, 배치마다 패딩\n패딩 {padding_share(lengths, batches):.0%}")
    for ax, grid, title in zip(axes[:2], (fixed, dynamic), titles):
        ax.imshow(np.ma.masked_invalid(grid * 0.8 + 0.15), aspect="auto", cmap=cmap, vmin=0, vmax=1,
                  interpolation="nearest")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("토큰 위치 (진한 칸: 실제 토큰, 연한 칸: 패딩)")
        ax.set_ylabel("문장")
    axes[1].set_ylabel("문장 (긴 것부터)")
    names, values = list(rates), list(rates.values())
    bars = axes[2].barh(names, values, color=["#bbbbbb"] + ["#3b75af"] * (len(values) - 1))
    axes[2].bar_label(bars, labels=[f"{v:.0f}" for v in values], padding=3)
    axes[2].invert_yaxis()
    axes[2].set_xlabel("초당 문장 수 (이번 실행에서 측정)")
    axes[2].set_title("속도 (클수록 빠름)", fontsize=10)
    axes[2].set_xlim(0, max(values) * 1.25)
    fig.suptitle(f"모델: {model_name} (속도는 이 모델로, 이 컴퓨터에서, 이번 실행에서 잰 값)", fontsize=10)
    fig.tight_layout()
    return fig
