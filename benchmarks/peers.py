"""The engines people use instead of PyTorch for fast CPU embeddings, as peers of `embed` in `make bench`.

Each peer runs the same model folder, exported once to ONNX here, on exactly the batches `embed`
plans (`tokenize_all` + `plan_batches`: sorted by length, padded to the longest in the batch), and
pools the same way (mask-weighted mean, L2-normalised). So the benchmark compares engines, not
batching:
- ONNX Runtime (`onnxruntime`), fp32 - what fastembed and sentence-transformers' backend="onnx" run;
- OpenVINO (`openvino`), f32 inference precision - what backend="openvino" runs (OpenVINO would
  pick bf16 by itself on a CPU with native bf16, which changes the vectors: asked for f32 here);
- approximate peers for the approximate modes of `embed`: ONNX Runtime with dynamic int8 weights
  (`onnxruntime.quantization.quantize_dynamic`) and OpenVINO with bf16 inference precision.

sentence-transformers' own `backend="onnx"` / `"openvino"` need optimum-onnx / optimum-intel;
`st_backend_status` says whether they import here and, if not, why they cannot be installed
beside this project's pinned transformers.
"""

from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path
from typing import Callable

import numpy as np
import torch

from helpers.fastpath import batch_tensors
from helpers.sentence_vectors import mean_pool, plan_batches, tokenize_all

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "build" / "bench-onnx"
OPSET = 17

# Why sentence-transformers' ONNX / OpenVINO backends are missing from the project's environment:
# what `pip install --dry-run` answered on the package index here (2026-12-07) beside the lock.
ST_BACKEND_BLOCKERS = {
    "onnx": ("optimum-onnx", "optimum.onnxruntime",
             "optimum-onnx 0.1.0 (the newest) requires transformers<4.58; this project pins transformers 5.x"),
    "openvino": ("optimum-intel", "optimum.intel",
                 "optimum-intel 2.2.0 (the newest) requires transformers<=5.5 and huggingface_hub<1.22, and pulls "
                 "torch 2.15 with CUDA; this project pins transformers 5.24 and huggingface_hub 2.4 (CPU torch)"),
}


def st_backend_status() -> dict[str, str]:
    """{backend: 'available' or why not} for sentence-transformers' onnx and openvino backends."""
    status = {}
    for backend, (package, module, blocker) in ST_BACKEND_BLOCKERS.items():
        status[backend] = "available" if _importable(module) else f"not installed ({package}): {blocker}"
    return status


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # its parent package is not installed
        return False


def missing_engines() -> dict[str, str]:
    """{package: why it is needed} for the peer engines that are not installed (requirements.txt pins them)."""
    needed = {"onnx": "the ONNX export", "onnxruntime": "the ONNX Runtime peer", "openvino": "the OpenVINO peer"}
    return {name: why for name, why in needed.items() if importlib.util.find_spec(name) is None}


# --- the ONNX file ------------------------------------------------------------------------------

class _HiddenStates(torch.nn.Module):
    """model(input_ids, attention_mask) -> last_hidden_state, token_type_ids all 0 (as in `embed`)."""

    def __init__(self, model: torch.nn.Module):
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.model(input_ids=input_ids, attention_mask=attention_mask,
                          token_type_ids=torch.zeros_like(input_ids)).last_hidden_state


def export_onnx(model: torch.nn.Module, name: str, folder: Path = CACHE) -> Path:
    """`model` as an ONNX file (fp32, batch and length dynamic), exported once per name and kept.

    TorchScript-based exporter (`dynamo=False`): it needs only the `onnx` package. The example
    batch has a padded row, so the attention mask's path through the model is the one traced.
    """
    path = folder / f"{name}.onnx"
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    ids = torch.tensor([[101, 2000, 2001, 102], [101, 2002, 102, 0]]).remainder(model.config.vocab_size)
    mask = torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]])
    dynamic = {0: "batch", 1: "length"}
    partial = path.with_suffix(".partial.onnx")
    with warnings.catch_warnings(), torch.inference_mode():
        warnings.simplefilter("ignore")  # the exporter's deprecation and tracer warnings
        torch.onnx.export(_HiddenStates(model).eval(), (ids, mask), str(partial), dynamo=False, opset_version=OPSET,
                          input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"],
                          dynamic_axes={"input_ids": dynamic, "attention_mask": dynamic, "last_hidden_state": dynamic})
    partial.replace(path)
    return path


def folder_signature(folder: Path) -> str:
    """A short hash of a model folder's files (names, sizes, modification times): a changed folder
    gets a fresh export instead of a stale one."""
    import hashlib

    parts = sorted(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in Path(folder).iterdir() if p.is_file())
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:10]


def int8_onnx(path: Path) -> Path:
    """ONNX Runtime's dynamic int8 quantization of an exported file (weights int8, activations
    quantized per batch): APPROXIMATE, the peer of `embed(approximate="int8")`."""
    out = path.with_name(path.stem + ".int8.onnx")
    if not out.exists():
        import logging

        from onnxruntime.quantization import QuantType, quantize_dynamic

        logging.disable(logging.WARNING)  # its advice to pre-process first is for image models
        try:
            quantize_dynamic(str(path), str(out), weight_type=QuantType.QInt8)
        finally:
            logging.disable(logging.NOTSET)
    return out


# --- running them on embed's batches -------------------------------------------------------------

def ort_runner(path: Path, threads: int) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """(ids, mask) -> last hidden states with an ONNX Runtime CPU session on `threads` threads."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    return lambda ids, mask: session.run(None, {"input_ids": ids, "attention_mask": mask})[0]


def openvino_runner(path: Path, threads: int, precision: str = "f32") -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """(ids, mask) -> last hidden states with OpenVINO on the CPU, at `precision` ('f32' exact,
    'bf16' approximate), latency mode on `threads` threads."""
    import openvino as ov

    core = ov.Core()
    compiled = core.compile_model(str(path), "CPU", {"INFERENCE_PRECISION_HINT": precision,
                                                     "INFERENCE_NUM_THREADS": threads,
                                                     "PERFORMANCE_HINT": "LATENCY"})
    request = compiled.create_infer_request()

    def run(ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return request.infer({"input_ids": ids, "attention_mask": mask})[0].copy()

    chosen = compiled.get_property("INFERENCE_PRECISION_HINT")  # what OpenVINO chose to run ('f32', 'bf16')
    run.precision = chosen.get_type_name() if hasattr(chosen, "get_type_name") else str(chosen)
    return run


def embed_with(run: Callable[[np.ndarray, np.ndarray], np.ndarray], sentences: list[str], tokenizer, *,
               max_length: int = 512, batch_size: int = 32) -> np.ndarray:
    """Mean-pooled, L2-normalised sentence vectors [n, hidden] from `run` over the batches that
    `embed` plans for the same sentences (same order, same padding, same pooling code)."""
    rows = tokenize_all(sentences, tokenizer, max_length).input_ids
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    out: np.ndarray | None = None
    for batch in plan_batches([len(row) for row in rows], batch_size=batch_size):
        inputs = batch_tensors([rows[i] for i in batch], pad_id, torch.device("cpu"))
        mask = inputs["attention_mask"]
        hidden = torch.from_numpy(run(inputs["input_ids"].numpy(), mask.numpy()))
        vectors = torch.nn.functional.normalize(mean_pool(hidden, mask), dim=-1).numpy()
        if out is None:
            out = np.empty((len(sentences), vectors.shape[-1]), dtype=np.float32)
        out[batch] = vectors
    return out


def peer_calls(model: torch.nn.Module, tokenizer, folder: Path, corpus: list[str], *, threads: int,
               approximate: bool) -> tuple[dict[str, Callable[[], np.ndarray]], dict[str, str]]:
    """({row name: call}, {row name: why it is missing}) for `make bench`'s table."""
    missing = missing_engines()
    calls: dict[str, Callable[[], np.ndarray]] = {}
    skipped = {f"{package} ({why})": "not installed: pip install -r requirements.txt -c constraints.txt"
               for package, why in missing.items()}
    if "onnx" in missing:
        return calls, skipped
    folder = Path(folder)
    path = export_onnx(model, f"{folder.name}-{folder_signature(folder)}")
    if "onnxruntime" not in missing:
        run = ort_runner(path, threads)
        calls["(e) ONNX Runtime fp32, embed's batches"] = lambda: embed_with(run, corpus, tokenizer)
        if approximate:
            run8 = ort_runner(int8_onnx(path), threads)
            calls["(f) ONNX Runtime int8 (APPROXIMATE)"] = lambda: embed_with(run8, corpus, tokenizer)
    if "openvino" not in missing:
        ov32 = openvino_runner(path, threads, "f32")
        calls["(e) OpenVINO f32, embed's batches"] = lambda: embed_with(ov32, corpus, tokenizer)
        if approximate:
            ov16 = openvino_runner(path, threads, "bf16")
            label = ("(f) OpenVINO bf16 (APPROXIMATE)" if "16" in ov16.precision else
                     f"(f) OpenVINO bf16 asked, runs {ov16.precision} (no native bf16)")
            calls[label] = lambda: embed_with(ov16, corpus, tokenizer)
    for backend, status in st_backend_status().items():
        if status == "available":
            calls[f"(e) sentence-transformers backend='{backend}'"] = _st_call(folder, backend, corpus)
        else:
            skipped[f"sentence-transformers backend='{backend}'"] = status
    return calls, skipped


def _st_call(folder: Path, backend: str, corpus: list[str]) -> Callable[[], np.ndarray]:
    from sentence_transformers import SentenceTransformer

    st = SentenceTransformer(str(folder), device="cpu", backend=backend)
    return lambda: st.encode(corpus, normalize_embeddings=True)
