"""Speed machinery behind `helpers.sentence_vectors.embed` (notebook 07 explains why it pays).

Nothing here changes what a vector is; everything here changes how fast it comes:
- tokens straight from the fast tokenizer's Rust backend (`backend_ids`);
- batches built in NumPy, sent to a GPU through pinned memory (`batch_tensors`);
- on the CPU an exact copy of the model whose Linear layers run oneDNN kernels on weights
  packed once (`packed_copy`), used where a first measurement finds it faster than torch's own
  Linear (`kernel_choice`), or on request an approximate int8 copy (`int8_copy`);
- on the CPU the dense layers, GELU and LayerNorms run on the real tokens only, attention on the
  padded batch (`Unpadded`, where `unpadded` finds the model BERT-shaped and its vectors the same);
- SDPA attention given its finished mask, so the CPU never waits for the GPU per batch;
- on a CPU, two batches side by side, one torch thread each (`Engine`, `workers`);
- a batch that runs out of memory retried in halves (`run_in_batches`);
- freed memory handed back to the system between chunks (`return_freed_memory`).

`Engine` is what the lesson API calls once per call of `embed` / per chunk of `embed_stream`.
"""

from __future__ import annotations

import contextlib
import copy
import ctypes
import functools
import itertools
import threading
import time
import warnings
import weakref
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence, TypeVar

import numpy as np
import torch

from .checks import check_batch_size, check_device, check_model_inputs, check_positive_int
from .errors import InputError, OutOfMemoryError, SmallerBatchWarning
from .door import door

T = TypeVar("T")
R = TypeVar("R")

APPROXIMATIONS: tuple[str, ...] = ("int8", "bf16")
PRECISIONS: tuple[str, ...] = ("auto", "fp32", "fp16")


# --- tokens ---------------------------------------------------------------------------------

def backend_ids(tokenizer, sentences: Sequence[str]) -> list[list[int]] | None:
    """Token ids (no truncation, no padding) straight from a fast tokenizer's Rust backend.

    transformers' call adds per-sentence Python work around the backend; the backend itself
    runs in parallel on all cores. Its truncation and padding settings are switched off for the
    call and put back. Checked against the tokenizer's own call on the first sentences; None
    when there is no backend or the two disagree.
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


def specials_after_text(tokenizer) -> int:
    """How many special tokens the tokenizer puts after a sentence's text (1 for BERT's [SEP]);
    right truncation keeps them and drops the end of the text before them."""
    mask = tokenizer("a", return_special_tokens_mask=True)["special_tokens_mask"]
    after = 0
    for flag in reversed(mask):
        if flag != 1:
            break
        after += 1
    return after


# --- batches ---------------------------------------------------------------------------------

def batch_tensors(rows: list[list[int]], pad_id: int, device: torch.device) -> dict[str, torch.Tensor]:
    """Model inputs for token-id rows of different lengths, padded to the longest (`pad_id`).

    Built in NumPy with one copy of all ids (no tensor per row), which matters on a GPU, where
    the CPU must keep up with the model.
    """
    lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    mask = np.arange(lengths.max()) < lengths[:, None]
    ids = np.full(mask.shape, pad_id, dtype=np.int64)
    ids[mask] = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64, count=int(lengths.sum()))
    batch = {"input_ids": torch.from_numpy(ids), "attention_mask": torch.from_numpy(mask.astype(np.int64)),
             "token_type_ids": torch.zeros(mask.shape, dtype=torch.long)}
    return {k: to_device(v, device) for k, v in batch.items()}


def to_device(tensor: torch.Tensor, device: torch.device) -> torch.Tensor:
    """`tensor` on `device` without waiting: to a GPU through pinned memory, so the copy joins
    the GPU's queue and the CPU goes on preparing the next batch (a plain `.to("cuda")` of
    pageable memory waits until the GPU has finished all the work queued before it)."""
    if device.type == "cuda":
        return tensor.pin_memory().to(device, non_blocking=True)
    return tensor


def model_mask(model, attention_mask: torch.Tensor, *, padded: bool) -> torch.Tensor | None:
    """The attention mask to give `model` for a batch, made here for PyTorch's SDPA attention.

    transformers builds SDPA's mask itself, but first asks the GPU whether any token is masked
    (`mask.all()`), which makes the CPU wait for the GPU at every batch. For SDPA this gives it
    the finished mask ([batch, 1, 1, length], True = attend), or None for a batch without
    padding (`padded`, known from the lengths on the CPU). Other attention implementations and
    decoder configs (whose mask is also causal) get the 2-D mask as usual.
    """
    config = model.config
    if getattr(config, "_attn_implementation", None) != "sdpa" or getattr(config, "is_decoder", False):
        return attention_mask
    return attention_mask.bool()[:, None, None, :] if padded else None


# --- faster copies of a model ---------------------------------------------------------------

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


def _agrees(model: torch.nn.Module, other: Callable[..., Any], *, real_tokens_only: bool = False) -> bool:
    """Both give the same token vectors on a small probe batch (one row padded); with
    `real_tokens_only`, compared at the real tokens only (and the pooler output, if any)."""
    device = next(model.parameters()).device
    ids = torch.arange(1, 9, device=device).remainder(model.config.vocab_size).repeat(2, 1)
    mask = torch.ones_like(ids)
    mask[1, 5:] = 0
    with torch.inference_mode():
        expected = model(input_ids=ids, attention_mask=mask)
        got = other(input_ids=ids, attention_mask=mask)
    keep = mask.bool() if real_tokens_only else torch.ones_like(mask, dtype=torch.bool)
    same = torch.allclose(expected.last_hidden_state[keep], got.last_hidden_state[keep], rtol=1e-4, atol=1e-4)
    pooled = getattr(expected, "pooler_output", None)
    if real_tokens_only and pooled is not None:
        same = same and torch.allclose(pooled, got.pooler_output, rtol=1e-4, atol=1e-4)
    return bool(same)


@door
def packed_copy(model: torch.nn.Module) -> torch.nn.Module | None:
    """An EXACT fp32 copy of `model` for the CPU whose encoder Linear layers run oneDNN kernels
    on weights packed once into oneDNN's layout, with BERT's GELU and residual additions fused
    into those kernels.

    The same vectors as `model` (only the order of additions differs). Only the Linear weights
    are copied (packed); everything else is shared with `model`, which is not modified. The
    copy is checked against `model` on a probe batch and cached until the model's weights
    change. Returns None where it does not apply (no oneDNN in this torch build, a model not in
    fp32 on the CPU, no `encoder`, or a probe that disagrees): then use `model` itself.
    """
    if not _can_pack(model):
        return None
    try:
        return _cached_copy("packed", model, _pack)
    except (RuntimeError, AttributeError, TypeError):  # a torch build whose oneDNN ops differ
        return None


# --- padding never computed -----------------------------------------------------------------

class Unpadded(torch.nn.Module):
    """Runs a BERT encoder on the real tokens of a batch only: its Linear layers, GELU and
    LayerNorms see one [tokens, hidden] matrix without the padding rows; only attention, which
    mixes the tokens of a sentence, sees the padded [batch, length] layout (padding masked).

    Each real token gets the same arithmetic as in `model` itself, so the vectors are the same;
    what disappears is the work on padding. `model` may be the model or its `packed_copy`: its
    own modules are called. Output: `last_hidden_state` [batch, length, hidden] with zeros at
    the padded positions (pooling reads only real tokens), and `pooler_output` where the model
    has a pooler. Eval mode; `embed` uses it on the CPU, made by `unpadded` after a check.
    """

    def __init__(self, model: torch.nn.Module):
        super().__init__()
        self.model = model
        self.config = model.config

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None,
                token_type_ids: torch.Tensor | None = None):
        if isinstance(input_ids, Mapping):  # the tokenizer's result itself, where the model takes its parts
            raise InputError("Unpadded 에 토크나이저의 결과(딕셔너리)를 통째로 넘겼습니다.",
                             "모델처럼 input_ids=..., attention_mask=... 를 이름으로 받습니다.",
                             "runner(**features) 처럼 앞에 ** 를 붙여 넘기세요.")
        given = {"input_ids": input_ids, "attention_mask": attention_mask, "token_type_ids": token_type_ids}
        check_model_inputs({key: value for key, value in given.items() if value is not None}, self.model,
                           caller="unpadded")
        if attention_mask is None:  # as the model: every token real
            attention_mask = torch.ones_like(input_ids)
        return self.run(input_ids, attention_mask, token_type_ids)

    def run(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor | None = None):
        """`forward` without checking the inputs: for `embed`'s batches, which it builds itself."""
        from transformers.modeling_outputs import BaseModelOutputWithPooling

        model = self.model
        batch, length = input_ids.shape
        hidden = model.embeddings(input_ids=input_ids, token_type_ids=token_type_ids)
        width = hidden.shape[-1]
        keep = attention_mask.reshape(-1).nonzero().squeeze(1)  # positions of the real tokens
        place = _Placement(keep, batch, length, padded=keep.numel() < batch * length)
        tokens = place.gather(hidden.reshape(batch * length, width))
        mask = attention_mask.bool()[:, None, None, :] if place.padded else None  # SDPA's: True = attend
        for layer in model.encoder.layer:
            attended = layer.attention.output(self._attention(layer.attention.self, tokens, place, mask), tokens)
            tokens = layer.output(layer.intermediate(attended), attended)
        last = place.scatter(tokens).view(batch, length, width)
        pooler = getattr(model, "pooler", None)
        return BaseModelOutputWithPooling(last_hidden_state=last,
                                          pooler_output=None if pooler is None else pooler(last))

    @staticmethod
    def _attention(attention: torch.nn.Module, tokens: torch.Tensor, place: "_Placement",
                   mask: torch.Tensor | None) -> torch.Tensor:
        heads, size = int(attention.num_attention_heads), int(attention.attention_head_size)

        def by_head(projected: torch.Tensor) -> torch.Tensor:  # [tokens, heads*size] -> [batch, heads, length, size]
            return place.scatter(projected).view(place.batch, place.length, heads, size).transpose(1, 2)

        query, key, value = (by_head(proj(tokens)) for proj in (attention.query, attention.key, attention.value))
        context = torch.nn.functional.scaled_dot_product_attention(
            query, key, value, attn_mask=mask, scale=float(getattr(attention, "scaling", size ** -0.5)))
        return place.gather(context.transpose(1, 2).reshape(place.batch * place.length, heads * size))


@dataclass(frozen=True)
class _Placement:
    """Where a batch's real tokens sit among its batch x length positions."""
    keep: torch.Tensor
    batch: int
    length: int
    padded: bool

    def gather(self, rows: torch.Tensor) -> torch.Tensor:
        """[batch*length, d] -> [tokens, d]"""
        return rows.index_select(0, self.keep) if self.padded else rows

    def scatter(self, tokens: torch.Tensor) -> torch.Tensor:
        """[tokens, d] -> [batch*length, d], zeros at the padding"""
        if not self.padded:
            return tokens
        return tokens.new_zeros(self.batch * self.length, tokens.shape[-1]).index_copy_(0, self.keep, tokens)


_ATTENTION_PARTS = ("query", "key", "value", "num_attention_heads", "attention_head_size")


def _unpaddable_layout(model: torch.nn.Module) -> bool:
    """A BERT-shaped encoder in eval mode whose attention is plain self-attention with absolute
    positions (no decoder, cross-attention or relative positions)."""
    config = model.config
    layers = getattr(getattr(model, "encoder", None), "layer", None)
    return (not model.training and hasattr(model, "embeddings") and layers is not None and len(layers) > 0
            and not getattr(config, "is_decoder", False) and not getattr(config, "add_cross_attention", False)
            and getattr(config, "position_embedding_type", "absolute") == "absolute"
            and all(hasattr(layer, "attention") and hasattr(layer, "intermediate") and hasattr(layer, "output")
                    and all(hasattr(layer.attention.self, part) for part in _ATTENTION_PARTS)
                    for layer in layers))


@door
def unpadded(model: torch.nn.Module, runs: torch.nn.Module | None = None) -> Unpadded | None:
    """`Unpadded(runs)` (by default `runs` is `model`; pass its `packed_copy` to combine both)
    where `model` has BERT's layout and the result gives `model`'s vectors on a probe batch with
    padding, else None (then run the model as it is). The check is made once per model, kind of
    copy and weights. Introduced in notebook 07."""
    runs = model if runs is None else runs
    if not _unpaddable_layout(model):
        return None
    kind = "unpadded-" + ("model" if runs is model else "copy")
    try:
        ok = _cached_copy(kind, model, lambda m: _agrees(m, Unpadded(runs).run, real_tokens_only=True))
    except (RuntimeError, AttributeError, TypeError, ValueError):  # a layout that only looked like BERT's
        ok = False
    return Unpadded(runs) if ok else None


# --- running the batches --------------------------------------------------------------------

def _fast_model(model, device: torch.device, approximate: str | None, prepack: bool | str, workers: int):
    """The module that runs the batches: `model` on `device`, or its packed / int8 copy; the
    exact CPU path (prepack 'auto' or True) also skips the padding (`unpadded`) where it can."""
    if type(prepack) is int and prepack in (0, 1):  # Python's 0/1 for False/True, as the door takes them
        prepack = bool(prepack)
    if isinstance(prepack, bool) is False and prepack != "auto":
        raise InputError(f"prepack 에 받은 값: {prepack!r}", "prepack 은 'auto', True 또는 False 입니다.",
                         "보통은 그대로('auto': 처음 쓸 때 두 커널을 재 보고 빠른 쪽) 두세요. "
                         "True 는 언제나 포장한 커널, False 는 모델을 받은 그대로 실행합니다.")
    if approximate is not None and approximate not in APPROXIMATIONS:
        raise InputError(f"없는 근사 방식입니다: approximate={approximate!r}",
                         "지원하는 근사는 'int8'(동적 양자화, CPU)과 'bf16'(bfloat16 autocast)입니다.",
                         "approximate=None(정확한 벡터), 'int8' 또는 'bf16' 을 쓰세요.")
    if approximate == "int8":
        if device.type != "cpu":
            raise InputError(f"approximate='int8' 은 CPU 전용입니다: device={device}",
                             "torch 의 동적 int8 양자화는 CPU 에서만 돕니다.", "device='cpu' 로 실행하세요.")
        return int8_copy(model)
    if next(model.parameters()).device != device:
        model.to(device)  # documented side effect: the model moves to the chosen device
    if prepack is False or approximate is not None or device.type != "cpu":
        return model
    packed = packed_copy(model)
    if packed is None or prepack is True:
        runs = packed or model
    else:
        choice = kernel_choice(model, workers=workers)  # its default threads: as many as each worker gets
        runs = packed if choice is None or choice.packed else model
    return unpadded(model, runs) or runs


@dataclass(frozen=True)
class KernelChoice:
    """Which fp32 kernel `embed(prepack='auto')` runs a model's Linear layers with on this CPU,
    and the timings it chose by: one encoder layer on a probe batch, best of a few turns each,
    run the way `embed` runs its batches (`workers` side by side, `threads` torch threads each)."""
    packed: bool
    packed_ms: float
    plain_ms: float
    threads: int
    workers: int


@door
def kernel_choice(model: torch.nn.Module, threads: int | None = None, workers: int | None = None) -> KernelChoice | None:
    """Measure once which kernel runs `model` faster here - oneDNN on packed weights
    (`packed_copy`) or torch's own Linear - and remember it (per model, threads, workers, weights).

    Both give the same vectors, so this is a choice by speed alone, made by measurement rather
    than by the CPU's name: which one wins depends on the CPU's vector units, its caches and the
    batch shapes. One encoder layer runs on a probe batch [16, 32], the two kernels taking turns,
    in `workers` threads at once with `threads` torch threads each (by default as `embed` runs
    its batches on this machine), best of 5. None where packing does not apply (see `packed_copy`)
    or a layer cannot be run on its own in this transformers version (then `embed` keeps the
    packed copy). Introduced in notebook 07.
    """
    packed = packed_copy(model)
    if packed is None:
        return None
    workers = cpu_workers(torch.device("cpu"), workers)
    threads = max(1, torch.get_num_threads() // workers) if threads is None \
        else check_positive_int("threads", threads, example=1)
    try:
        return _cached_copy(f"choice-{threads}x{workers}", model,
                            lambda m: _time_kernels(m, packed, threads, workers))
    except (RuntimeError, TypeError, AttributeError, IndexError):  # a layer that needs more than its input
        return None


def _time_kernels(model: torch.nn.Module, packed: torch.nn.Module, threads: int, workers: int,
                  turns: int = 5) -> KernelChoice:
    layers = {"packed": packed.encoder.layer[0], "plain": model.encoder.layer[0]}
    hidden = torch.randn(16, 32, int(model.config.hidden_size), generator=torch.Generator().manual_seed(0))
    best = {name: float("inf") for name in layers}
    lock = threading.Lock()

    def measure() -> None:
        torch.set_num_threads(threads)  # per thread, as in _side_by_side
        with torch.inference_mode():
            for layer in layers.values():  # warm up: first calls allocate and pick kernels
                layer(hidden)
            for _ in range(turns):
                for name, layer in layers.items():
                    start = time.perf_counter()
                    layer(hidden)
                    took = time.perf_counter() - start
                    with lock:
                        best[name] = min(best[name], took)

    before = torch.get_num_threads()
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for future in [pool.submit(measure) for _ in range(workers)]:
                future.result()
    finally:
        torch.set_num_threads(before)
    return KernelChoice(packed=best["packed"] <= best["plain"], packed_ms=best["packed"] * 1e3,
                        plain_ms=best["plain"] * 1e3, threads=threads, workers=workers)


def _autocast(device: torch.device, precision: str, approximate: str | None) -> Callable[[], Any]:
    """A function that makes the autocast context for one run (fp16 on a GPU, bf16 when asked
    for): a new context each time, since threads running batches at once need one each."""
    if precision not in PRECISIONS:
        raise InputError(f"알 수 없는 정밀도입니다: precision={precision!r}",
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


def cpu_workers(device: torch.device, workers: int | None) -> int:
    """How many batches run at once: as asked, by default 2 on a CPU where torch has 2 or more
    threads, else 1. A GPU runs its batches one after another."""
    if workers is not None:
        check_positive_int("workers", workers, example=1)
    if device.type != "cpu":
        if workers not in (None, 1):
            raise InputError(f"workers 는 CPU 에서만 씁니다: workers={workers}, device={device}",
                             "GPU 는 배치를 차례로 받아 비동기로 처리하므로 여러 배치를 동시에 넣어도 빨라지지 않습니다.",
                             "GPU 에서는 workers 를 빼세요(None).")
        return 1
    if workers is None:
        return 2 if torch.get_num_threads() >= 2 else 1
    return workers


class Engine:
    """Runs a model over planned batches as fast as this machine allows; the vectors are the
    same as one batch at a time with `model` itself (approximations only when asked for).

    Made once per call of `embed` (options checked there); `run` per list of token-id rows.
    """

    def __init__(self, model, *, device: str | torch.device = "auto", precision: str = "auto",
                 approximate: str | None = None, prepack: bool | str = "auto", workers: int | None = None):
        self.device = check_device(device)
        self.workers = cpu_workers(self.device, workers)
        self.module = _fast_model(model, self.device, approximate, prepack, self.workers)
        self.autocast = _autocast(self.device, precision, approximate)
        self.hidden_size = int(model.config.hidden_size)

    def run(self, rows: Sequence[list[int]], batches: list[list[int]], pool_batch, *, pad_id: int,
            batch_size: int, bar) -> torch.Tensor:
        """[len(rows), hidden] float32: `pool_batch(outputs, attention_mask)` of every batch,
        written back at the rows' own positions (input order)."""
        result = torch.empty(len(rows), self.hidden_size, device=self.device)
        lock = threading.Lock()
        limit = [batch_size]  # after an out-of-memory retry, later batches keep the smaller size

        def one_batch(idx: list[int]) -> int:
            # Writes only the rows of `idx`: a retry after out-of-memory writes the same rows again.
            picked = [rows[i] for i in idx]
            batch = batch_tensors(picked, pad_id, self.device)
            if isinstance(self.module, Unpadded):
                outputs = self.module.run(**batch)
            else:
                mask = model_mask(self.module, batch["attention_mask"], padded=len(set(map(len, picked))) > 1)
                outputs = self.module(**{**batch, "attention_mask": mask})
            result[to_device(torch.as_tensor(idx), self.device)] = pool_batch(outputs, batch["attention_mask"])
            with lock:
                bar.update(len(idx))
            return len(idx)

        def planned_batch(idx: list[int]) -> None:
            sizes = run_in_batches(one_batch, idx, min(limit[0], len(idx)))
            if len(sizes) > 1:  # it was split
                with lock:
                    limit[0] = min(limit[0], *sizes[:-1])

        if self.workers > 1 and len(batches) > 1:
            _side_by_side(planned_batch, batches, self.workers, self.autocast)
        else:
            with torch.inference_mode(), self.autocast():
                for idx in batches:
                    planned_batch(idx)
        return result


def _side_by_side(run_batch: Callable[[list[int]], None], batches: list[list[int]], workers: int,
                  autocast: Callable[[], Any]) -> None:
    """`run_batch` over `batches`, `workers` batches at a time, each worker on its share of
    torch's CPU threads (2 workers x 1 thread on a 2-core machine instead of 1 x 2).

    Many of a BERT batch's operations are too small to keep two cores busy together (attention
    of short sentences, LayerNorm, the Python between operations); two batches side by side on
    one core each waste less. A worker's error stops the batches not yet started and is raised
    here. At the end the memory that the workers freed goes back to the system: each thread
    allocates from its own glibc arena, which would otherwise keep it for threads that are gone.
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
    return_freed_memory()


# --- memory and streams ---------------------------------------------------------------------

def return_freed_memory() -> bool:
    """Hand the memory that finished batches freed back to the operating system.

    glibc keeps freed blocks for reuse, and batches of ever different shapes leave many behind.
    `embed_stream` calls this after each chunk (after every batch it would cost time), the
    side-by-side workers after their batches. Returns whether memory went back: only where the
    C library is glibc (Linux); elsewhere nothing happens.
    """
    trim = _malloc_trim()
    return bool(trim and trim(0))


@functools.lru_cache(maxsize=1)
def _malloc_trim():
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc (macOS, Windows, musl)
        return None


def chunks(sentences: Iterable[str], size: int) -> Iterator[list[str]]:
    """Consecutive lists of `size` items (the last one shorter)."""
    iterator = iter(sentences)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def prepared_chunks(sentences: Iterable[str], size: int, prepare, *, overlap: bool) -> Iterator[tuple[int, Any]]:
    """(offset, prepare(chunk, offset)) per chunk. With `overlap`, the next chunk is prepared in
    a thread while the caller runs the model on this one (worth it on a GPU; the fast tokenizer
    releases the GIL). On a CPU the two would only compete for the same cores."""
    offset = 0
    if not overlap:
        for chunk in chunks(sentences, size):
            yield offset, prepare(chunk, offset)
            offset += len(chunk)
        return
    with ThreadPoolExecutor(max_workers=1) as worker:
        pending = None
        for chunk in chunks(sentences, size):
            submitted = (offset, worker.submit(prepare, chunk, offset))
            offset += len(chunk)
            if pending is not None:
                yield pending[0], pending[1].result()
            pending = submitted
        if pending is not None:
            yield pending[0], pending[1].result()


# --- out of memory: the same items again, in smaller batches --------------------------------

def _is_out_of_memory(exc: BaseException) -> bool:
    """True for torch's CUDA/MPS out-of-memory error and the CPU allocator's 'can't allocate'."""
    if isinstance(exc, torch.OutOfMemoryError):
        return True
    text = str(exc).lower()
    return isinstance(exc, RuntimeError) and ("out of memory" in text or "can't allocate memory" in text)


def run_in_batches(run_batch: Callable[[list[T]], R], items: Sequence[T], batch_size: int) -> list[R]:
    """`run_batch` over consecutive slices of `items`, halving the batch on out-of-memory.

    Returns one result per slice that ran, in order (slices may get smaller after a retry: join
    the results, do not count on their number). When a slice runs out of memory, the same items
    are retried with half the batch size, with a SmallerBatchWarning saying so; later slices keep
    the smaller size. That is only safe for a `run_batch` without side effects whose result per
    item does not depend on the other items in the slice - inference with an attention mask,
    as in `embed`. At batch size 1 the error becomes OutOfMemoryError with what to do.
    """
    size = check_batch_size(batch_size)
    items = list(items)
    results: list[R] = []
    start = 0
    while start < len(items):
        chunk = items[start:start + size]
        try:
            results.append(run_batch(chunk))
        except Exception as exc:  # noqa: BLE001 - only out-of-memory is handled, the rest re-raised
            if not _is_out_of_memory(exc):
                raise
            if torch.cuda.is_available():
                torch.cuda.empty_cache()
            if size == 1:
                raise OutOfMemoryError("batch_size=1 에서도 메모리가 부족합니다.",
                                       f"{start}번째 항목 하나를 처리할 메모리도 없습니다 ({type(exc).__name__}).",
                                       "max_length 를 줄이거나, device='cpu' 로 실행하거나, "
                                       "다른 프로그램이 쓰는 메모리를 비우세요.") from exc
            smaller = max(1, size // 2)
            warnings.warn(SmallerBatchWarning(
                f"batch_size={size} 에서 메모리가 부족해 batch_size={smaller} 로 줄여 다시 실행합니다.",
                "한 번에 모델에 넣는 문장이 많을수록 (GPU) 메모리를 많이 씁니다.",
                f"그대로 두어도 결과는 같습니다. 경고를 없애려면 처음부터 batch_size 를 {smaller} 이하로 정하세요."),
                stacklevel=2)
            size = smaller
            continue
        start += len(chunk)
    return results
