"""Sentence vectors for many sentences at once: `embed`, `embed_stream` (step 05 and 06).

The book pads every sentence to one fixed `max_length`; most of that compute is spent on
padding. `embed` tokenizes everything in one call of the fast tokenizer, sorts sentences by
their token count, pads each batch only to its own longest sentence (dynamic padding), runs
under `torch.inference_mode()` - on the CPU with oneDNN kernels on prepacked weights
(`packed_copy`) - and returns the vectors in the original order: the same vectors as one
sentence at a time, only faster. `embed_stream` does the same chunk by chunk
for corpora that do not fit in memory. Notebook 06 measures why this pays.
"""

from __future__ import annotations

import contextlib
import copy
import ctypes
import functools
import itertools
import math
import random
import threading
import warnings
import weakref
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Literal, Sequence

import numpy as np
import torch

from .checks import check_device, check_max_length, check_pair, check_sentences, run_in_batches
from .errors import InputError, TruncationWarning

Pooling = Literal["mean", "cls", "pooler"]
POOLINGS: tuple[str, ...] = ("mean", "cls", "pooler")
Precision = Literal["auto", "fp32", "fp16"]
APPROXIMATIONS: tuple[str, ...] = ("int8", "bf16")


def mean_pool(last_hidden_state: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """Average of the token vectors of real tokens only ([batch, hidden]); padding is excluded."""
    mask = attention_mask.unsqueeze(-1).to(last_hidden_state.dtype)
    summed = (last_hidden_state * mask).sum(dim=1)
    counts = mask.sum(dim=1).clamp(min=1e-9)
    return summed / counts


def pool(outputs, attention_mask: torch.Tensor, pooling: Pooling) -> torch.Tensor:
    """Sentence vectors from a BertModel output with the chosen pooling.

    'mean': attention-mask-aware mean of `last_hidden_state`; 'cls': the [CLS] token vector;
    'pooler': `pooler_output` = tanh(dense([CLS])). Raises InputError (a ValueError) for
    another name, and for 'pooler' on a model without a pooler layer.
    """
    if pooling == "mean":
        return mean_pool(outputs.last_hidden_state, attention_mask)
    if pooling == "cls":
        return outputs.last_hidden_state[:, 0]
    if pooling == "pooler":
        if getattr(outputs, "pooler_output", None) is None:
            raise InputError("pooling='pooler' 를 요청했지만 이 모델에는 pooler 층이 없습니다.",
                             "pooler_output 은 [CLS] 벡터 위의 dense+tanh 층에서 나오는데, 모델에 그 층이 없습니다"
                             "(add_pooling_layer=False).", "pooling='mean' 또는 'cls' 를 쓰세요.")
        return outputs.pooler_output
    _check_pooling(pooling)
    raise AssertionError(pooling)  # unreachable: _check_pooling raised


def _check_pooling(pooling: str) -> None:
    if pooling not in POOLINGS:
        raise InputError(f"pooling={pooling!r} 은(는) 없는 방식입니다.",
                         "문장 벡터를 만드는 방법은 'mean', 'cls', 'pooler' 세 가지입니다.",
                         "보통은 pooling='mean' 을 쓰세요.")


# --- planning: tokenize once, sort by length, cut into batches ------------------------------

@dataclass
class Tokenized:
    """Token ids of many sentences (no padding yet), which of them were cut at `max_length`
    (positions), and how many tokens each cut sentence lost (`dropped[k]` for `truncated[k]`)."""

    input_ids: list[list[int]]
    truncated: list[int]
    dropped: list[int] = field(default_factory=list)

    @property
    def lengths(self) -> list[int]:
        return [len(ids) for ids in self.input_ids]


def tokenize_all(sentences: Sequence[str], tokenizer, max_length: int) -> Tokenized:
    """Token ids of every sentence in one call of the (fast) tokenizer, cut to `max_length`.

    Every sentence is tokenized in full once - in the Rust backend of a fast tokenizer, which
    spreads the work over all cores (`_backend_ids`) - so the ids show which sentences are too
    long and how many tokens each loses (`dropped`). Those are then cut at `max_length` the way
    the tokenizer's own truncation cuts (end of the text dropped, [SEP] kept), and `truncated`
    holds exactly their positions.
    """
    ids = _backend_ids(tokenizer, sentences)
    if ids is None:  # no Rust backend (a Python tokenizer) or one that disagrees: the usual call
        ids = tokenizer(list(sentences), truncation=False, verbose=False, return_attention_mask=False,
                        return_token_type_ids=False)["input_ids"]
    too_long = [i for i, row in enumerate(ids) if len(row) > max_length]
    dropped = [len(ids[i]) - max_length for i in too_long]
    if too_long:
        if tokenizer.truncation_side == "right":
            after = _specials_after_text(tokenizer)
            for i in too_long:
                ids[i] = ids[i][:max_length - after] + ids[i][len(ids[i]) - after:]
        else:
            cut = tokenizer([sentences[i] for i in too_long], max_length=max_length, truncation=True,
                            return_attention_mask=False, return_token_type_ids=False)["input_ids"]
            for i, row in zip(too_long, cut):
                ids[i] = row
    return Tokenized(ids, too_long, dropped)


def _backend_ids(tokenizer, sentences: Sequence[str]) -> list[list[int]] | None:
    """Token ids (no truncation, no padding) straight from a fast tokenizer's Rust backend.

    transformers' call adds per-sentence Python work around the backend (~14 us a sentence
    here): a third of the tokenizing time on 2 cores, most of it with many cores, where the
    backend itself runs in parallel. The backend's truncation and padding settings are switched
    off for the call and put back. Checked against the tokenizer's own call on the first
    sentences; None when there is no backend or the two disagree.
    """
    backend = getattr(tokenizer, "backend_tokenizer", None)
    encode = getattr(backend, "encode_batch_fast", None) or getattr(backend, "encode_batch", None)
    if not getattr(tokenizer, "is_fast", False) or encode is None:
        return None
    truncation, padding = backend.truncation, backend.padding  # the tokenizer's own call changes them too
    probe = list(sentences[:4])
    try:
        expected = tokenizer(probe, truncation=False, verbose=False, return_attention_mask=False,
                             return_token_type_ids=False)["input_ids"]
        backend.no_truncation()
        backend.no_padding()
        ids = [encoding.ids for encoding in encode(list(sentences))]
    finally:
        backend.no_truncation()
        backend.no_padding()
        if truncation:
            backend.enable_truncation(**truncation)
        if padding:
            backend.enable_padding(**padding)
    return ids if ids[:len(probe)] == expected else None


def _specials_after_text(tokenizer) -> int:
    """How many special tokens the tokenizer puts after a sentence's text (1 for BERT's [SEP]);
    right truncation keeps them and drops the end of the text before them."""
    mask = tokenizer("a", return_special_tokens_mask=True)["special_tokens_mask"]
    after = 0
    for flag in reversed(mask):
        if flag != 1:
            break
        after += 1
    return after


def plan_batches(lengths: Sequence[int], *, batch_size: int = 32,
                 max_tokens: int | None = None) -> list[list[int]]:
    """Sentence positions grouped into batches, longest sentences first.

    Sentences of similar length end up together, so each batch needs little padding. With
    `max_tokens`, a batch also stops growing before `rows x longest length` exceeds it (a token
    budget); a single sentence longer than the budget still gets a batch of its own.
    """
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


def padding_share(lengths: Sequence[int], batches: Sequence[Sequence[int]] | None = None,
                  *, pad_to: int | None = None) -> float:
    """Share (0-1) of the computed positions that are padding.

    With `pad_to`, every sentence is padded to that fixed length (the book's
    `padding="max_length"`); otherwise each batch of `batches` is padded to its own longest.
    """
    real = sum(lengths)
    if pad_to is not None:
        computed = pad_to * len(lengths)
    else:
        if batches is None:
            raise InputError("padding_share 에 batches 도 pad_to 도 주지 않았습니다.",
                             "패딩 비율은 고정 길이(pad_to) 또는 배치 묶음(batches) 중 하나를 알아야 계산합니다.",
                             "padding_share(lengths, pad_to=128) 또는 padding_share(lengths, plan_batches(lengths)) "
                             "처럼 쓰세요.")
        computed = sum(len(b) * max(lengths[i] for i in b) for b in batches)
    return 1.0 - real / computed


def _batch_tensors(rows: list[list[int]], pad_id: int, device: torch.device) -> dict[str, torch.Tensor]:
    """Model inputs for token-id rows of different lengths, padded to the longest (`pad_id`).

    Built in NumPy with one copy of all ids (no tensor per row): ~10x faster for big batches,
    which matters on a GPU, where the CPU must keep up with the model.
    """
    lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    mask = np.arange(lengths.max()) < lengths[:, None]
    ids = np.full(mask.shape, pad_id, dtype=np.int64)
    ids[mask] = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64, count=int(lengths.sum()))
    batch = {"input_ids": torch.from_numpy(ids), "attention_mask": torch.from_numpy(mask.astype(np.int64)),
             "token_type_ids": torch.zeros(mask.shape, dtype=torch.long)}
    return {k: _to_device(v, device) for k, v in batch.items()}


def _to_device(tensor: torch.Tensor, device: torch.device) -> torch.Tensor:
    """`tensor` on `device` without waiting: to a GPU through pinned memory, so the copy joins
    the GPU's queue and the CPU goes on preparing the next batch (a plain `.to("cuda")` or
    `torch.as_tensor(..., device="cuda")` of pageable memory waits until the GPU has finished
    all the work queued before it)."""
    if device.type == "cuda":
        return tensor.pin_memory().to(device, non_blocking=True)
    return tensor


# --- running the model ----------------------------------------------------------------------

# Copies of a model made for speed, cached per model together with the weights they were made
# from: a model whose weights changed since (fine-tuning, load_state_dict) gets a fresh copy.
_COPIES: "weakref.WeakKeyDictionary[torch.nn.Module, dict]" = weakref.WeakKeyDictionary()


def _weights_signature(model: torch.nn.Module) -> tuple:
    """Changes whenever a weight is replaced or modified in place (every in-place op bumps
    `_version`), and between train and eval mode."""
    tensors = itertools.chain(model.parameters(), model.buffers())
    return (model.training, *((t.data_ptr(), t._version) for t in tensors))


def _cached_copy(kind: str, model: torch.nn.Module, build):
    """`build(model)`, cached per model and kind until the model's weights change."""
    entry = _COPIES.setdefault(model, {})
    signature = _weights_signature(model)
    if kind not in entry or entry[kind][0] != signature:
        entry[kind] = (signature, build(model))
    return entry[kind][1]


def int8_copy(model: torch.nn.Module) -> torch.nn.Module:
    """An APPROXIMATE copy of `model` whose Linear layers run in dynamic int8 (CPU only).

    Faster on many CPUs, but the vectors change noticeably (measure the cosine against the
    exact vectors before trusting it). The original model is not modified; the copy is cached
    until the model's weights change.
    """
    def build(original: torch.nn.Module) -> torch.nn.Module:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch.ao.quantization announces its deprecation
            from torch.ao.quantization import quantize_dynamic

            return quantize_dynamic(copy.deepcopy(original).cpu().eval(), {torch.nn.Linear}, dtype=torch.qint8)

    return _cached_copy("int8", model, build)


class PackedLinear(torch.nn.Module):
    """A Linear layer whose weight is stored in oneDNN's own blocked layout (packed once), with
    an optional fused GELU. Same fp32 arithmetic as torch.nn.Linear; only the kernel differs."""

    def __init__(self, linear: torch.nn.Linear, activation: str = "none"):
        super().__init__()
        self.activation = activation
        with torch.no_grad():
            # 1024 rows: a hint for the kernel's blocking; any number of rows works
            self.packed_weight = torch.ops.mkldnn._reorder_linear_weight(linear.weight.detach(), 1024)
        self.bias = None if linear.bias is None else linear.bias.detach()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # "none" as the GELU algorithm means the exact (erf) GELU, the one BERT uses
        return torch.ops.mkldnn._linear_pointwise(x, self.packed_weight, self.bias, self.activation, [],
                                                  "none" if self.activation == "gelu" else "")


class PackedOutput(torch.nn.Module):
    """BERT's output block, LayerNorm(dense(h) + residual), with the residual added inside the
    packed Linear's kernel (one pass over the result fewer). Eval mode: no dropout."""

    def __init__(self, block: torch.nn.Module):
        super().__init__()
        self.dense = PackedLinear(block.dense)
        self.LayerNorm = block.LayerNorm

    def forward(self, hidden_states: torch.Tensor, input_tensor: torch.Tensor) -> torch.Tensor:
        added = torch.ops.mkldnn._linear_pointwise.binary(hidden_states, input_tensor, self.dense.packed_weight,
                                                          self.dense.bias, "add")
        return self.LayerNorm(added)


_OUTPUT_BLOCKS = ("BertSelfOutput", "BertOutput")  # forward: LayerNorm(dropout(dense(h)) + input)


def _exact_gelu(module: torch.nn.Module | None) -> bool:
    from transformers.activations import GELUActivation

    return type(module) is GELUActivation and module.act is torch.nn.functional.gelu


def _pack_children(module: torch.nn.Module) -> None:
    """Replace, below `module`, BERT's output blocks by PackedOutput, dense + exact GELU by one
    PackedLinear with the GELU fused, and every other Linear by a PackedLinear."""
    if isinstance(getattr(module, "dense", None), torch.nn.Linear) and _exact_gelu(
            getattr(module, "intermediate_act_fn", None)):  # BertIntermediate
        module.dense = PackedLinear(module.dense, "gelu")
        module.intermediate_act_fn = torch.nn.Identity()
    for name, child in list(module.named_children()):
        if type(child).__name__ in _OUTPUT_BLOCKS:
            setattr(module, name, PackedOutput(child))
        elif type(child) is torch.nn.Linear:
            setattr(module, name, PackedLinear(child))
        else:
            _pack_children(child)


def _can_pack(model: torch.nn.Module) -> bool:
    mkldnn = getattr(torch.ops, "mkldnn", None)
    return (torch.backends.mkldnn.is_available() and hasattr(mkldnn, "_reorder_linear_weight")
            and hasattr(mkldnn, "_linear_pointwise") and hasattr(model, "encoder")
            and all(p.dtype == torch.float32 and p.device.type == "cpu" for p in model.parameters()))


def _pack(model: torch.nn.Module) -> torch.nn.Module | None:
    # Shares every tensor with the model (deepcopy's memo) except the Linear weights it packs.
    shared = {id(t): t for t in itertools.chain(model.parameters(), model.buffers())}
    packed = copy.deepcopy(model, shared)
    _pack_children(packed.encoder)
    return packed if _agrees(model, packed) else None


def _agrees(model: torch.nn.Module, packed: torch.nn.Module) -> bool:
    """Both give the same token vectors on a small probe batch (one row padded)."""
    ids = torch.arange(1, 9).remainder(model.config.vocab_size).repeat(2, 1)
    mask = torch.ones_like(ids)
    mask[1, 5:] = 0
    with torch.inference_mode():
        expected = model(input_ids=ids, attention_mask=mask).last_hidden_state
        got = packed(input_ids=ids, attention_mask=mask).last_hidden_state
    return bool(torch.allclose(expected, got, rtol=1e-4, atol=1e-4))


def packed_copy(model: torch.nn.Module) -> torch.nn.Module | None:
    """An EXACT fp32 copy of `model` for the CPU whose encoder Linear layers run oneDNN kernels
    on weights packed once into oneDNN's layout, with BERT's GELU and residual additions fused
    into those kernels.

    The same vectors as `model` (only the order of additions differs; tested to cosine
    >= 0.99999), measured 1.1-1.2x faster on this 2-core AVX-512 CPU. Only the Linear weights
    are copied (packed); everything else is shared with `model`, which is not modified. The
    copy is checked against `model` on a probe batch and cached until the model's weights
    change. Returns None where it does not apply (no oneDNN in this torch build, a model not
    in fp32 on the CPU, no `encoder`, or a probe that disagrees): then use `model` itself.
    """
    if not _can_pack(model):
        return None
    try:
        return _cached_copy("packed", model, _pack)
    except (RuntimeError, AttributeError, TypeError):  # a torch build whose oneDNN ops differ
        return None


def _prepare_model(model, device: torch.device, approximate: str | None, prepack: bool):
    if not isinstance(prepack, bool):
        raise InputError(f"prepack={prepack!r} 를 받았습니다.", "prepack 은 True 또는 False 입니다.",
                         "보통은 그대로(True) 두세요. False 는 모델을 받은 그대로 실행합니다.")
    if approximate is not None:
        if approximate not in APPROXIMATIONS:
            raise InputError(f"approximate={approximate!r} 는 없는 근사 방식입니다.",
                             "지원하는 근사는 'int8'(동적 양자화, CPU)과 'bf16'(bfloat16 autocast)입니다.",
                             "approximate=None(정확한 벡터), 'int8' 또는 'bf16' 을 쓰세요.")
        if approximate == "int8" and device.type != "cpu":
            raise InputError(f"approximate='int8' 은 CPU 전용인데 device={device} 입니다.",
                             "torch 의 동적 int8 양자화는 CPU 에서만 돕니다.", "device='cpu' 로 실행하세요.")
        if approximate == "int8":
            return int8_copy(model)
    if next(model.parameters()).device != device:
        model.to(device)  # documented side effect: the model moves to the chosen device
    if prepack and approximate is None and device.type == "cpu":
        return packed_copy(model) or model
    return model


def _autocast(device: torch.device, precision: str, approximate: str | None) -> Callable[[], Any]:
    """A function that makes the autocast context for one run (fp16 on a GPU, bf16 when asked
    for): a new context each time, since threads running batches at once need one each."""
    if precision not in ("auto", "fp32", "fp16"):
        raise InputError(f"precision={precision!r} 는 알 수 없는 정밀도입니다.",
                         "'auto', 'fp32', 'fp16' 중 하나여야 합니다.",
                         "보통은 precision='auto'(GPU 면 fp16, CPU 면 fp32)를 쓰세요.")
    half = precision == "fp16" or (precision == "auto" and device.type == "cuda")
    if half and device.type != "cuda":
        raise InputError("precision='fp16' 은 GPU 에서만 씁니다.",
                         "fp16 은 GPU 를 위한 설정이고, CPU 에서는 대개 빨라지지 않습니다.",
                         "CPU 에서는 precision='auto' 나 'fp32' 를 쓰세요(벡터가 조금 달라져도 된다면 approximate='bf16').")
    if approximate == "bf16":  # bfloat16 matmuls: fast on CPUs with bf16 units, vectors change slightly
        return functools.partial(torch.autocast, device.type, dtype=torch.bfloat16)
    if half:
        return functools.partial(torch.autocast, "cuda", dtype=torch.float16)
    return contextlib.nullcontext


def _progress_bar(enabled: bool, total: int | None, desc: str):
    from tqdm.auto import tqdm

    return tqdm(total=total, disable=not enabled, unit="문장", desc=desc)


def _warn_truncated(tokens: Tokenized, limit: int, offset: int = 0) -> None:
    """TruncationWarning naming the cut sentences (position in the input, plus `offset` in a
    stream) and how many tokens each lost; the first five are listed."""
    if tokens.truncated:
        more = " ..." if len(tokens.truncated) > 5 else ""
        shown = ", ".join(str(offset + i) for i in tokens.truncated[:5]) + more
        counts = ", ".join(f"위치 {offset + i}: {n:,}개 잘림"
                           for i, n in zip(tokens.truncated[:5], tokens.dropped[:5])) + more
        warnings.warn(TruncationWarning(
            f"문장 {len(tokens.truncated)}개가 max_length={limit} 토큰보다 길어 앞부분만 벡터로 바꿨습니다 "
            f"(위치: {shown}). 잘린 토큰 수 - {counts}.",
            "모델은 잘린 뒷부분을 보지 못하므로, 그 문장의 벡터는 앞부분만의 뜻을 담습니다.",
            "긴 문서는 문단으로 나누어 넣으세요."), stacklevel=3)


_COUNT_EXAMPLES = {"batch_size": 32, "max_tokens": 4096, "workers": 1}


def _check_options(model, tokenizer, pooling: str, batch_size: int, max_tokens: int | None,
                   max_length: int | None, workers: int | None) -> int:
    _check_pooling(pooling)
    for name, value in (("batch_size", batch_size), ("max_tokens", max_tokens), ("workers", workers)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
            raise InputError(f"{name}={value!r} 를 받았습니다.", f"{name} 는 1 이상의 정수여야 합니다.",
                             f"예: {name}={_COUNT_EXAMPLES[name]}")
    check_pair(tokenizer, model)
    if max_length is None:
        return int(model.config.max_position_embeddings)
    return check_max_length(max_length, model.config)


def _model_mask(model, attention_mask: torch.Tensor, *, padded: bool) -> torch.Tensor | None:
    """The attention mask to give `model` for a batch, made here for PyTorch's SDPA attention.

    transformers builds SDPA's mask itself, but first asks the GPU whether any token is masked
    (`mask.all()`), which makes the CPU wait for the GPU at every batch. For SDPA this gives it
    the finished mask ([batch, 1, 1, length], True = attend; transformers passes a 4-D mask on
    as is), or None for a batch without padding (`padded`, known from the lengths on the CPU).
    Other attention implementations (eager: an additive float mask) and decoder configs (whose
    mask is also causal) get the 2-D mask as usual.
    """
    config = model.config
    if getattr(config, "_attn_implementation", None) != "sdpa" or getattr(config, "is_decoder", False):
        return attention_mask
    return attention_mask.bool()[:, None, None, :] if padded else None


def _embed_tokenized(tokens: Tokenized, model, *, pad_id: int, pooling: str, batch_size: int,
                     max_tokens: int | None, device: torch.device, autocast, workers: int, bar) -> torch.Tensor:
    """Run `model` over the planned batches; vectors [n, hidden] float32 in input order.

    With `workers` > 1 (CPU), that many batches run at once (`_run_in_workers`), else one after
    another. A batch that runs out of memory is retried in halves (`checks.run_in_batches`, with
    a SmallerBatchWarning); batches started after that keep the smaller size.
    """
    result = torch.empty(len(tokens.input_ids), model.config.hidden_size, device=device)
    lock = threading.Lock()

    def run(idx: list[int]) -> int:
        # Writes only the rows of `idx`: a retry after out-of-memory writes the same rows again.
        rows = [tokens.input_ids[i] for i in idx]
        batch = _batch_tensors(rows, pad_id, device)
        mask = _model_mask(model, batch["attention_mask"], padded=len(set(map(len, rows))) > 1)
        outputs = model(**{**batch, "attention_mask": mask})
        if pooling == "mean":  # pool in float32 even when the model ran in fp16
            vectors = mean_pool(outputs.last_hidden_state.float(), batch["attention_mask"])
        else:
            vectors = pool(outputs, batch["attention_mask"], pooling).float()
        result[_to_device(torch.as_tensor(idx), device)] = vectors  # stays on the GPU: no sync here
        with lock:
            bar.update(len(idx))
        return len(idx)

    cap = batch_size  # after an out-of-memory retry, later batches keep the smaller size

    def run_planned(planned: list[int]) -> None:
        nonlocal cap
        sizes = run_in_batches(run, planned, min(cap, len(planned)))
        if len(sizes) > 1:  # it was split
            with lock:
                cap = min(cap, *sizes[:-1])

    batches = plan_batches(tokens.lengths, batch_size=batch_size, max_tokens=max_tokens)
    if workers > 1 and len(batches) > 1:
        _run_in_workers(run_planned, batches, workers, autocast)
    else:
        with torch.inference_mode(), autocast():
            for planned in batches:
                run_planned(planned)
    return result


def _cpu_workers(device: torch.device, workers: int | None) -> int:
    """How many batches run at once (`workers` already checked by `_check_options`): as asked,
    by default 2 on a CPU where torch has 2 or more threads, else 1. A GPU runs its batches one
    after another."""
    if device.type != "cpu":
        if workers not in (None, 1):
            raise InputError(f"workers={workers} 는 CPU 에서만 씁니다(device={device}).",
                             "GPU 는 배치를 차례로 받아 비동기로 처리하므로 여러 배치를 동시에 넣어도 빨라지지 않습니다.",
                             "GPU 에서는 workers 를 빼세요(None).")
        return 1
    if workers is None:
        return 2 if torch.get_num_threads() >= 2 else 1
    return workers


def _run_in_workers(run_batch: Callable[[list[int]], None], batches: list[list[int]], workers: int,
                    autocast: Callable[[], Any]) -> None:
    """`run_batch` over `batches`, `workers` batches at a time, each worker on its share of
    torch's CPU threads (2 workers x 1 thread on a 2-core machine instead of 1 x 2).

    Many of a BERT batch's operations are too small to keep two cores busy together (attention
    of short sentences, LayerNorm, the Python between operations); two batches side by side on
    one core each waste less: 1.08-1.14x faster in the benchmark here, the same vectors. A worker's
    error stops the batches not yet started and is raised here. At the end the memory that the
    workers freed goes back to the system: each thread allocates from its own glibc arena,
    which would otherwise keep it for threads that are gone.
    """
    threads = max(1, torch.get_num_threads() // workers)

    def task(planned: list[int]) -> None:
        torch.set_num_threads(threads)  # per thread: the caller's setting is left alone
        with torch.inference_mode(), autocast():  # both are per thread too
            run_batch(planned)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(task, planned) for planned in batches]
        try:
            for future in futures:
                future.result()
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    _return_freed_memory()


def embed(sentences: Sequence[str], model, tokenizer, *, pooling: Pooling = "mean",
          normalize: bool = False, batch_size: int = 32, max_length: int | None = None,
          max_tokens: int | None = None, device: str | torch.device = "auto",
          precision: Precision = "auto", approximate: str | None = None, prepack: bool = True,
          workers: int | None = None, progress: bool = False) -> np.ndarray:
    """Sentence vectors [len(sentences), hidden] as float32 NumPy, in input order.

    - `pooling`: 'mean' (mean of real tokens), 'cls' ([CLS] vector) or 'pooler'.
    - `normalize=True` scales every vector to length 1 (cosine similarity = dot product).
    - `batch_size` sentences per batch; `max_tokens` additionally caps rows x length per batch.
    - `max_length` (default: the model's position limit): longer sentences are cut and a
      `TruncationWarning` names how many and which.
    - `device='auto'` uses the GPU when there is one (the model is moved there) and then runs
      in fp16 (`precision='auto'`; 'fp32' keeps full precision).
    - `approximate='int8'` runs a dynamically quantized int8 copy on CPU, `approximate='bf16'`
      runs under bfloat16 autocast: faster on some machines, but the vectors are NOT the same
      (int8 much less so than bf16: check the cosine against the exact vectors first).
    - `prepack=True` (CPU, exact): runs `packed_copy(model)`, the same fp32 arithmetic with
      oneDNN kernels on weights packed once, 1.1-1.2x faster here; False runs `model` as given.
    - `workers` (CPU): how many batches run at once, each on its share of torch's threads;
      None = 2 where torch has 2 or more threads (1.08-1.14x faster here), else 1. GPU: always 1.
    - `progress=True` shows a tqdm bar.

    Raises InputError for a bare string, an empty list, non-strings or blank sentences, a bad
    option, and MismatchError for a tokenizer that does not belong to the model.
    """
    sentences = check_sentences(sentences)
    limit, vectors_of = _runner(model, tokenizer, pooling=pooling, normalize=normalize, batch_size=batch_size,
                                max_length=max_length, max_tokens=max_tokens, device=device,
                                precision=precision, approximate=approximate, prepack=prepack, workers=workers)
    tokens = tokenize_all(sentences, tokenizer, limit)
    _warn_truncated(tokens, limit)
    with _progress_bar(progress, len(sentences), "embed") as bar:
        return vectors_of(tokens, bar)


def _runner(model, tokenizer, *, pooling, normalize, batch_size, max_length, max_tokens, device, precision,
            approximate, prepack, workers):
    """Check the options once; return the length limit and a function tokens -> float32 vectors."""
    limit = _check_options(model, tokenizer, pooling, batch_size, max_tokens, max_length, workers)
    chosen = check_device(device)
    runner = _prepare_model(model, chosen, approximate, prepack)
    autocast = _autocast(chosen, precision, approximate)
    workers = _cpu_workers(chosen, workers)

    def vectors_of(tokens: Tokenized, bar) -> np.ndarray:
        result = _embed_tokenized(tokens, runner, pad_id=tokenizer.pad_token_id or 0, pooling=pooling,
                                  batch_size=batch_size, max_tokens=max_tokens, device=chosen,
                                  autocast=autocast, workers=workers, bar=bar)
        if normalize:
            result = torch.nn.functional.normalize(result, dim=-1)
        return result.cpu().numpy()

    vectors_of.device = chosen  # type: ignore[attr-defined]
    return limit, vectors_of


def _chunks(sentences: Iterable[str], size: int) -> Iterator[list[str]]:
    iterator = iter(sentences)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def embed_stream(sentences: Iterable[str], model, tokenizer, *, chunk_size: int = 4096,
                 pooling: Pooling = "mean", normalize: bool = False, batch_size: int = 32,
                 max_length: int | None = None, max_tokens: int | None = None,
                 device: str | torch.device = "auto", precision: Precision = "auto",
                 approximate: str | None = None, prepack: bool = True, workers: int | None = None,
                 progress: bool = True, total: int | None = None) -> Iterator[np.ndarray]:
    """Vectors for an iterable of sentences (a file, a generator), `chunk_size` at a time.

    Yields one float32 array [chunk, hidden] per chunk, in input order; concatenated they equal
    `embed(list(sentences), ...)` with the same options. Only one chunk (plus, on a GPU, the
    next one being tokenized) is held in memory, so the peak memory does not grow with the
    corpus. Shows a tqdm progress bar (`total`: the number of sentences, if known). Options
    are checked at once; a bad sentence raises InputError when its chunk is reached, naming
    where that chunk starts in the stream.
    """
    if isinstance(sentences, (str, bytes)) or sentences is None:
        check_sentences(sentences)  # raises the "wrap it in a list" message
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise InputError(f"chunk_size={chunk_size!r} 를 받았습니다.", "한 번에 처리할 문장 수는 1 이상의 정수입니다.",
                         "예: chunk_size=4096")
    limit, vectors_of = _runner(model, tokenizer, pooling=pooling, normalize=normalize, batch_size=batch_size,
                                max_length=max_length, max_tokens=max_tokens, device=device,
                                precision=precision, approximate=approximate, prepack=prepack, workers=workers)
    if total is None and hasattr(sentences, "__len__"):
        total = len(sentences)  # type: ignore[arg-type]

    def prepare(chunk: list[str], offset: int) -> Tokenized:
        try:
            checked = check_sentences(chunk)
        except InputError as exc:
            raise InputError(f"[스트림의 {offset}번째 문장부터 시작하는 묶음] {exc.what}", exc.why, exc.fix) from None
        return tokenize_all(checked, tokenizer, limit)

    def generate() -> Iterator[np.ndarray]:
        overlap = vectors_of.device.type == "cuda"
        with _progress_bar(progress, total, "embed_stream") as bar:
            for offset, tokens in _tokenized_chunks(sentences, chunk_size, prepare, overlap=overlap):
                _warn_truncated(tokens, limit, offset)
                vectors = vectors_of(tokens, bar)
                _return_freed_memory()
                yield vectors

    return generate()


def _return_freed_memory() -> bool:
    """Hand the memory that finished batches freed back to the operating system.

    glibc keeps freed blocks for reuse, and batches of ever different shapes leave many behind:
    without this, a long stream on the CPU sat ~175 MB higher between chunks (measured here:
    ~890 MB -> ~715 MB, no time lost at one call per chunk; after every batch it cost 4-9%).
    `embed_stream` calls it after each chunk, `_run_in_workers` after its batches.
    Returns whether memory went back: only where the C library is glibc (Linux); elsewhere
    nothing happens.
    """
    trim = _malloc_trim()
    return bool(trim and trim(0))


@functools.lru_cache(maxsize=1)
def _malloc_trim():
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc (macOS, Windows, musl)
        return None


def _tokenized_chunks(sentences: Iterable[str], size: int, prepare, *,
                      overlap: bool) -> Iterator[tuple[int, Tokenized]]:
    """(offset, tokens) per chunk. With `overlap`, the next chunk is tokenized in a thread while
    the caller runs the model on this one (worth it on a GPU; the fast tokenizer releases the
    GIL). On CPU the two would only compete for the same cores, so it stays sequential."""
    offset = 0
    if not overlap:
        for chunk in _chunks(sentences, size):
            yield offset, prepare(chunk, offset)
            offset += len(chunk)
        return
    with ThreadPoolExecutor(max_workers=1) as worker:
        pending = None
        for chunk in _chunks(sentences, size):
            submitted = (offset, worker.submit(prepare, chunk, offset))
            offset += len(chunk)
            if pending is not None:
                yield pending[0], pending[1].result()
            pending = submitted
        if pending is not None:
            yield pending[0], pending[1].result()


def mixed_length_corpus(tokenizer, n: int = 2000, *, seed: int = 0, median_words: int = 20,
                        max_words: int = 118) -> list[str]:
    """`n` reproducible made-up sentences with a realistic spread of lengths (for speed tests).

    Words are drawn from the tokenizer's own vocabulary (whole alphabetic words), lengths from a
    log-normal distribution between 3 and `max_words` words: many short sentences, a few long
    ones. The text is meaningless; only the lengths matter for timing.
    """
    vocab = sorted(w for w in tokenizer.get_vocab() if w.isalpha() and len(w) >= 3 and not w.startswith("["))
    if not vocab:
        raise InputError("토크나이저 어휘에서 단어를 찾지 못했습니다.", "문장을 만들 온전한 단어가 없습니다.",
                         "WordPiece 어휘를 가진 토크나이저를 쓰세요.")
    rng = random.Random(seed)
    sentences = []
    for _ in range(n):
        words = int(min(max_words, max(3, rng.lognormvariate(math.log(median_words), 0.7))))
        sentences.append(" ".join(rng.choice(vocab) for _ in range(words)) + ".")
    return sentences


def plot_padding_and_speed(lengths: Sequence[int], batches: Sequence[Sequence[int]], pad_to: int,
                           rates: dict[str, float]):
    """Figure for notebook 06: which computed positions are real tokens vs padding, the book's
    fixed `pad_to` against per-batch (dynamic) padding, next to the measured sentences/s.

    `rates` maps a method's label to its sentences per second. Returns the matplotlib Figure.
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
    fig.tight_layout()
    return fig
