"""Sentence vectors for many sentences at once: `mean_pool`, `pool`, `embed`, `embed_stream`.

Introduced in notebook 05, measured in notebook 07. The book pads every sentence to one fixed
`max_length` and most of that compute is spent on padding. `embed` does the same job in four
steps, and gives the same vectors as one sentence at a time:

1. tokenize every sentence once (`tokenize_all`), cutting those longer than `max_length`
   with a TruncationWarning that names them;
2. sort the sentences by their token count and cut them into batches (`plan_batches`);
3. run the model over each batch padded only to its own longest sentence, and pool the token
   vectors of the real tokens (`pool`);
4. put every vector back at its sentence's place in the input.

Step 3 runs in `helpers.fastpath.Engine`, which adds the speed machinery (packed kernels,
batches side by side, GPU details) without changing what a vector is. `embed_stream` does the
same chunk by chunk, for corpora that do not fit in memory.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace, field
from typing import Iterable, Iterator, Literal, Sequence

import numpy as np
import torch

from . import fastpath
from .checks import (check_max_length, check_right_padded, check_model, check_pair, check_positive_int, check_sentence_stream,
                     check_sentences, eval_mode, refuse_unknown_keywords)
from .errors import InputError, TruncationWarning
from .door import door

Pooling = Literal["mean", "cls", "pooler"]
POOLINGS: tuple[str, ...] = ("mean", "cls", "pooler")


@door
def mean_pool(last_hidden_state: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """Average of the token vectors of real tokens only ([batch, hidden]); padding is excluded.

    Raises InputError for a mask of another shape than [batch, seq] of `last_hidden_state` (a
    mask of another batch) and for a sentence whose mask is all zeros (no token to average).
    Introduced in notebook 05.
    """
    if last_hidden_state.dim() != 3 or tuple(attention_mask.shape) != tuple(last_hidden_state.shape[:2]):
        raise InputError(f"mean_pool()의 attention_mask 셰이프 {tuple(attention_mask.shape)} 가 "
                         f"last_hidden_state 셰이프 {tuple(last_hidden_state.shape)} 와 맞지 않습니다.",
                         "last_hidden_state 는 [문장 수, 토큰 수, hidden], attention_mask 는 같은 [문장 수, 토큰 수] 여야 합니다. "
                         "다른 배치(다른 문장들이나 다른 max_length)의 마스크를 넘긴 것 같습니다.",
                         "out = model(**features) 를 만든 바로 그 features['attention_mask'] 를 넘기세요.")
    empty = (attention_mask.sum(dim=-1) == 0).nonzero().flatten().tolist()
    if empty:
        raise InputError(f"mean_pool()의 attention_mask 에 1이 하나도 없는 문장이 있습니다: 문장 번호 {empty}",
                         "평균 낼 실제 토큰이 없으면 문장 벡터가 0벡터가 되어 유사도를 계산할 수 없습니다.",
                         "토크나이저가 만든 features['attention_mask'] 를 그대로 넘기세요(직접 만든 마스크라면 실제 토큰 자리를 1로).")
    mask = attention_mask.unsqueeze(-1).to(last_hidden_state.dtype)
    summed = (last_hidden_state * mask).sum(dim=1)
    counts = mask.sum(dim=1).clamp(min=1e-9)
    return summed / counts


def pool(outputs, attention_mask: torch.Tensor, pooling: Pooling) -> torch.Tensor:
    """Sentence vectors from a BertModel output with the chosen pooling.

    'mean': attention-mask-aware mean of `last_hidden_state`; 'cls': the [CLS] token vector;
    'pooler': `pooler_output` = tanh(dense([CLS])). Raises InputError (a ValueError) for
    another name, and for 'pooler' on a model without a pooler layer. `embed` calls it (notebook 05).
    """
    check_pooling(pooling)
    if pooling == "mean":
        return mean_pool(outputs.last_hidden_state, attention_mask)
    if pooling != "mean":  # [CLS] and the pooler read position 0: a left-padded row has [PAD] there
        check_right_padded(attention_mask, "pool")
    if pooling == "cls":
        return outputs.last_hidden_state[:, 0]
    if getattr(outputs, "pooler_output", None) is None:
        raise InputError("pooling='pooler' 를 요청했지만 이 모델에는 pooler 층이 없습니다.",
                         "pooler_output 은 [CLS] 벡터 위의 dense+tanh 층에서 나오는데, 모델에 그 층이 없습니다"
                         "(add_pooling_layer=False).", "pooling='mean' 또는 'cls' 를 쓰세요.")
    return outputs.pooler_output


def check_pooling(pooling: str) -> None:
    """InputError unless `pooling` is one of POOLINGS."""
    if pooling not in POOLINGS:
        raise InputError(f"없는 풀링 방식입니다: pooling={pooling!r}",
                         "문장 벡터를 만드는 방법은 'mean', 'cls', 'pooler' 세 가지입니다.",
                         "보통은 pooling='mean' 을 쓰세요.")


# --- step 1 and 2: tokenize once, sort by length, cut into batches --------------------------

@dataclass
class Tokenized:
    """Token ids of many sentences (no padding yet), the positions of those cut at `max_length`
    (`cut`), and how many tokens each cut sentence lost (`dropped[k]` for `cut[k]`)."""

    input_ids: list[list[int]]
    cut: list[int]
    dropped: list[int] = field(default_factory=list)

    @property
    def lengths(self) -> list[int]:
        return [len(ids) for ids in self.input_ids]


@door
def tokenize_all(sentences: Sequence[str], tokenizer, max_length: int) -> Tokenized:
    """Token ids of every sentence in one call of the (fast) tokenizer, cut to `max_length`.

    Every sentence is tokenized in full once (`fastpath.backend_ids`: the Rust backend, all
    cores), so the ids show which sentences are too long and how many tokens each loses. Those
    are then cut the way the tokenizer's own truncation cuts (end of the text dropped, [SEP]
    kept). Introduced in notebook 07.
    """
    ids = fastpath.backend_ids(tokenizer, sentences)
    if ids is None:  # no Rust backend (a Python tokenizer) or one that disagrees: the usual call
        ids = tokenizer(list(sentences), truncation=False, verbose=False, return_attention_mask=False,
                        return_token_type_ids=False)["input_ids"]
    too_long = [i for i, row in enumerate(ids) if len(row) > max_length]
    dropped = [len(ids[i]) - max_length for i in too_long]
    if too_long and tokenizer.truncation_side == "right":
        after = fastpath.specials_after_text(tokenizer)
        for i in too_long:
            ids[i] = ids[i][:max_length - after] + ids[i][len(ids[i]) - after:]
    elif too_long:
        cut = tokenizer([sentences[i] for i in too_long], max_length=max_length, truncation=True,
                        return_attention_mask=False, return_token_type_ids=False)["input_ids"]
        for i, row in zip(too_long, cut):
            ids[i] = row
    return Tokenized(ids, too_long, dropped)


@door
def plan_batches(lengths: Sequence[int], *, batch_size: int = 32,
                 max_tokens: int | None = None) -> list[list[int]]:
    """Sentence positions grouped into batches, longest sentences first.

    Sentences of similar length end up together, so each batch needs little padding. With
    `max_tokens`, a batch also stops growing before `rows x longest length` exceeds it (a token
    budget); a single sentence longer than the budget still gets a batch of its own.
    Lengths are token counts: every sentence has at least one token ([CLS]), so a length below 1
    raises InputError. Introduced in notebook 07.
    """
    short = [i for i, length in enumerate(lengths) if length < 1]
    if short:
        raise InputError(f"plan_batches()의 lengths에 1보다 작은 길이가 있습니다: 위치 {short[:5]} "
                         f"(값 {[lengths[i] for i in short[:5]]})",
                         "lengths 는 문장마다의 토큰 수입니다. 토크나이저를 거친 문장은 [CLS] 와 [SEP] 때문에 토큰이 적어도 2개입니다.",
                         "features['attention_mask'].sum(dim=1).tolist() 처럼 토큰 수를 세어 넘기세요(글자 수나 빈 값이 아닌지 확인).")
    order = sorted(range(len(lengths)), key=lambda i: lengths[i], reverse=True)
    if max_tokens is None:
        return [order[s:s + batch_size] for s in range(0, len(order), batch_size)]
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        width = lengths[current[0]] if current else lengths[i]  # longest comes first
        if current and (len(current) >= batch_size or (len(current) + 1) * width > max_tokens):
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches


@door
def padding_share(lengths: Sequence[int], batches: Sequence[Sequence[int]] | None = None,
                  *, pad_to: int | None = None) -> float:
    """Share (0-1) of the computed positions that are padding.

    With `pad_to`, every sentence is padded to that fixed length (the book's
    `padding="max_length"`); otherwise each batch of `batches` is padded to its own longest.
    Introduced in notebook 07.
    """
    real = sum(lengths)
    if pad_to is not None:
        computed = pad_to * len(lengths)
    else:
        if batches is None:
            raise InputError("padding_share 에 batches 도 pad_to 도 주지 않았습니다.",
                             "패딩 비율은 고정 길이(pad_to) 또는 배치 목록(batches) 중 하나를 알아야 계산합니다.",
                             "padding_share(lengths, pad_to=128) 또는 padding_share(lengths, plan_batches(lengths)) "
                             "처럼 쓰세요.")
        computed = sum(len(b) * max(lengths[i] for i in b) for b in batches)
    return 1.0 - real / computed


_OLD_OPTIONS = {  # what `embed` takes instead of a tokenizer's or sentence-transformers' keyword
    "pad_to_max_length": "인자를 빼세요(embed 는 배치마다 알아서 패딩합니다)",
    "padding": "인자를 빼세요(embed 는 배치마다 알아서 패딩합니다)",
    "truncation": "max_length=... (넘치는 문장은 경고와 함께 잘립니다)",
    "return_tensors": "인자를 빼세요(embed 는 언제나 NumPy 배열을 돌려줍니다)",
    "convert_to_numpy": "인자를 빼세요(embed 는 언제나 NumPy 배열을 돌려줍니다)",
    "normalize_embeddings": "normalize=True",
}


def warn_truncated(tokens: Tokenized, limit: int, offset: int = 0, *, side: str = "right") -> None:
    """TruncationWarning naming the cut sentences (`sentences[i]`: the index in the input, plus
    `offset` in a stream) and how many tokens each lost; the first five are listed."""
    if not tokens.cut:
        return
    more = " ..." if len(tokens.cut) > 5 else ""
    counts = ", ".join(f"sentences[{offset + i}] {n:,}개" for i, n in zip(tokens.cut[:5], tokens.dropped[:5])) + more
    warnings.warn(TruncationWarning(
        f"문장 {len(tokens.cut)}개가 max_length={limit} 토큰보다 길어 {'앞' if side == 'right' else '뒷'}부분만 벡터로 바꿨습니다. "
        f"잘린 토큰 수: {counts}.",
        f"모델은 잘린 {'뒷' if side == 'right' else '앞'}부분을 보지 못하므로, 그 문장의 벡터는 "
        f"{'앞' if side == 'right' else '뒷'}부분만의 뜻을 담습니다(tokenizer.truncation_side='{side}').",
        "긴 문서는 문단으로 나누어 넣으세요."), stacklevel=3)


# --- step 3 and 4: run, pool, put back ------------------------------------------------------

@dataclass
class _Plan:
    """What one call of embed / embed_stream needs, checked once."""

    tokenizer: object
    engine: fastpath.Engine
    pooling: str
    normalize: bool
    batch_size: int
    max_tokens: int | None
    max_length: int

    def vectors(self, tokens: Tokenized, bar) -> np.ndarray:
        batches = plan_batches(tokens.lengths, batch_size=self.batch_size, max_tokens=self.max_tokens)
        pooled = self.engine.run(tokens.input_ids, batches, self.pool_batch, pad_id=self.tokenizer.pad_token_id or 0,
                                 batch_size=self.batch_size, bar=bar)
        if self.normalize:  # each pooling's part separately (embed_poolings puts several side by side)
            parts = 1 if isinstance(self.pooling, str) else len(self.pooling)
            pooled = torch.nn.functional.normalize(pooled.reshape(len(pooled), parts, -1), dim=-1).reshape(len(pooled), -1)
        return pooled.cpu().numpy()

    def pool_batch(self, outputs, attention_mask: torch.Tensor) -> torch.Tensor:
        if not isinstance(self.pooling, str):  # several poolings of one pass, side by side
            return torch.cat([_Plan.pool_batch(replace(self, pooling=p), outputs, attention_mask)
                              for p in self.pooling], dim=-1)
        if self.pooling == "mean":  # pool in float32 even when the model ran in fp16
            return mean_pool(outputs.last_hidden_state.float(), attention_mask)
        return pool(outputs, attention_mask, self.pooling).float()


def _plan(model, tokenizer, *, pooling, normalize, batch_size, max_length, max_tokens, device, precision,
          approximate, prepack, workers) -> _Plan:
    check_pooling(pooling)
    batch_size = check_positive_int("batch_size", batch_size, example=32, meaning="한 번에 모델에 넣는 문장 수")
    if max_tokens is not None:
        max_tokens = check_positive_int("max_tokens", max_tokens, example=4096, meaning="배치 하나의 토큰 수 상한")
    check_model(model)
    check_pair(tokenizer, model)
    limit = int(model.config.max_position_embeddings) if max_length is None else check_max_length(max_length,
                                                                                                  model.config)
    engine = fastpath.Engine(model, device=device, precision=precision, approximate=approximate,
                             prepack=prepack, workers=workers)
    return _Plan(tokenizer, engine, pooling, bool(normalize), batch_size, max_tokens, limit)


@door
def embed(sentences: Sequence[str], model, tokenizer, *, pooling: Pooling = "mean",
          normalize: bool = False, batch_size: int = 32, max_length: int | None = None,
          max_tokens: int | None = None, device: str | torch.device = "auto",
          precision: str = "auto", approximate: str | None = None, prepack: bool | Literal["auto"] = "auto",
          workers: int | None = None, progress: bool = False, **unknown) -> np.ndarray:
    """Sentence vectors [len(sentences), hidden] as float32 NumPy, in input order.

    - `pooling`: 'mean' (mean of real tokens), 'cls' ([CLS] vector) or 'pooler'.
    - `normalize=True` scales every vector to length 1 (cosine similarity = dot product).
    - `batch_size` sentences per batch; `max_tokens` additionally caps rows x length per batch.
    - `max_length` (default: the model's position limit): longer sentences are cut and a
      `TruncationWarning` names which and by how many tokens.
    - `device='auto'` uses the GPU when there is one (the model is moved there) and runs it in
      fp16 there (`precision='auto'`; 'fp32' keeps full precision): close to, not exactly, the
      CPU's vectors. On the CPU the vectors are exact.
    - `approximate='int8'` / `'bf16'`: faster on some CPUs, but the vectors are NOT the same.
    - `prepack` ('auto': the faster of two exact kernels, measured once), `workers`: CPU speed
      options (see `helpers.fastpath`); they never change a vector.
    - `progress=True` shows a tqdm bar.

    A model left in train mode is run in eval mode (dropout off) with a warning, and put back.
    Raises InputError for a bare string, an empty list, non-strings, blank or invisible-only
    sentences, a bad option, and MismatchError for a tokenizer that does not belong to the model.
    Introduced in notebook 05.
    """
    refuse_unknown_keywords("embed", unknown, instead=_OLD_OPTIONS)
    sentences = check_sentences(sentences, tokenizer=tokenizer)
    with eval_mode(model, "embed"):
        plan = _plan(model, tokenizer, pooling=pooling, normalize=normalize, batch_size=batch_size,
                     max_length=max_length, max_tokens=max_tokens, device=device, precision=precision,
                     approximate=approximate, prepack=prepack, workers=workers)
        tokens = tokenize_all(sentences, tokenizer, plan.max_length)
        warn_truncated(tokens, plan.max_length, side=tokenizer.truncation_side)
        with _progress_bar(progress, len(sentences), "embed") as bar:
            return plan.vectors(tokens, bar)


@door
def embed_poolings(sentences: Sequence[str], model, tokenizer, poolings: Sequence[str] = POOLINGS, *,
                   normalize: bool = False, **options) -> dict[str, np.ndarray]:
    """{pooling: vectors} for several poolings from ONE pass of the model over `sentences`.

    Each array equals `embed(sentences, model, tokenizer, pooling=p, normalize=normalize, **options)`;
    running the model once instead of once per pooling is what makes comparing the poolings on a
    real data set affordable on a CPU. Introduced in notebook 05.
    """
    poolings = tuple(poolings)
    if not poolings:
        raise InputError("embed_poolings 에 풀링 방식을 하나도 주지 않았습니다.",
                         "비교할 풀링 방식이 있어야 벡터를 만듭니다.",
                         f"poolings={POOLINGS!r} 처럼 하나 이상 주세요.")
    for pooling in poolings:
        check_pooling(pooling)
    joined = embed(sentences, model, tokenizer, pooling=poolings[0], normalize=normalize, **options) \
        if len(poolings) == 1 else _embed_joined(sentences, model, tokenizer, poolings, normalize, options)
    return dict(zip(poolings, np.split(joined, len(poolings), axis=1)))


def _embed_joined(sentences, model, tokenizer, poolings, normalize, options) -> np.ndarray:
    options = dict(options)
    progress = options.pop("progress", False)
    refuse_unknown_keywords("embed_poolings", {k: v for k, v in options.items() if k not in _EMBED_OPTIONS},
                            instead=_OLD_OPTIONS)
    sentences = check_sentences(sentences, tokenizer=tokenizer)
    with eval_mode(model, "embed_poolings"):
        plan = _plan(model, tokenizer, pooling=poolings[0], normalize=normalize,
                     **{k: options.get(k, d) for k, d in _EMBED_OPTIONS.items()})
        plan.pooling = poolings
        plan.engine.hidden_size *= len(poolings)  # the poolings' vectors side by side in one result row
        tokens = tokenize_all(sentences, tokenizer, plan.max_length)
        warn_truncated(tokens, plan.max_length, side=tokenizer.truncation_side)
        with _progress_bar(progress, len(sentences), "embed") as bar:
            return plan.vectors(tokens, bar)


_EMBED_OPTIONS = {"batch_size": 32, "max_length": None, "max_tokens": None, "device": "auto", "precision": "auto",
                  "approximate": None, "prepack": "auto", "workers": None}


@door
def embed_stream(sentences: Iterable[str], model, tokenizer, *, chunk_size: int = 4096,
                 pooling: Pooling = "mean", normalize: bool = False, batch_size: int = 32,
                 max_length: int | None = None, max_tokens: int | None = None,
                 device: str | torch.device = "auto", precision: str = "auto",
                 approximate: str | None = None, prepack: bool | Literal["auto"] = "auto", workers: int | None = None,
                 progress: bool = True, total: int | None = None, **unknown) -> Iterator[np.ndarray]:
    """Vectors for an iterable of sentences (a file, a generator), `chunk_size` at a time.

    Yields one float32 array [chunk, hidden] per chunk, in input order; concatenated they equal
    `embed(list(sentences), ...)` with the same options. Only one chunk (plus, on a GPU, the
    next one being tokenized) is held in memory, so the peak memory does not grow with the
    corpus. Shows a tqdm progress bar (`total`: the number of sentences, if known). The stream
    and the options are checked at once (a table, a dict or a number is refused: they are not a
    stream of sentences); a bad sentence raises InputError when its chunk is reached, naming
    where that chunk starts in the stream. Introduced in notebook 07.
    """
    refuse_unknown_keywords("embed_stream", unknown, instead=_OLD_OPTIONS)
    check_sentence_stream(sentences)
    chunk_size = check_positive_int("chunk_size", chunk_size, example=4096, meaning="한 번에 처리할 문장 수")
    with eval_mode(model, "embed_stream"):  # the options are checked now, the sentences when read
        plan = _plan(model, tokenizer, pooling=pooling, normalize=normalize, batch_size=batch_size,
                     max_length=max_length, max_tokens=max_tokens, device=device, precision=precision,
                     approximate=approximate, prepack=prepack, workers=workers)
    if total is None and hasattr(sentences, "__len__"):
        total = len(sentences)  # type: ignore[arg-type]

    def prepare(chunk: list[str], offset: int) -> Tokenized:
        try:
            checked = check_sentences(chunk, tokenizer=tokenizer)
        except InputError as exc:
            raise InputError(f"[스트림의 {offset}번째 문장부터 시작하는 청크] {exc.what}", exc.why, exc.fix) from None
        return tokenize_all(checked, tokenizer, plan.max_length)

    def generate() -> Iterator[np.ndarray]:
        overlap = plan.engine.device.type == "cuda"
        with _progress_bar(progress, total, "embed_stream") as bar, eval_mode(model, "embed_stream"):
            for offset, tokens in fastpath.prepared_chunks(sentences, chunk_size, prepare, overlap=overlap):
                warn_truncated(tokens, plan.max_length, offset, side=tokenizer.truncation_side)
                vectors = plan.vectors(tokens, bar)
                fastpath.return_freed_memory()
                yield vectors

    return generate()


def _progress_bar(enabled: bool, total: int | None, desc: str):
    from tqdm.auto import tqdm

    return tqdm(total=total, disable=not enabled, unit="문장", desc=desc)
