"""GPU throughput of `helpers.sentence_vectors.embed` / `embed_stream` against sentence-transformers' encode.

    python benchmarks/embed_gpu.py --model <model folder> [--sentences 100000]
    python benchmarks/embed_gpu.py --write-fp16-copy .gpu/model   # here, before carrying .gpu to a GPU machine

Needs a CUDA GPU with torch, transformers 5.x and sentence-transformers installed. On the
embedded default's folder (or any BERT folder) and a reproducible mixed-length corpus
(`helpers.fast_embedding.mixed_length_corpus`), it times in ONE run: tokenization alone (the
tokenizer's own call, and `tokenize_all`, which calls the Rust backend directly);
sentence-transformers' `encode` in fp16 at batch 32 and 256; `embed(device="cuda")`
(fp16 autocast, mean pooling, normalized) at several batch sizes; and `embed_stream`, which
tokenizes the next chunk in a thread while the GPU works on this one. Every fp16 result is
compared with fp32 vectors of the same weights (min / mean cosine). Prints a table and writes
JSON (default build/embed_gpu.json).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import torch  # noqa: E402


def _sync() -> None:
    if torch.cuda.is_available():
        torch.cuda.synchronize()


def timed(fn, repeats: int = 2):
    """(best seconds, last result) of `fn()` after one warm-up call."""
    result = fn()
    best = float("inf")
    for _ in range(repeats):
        _sync()
        started = time.perf_counter()
        result = fn()
        _sync()
        best = min(best, time.perf_counter() - started)
    return best, result


def cosines(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    a, b = a.astype(np.float64), b.astype(np.float64)  # fp16 outputs: compare in full precision
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    cos = (a * b).sum(axis=1)
    return float(cos.min()), float(cos.mean())


def write_fp16_copy(source: Path, target: Path) -> Path:
    """A copy of the model folder `source` with its weights stored in fp16 (half the size).

    The device machine gets the working tree and what `carry` names, at most 64 MiB in all: the
    embedded model's fp32 weights (91 MB) do not fit, their fp16 copy (45 MB) does. The other
    files (config, tokenizer, pooling settings) are copied as they are.
    """
    import shutil

    from safetensors.torch import load_file, save_file

    target.mkdir(parents=True, exist_ok=True)
    for item in source.iterdir():
        if item.name == "model.safetensors" or item.name.startswith("."):
            continue
        if item.is_dir():
            shutil.copytree(item, target / item.name, dirs_exist_ok=True)
        else:
            shutil.copy2(item, target / item.name)
    weights = load_file(str(source / "model.safetensors"))
    save_file({k: v.half() if v.is_floating_point() else v for k, v in weights.items()},
              str(target / "model.safetensors"), metadata={"format": "pt"})
    return target


def main(argv: list[str] | None = None) -> int:
    from sentence_transformers import SentenceTransformer
    from transformers import AutoTokenizer, BertModel

    from helpers.fast_embedding import mixed_length_corpus
    from helpers.sentence_vectors import embed, embed_stream, tokenize_all

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="a local BERT folder (safetensors)")
    parser.add_argument("--write-fp16-copy", type=Path, metavar="DIR",
                        help="only write an fp16 copy of the embedded model to DIR (small enough to carry to the "
                             "device machine), then stop")
    parser.add_argument("--sentences", type=int, default=100_000)
    parser.add_argument("--json", type=Path, default=ROOT / "build" / "embed_gpu.json")
    parser.add_argument("--dry-run-on-cpu", action="store_true",
                        help="run every step on the CPU in fp32 (use a small --sentences): checks that the script "
                             "works before spending GPU time; its timings mean nothing")
    args = parser.parse_args(argv)
    if args.write_fp16_copy:
        from helpers import embedded_model_path

        print("wrote", write_fp16_copy(embedded_model_path(), args.write_fp16_copy))
        return 0
    if not args.model:
        parser.error("--model <model folder> is needed")
    if not torch.cuda.is_available() and not args.dry_run_on_cpu:
        print("CUDA GPU 가 없습니다: 이 벤치마크는 GPU 에서만 돌립니다(스크립트 점검만은 --dry-run-on-cpu).")
        return 2
    device = "cpu" if args.dry_run_on_cpu else "cuda"
    half = "fp32" if args.dry_run_on_cpu else "fp16"  # the precision of the compared runs

    tokenizer = AutoTokenizer.from_pretrained(args.model, local_files_only=True)
    model = BertModel.from_pretrained(args.model, local_files_only=True, use_safetensors=True,
                                      dtype=torch.float32).eval().to(device)
    corpus = mixed_length_corpus(tokenizer, args.sentences)
    n = len(corpus)
    rows: list[dict] = []

    def add(method: str, seconds: float, vectors: np.ndarray | None, reference: np.ndarray | None) -> None:
        row = {"method": method, "seconds": seconds, "sentences_per_s": n / seconds}
        if vectors is not None and reference is not None:
            row["min_cos"], row["mean_cos"] = cosines(vectors, reference)
        rows.append(row)
        extra = f"  min cos {row['min_cos']:.6f}  mean cos {row['mean_cos']:.7f}" if "min_cos" in row else ""
        print(f"{method:<44} {seconds:8.2f}s {row['sentences_per_s']:>10,.0f} sent/s{extra}", flush=True)

    started = time.perf_counter()
    tokenizer(corpus, truncation=True, max_length=512)
    add("tokenize only: the tokenizer's own call", time.perf_counter() - started, None, None)
    started = time.perf_counter()
    tokens = tokenize_all(corpus, tokenizer, 512)
    add("tokenize only: helpers' tokenize_all (Rust backend)", time.perf_counter() - started, None, None)
    print(f"  tokens: {sum(tokens.lengths):,} real, mean {np.mean(tokens.lengths):.1f} per sentence")

    # fp32 reference of the same weights (exact path of embed)
    seconds, reference = timed(lambda: embed(corpus, model, tokenizer, normalize=True, device=device,
                                             precision="fp32", batch_size=256), repeats=1)
    add("helpers.embed fp32, batch 256 (reference)", seconds, reference, reference)

    # fp32 weights first (the folder may hold an fp16 copy), then half precision on the GPU
    st = SentenceTransformer(args.model, device=device, model_kwargs={"dtype": torch.float32})
    if half == "fp16":
        st.half()
    for batch in (32, 256):
        seconds, vectors = timed(lambda b=batch: st.encode(corpus, batch_size=b, normalize_embeddings=True,
                                                           convert_to_numpy=True), repeats=1)
        add(f"sentence-transformers encode {half}, batch {batch}", seconds, vectors, reference)

    for batch in (32, 256, 1024):
        seconds, vectors = timed(lambda b=batch: embed(corpus, model, tokenizer, normalize=True, device=device,
                                                       batch_size=b))
        add(f"helpers.embed {half}, batch {batch}", seconds, vectors, reference)

    for chunk, batch in ((8192, 256), (16384, 1024)):
        seconds, vectors = timed(lambda c=chunk, b=batch: np.concatenate(list(embed_stream(
            corpus, model, tokenizer, chunk_size=c, batch_size=b, normalize=True, device=device,
            progress=False))))
        add(f"helpers.embed_stream {half}, chunk {chunk}, batch {batch}", seconds, vectors, reference)

    st_rate = {r["method"]: r["sentences_per_s"] for r in rows}
    best = max((r for r in rows if r["method"].startswith("helpers.embed") and half in r["method"]),
               key=lambda r: r["sentences_per_s"])
    summary = {"gpu": torch.cuda.get_device_name(0) if device == "cuda" else "none (dry run on the CPU)",
               "torch": torch.__version__, "sentences": n,
               "best_helpers": best["method"], "best_helpers_sentences_per_s": best["sentences_per_s"],
               "vs_st_batch_32": best["sentences_per_s"] / st_rate[f"sentence-transformers encode {half}, batch 32"],
               "vs_st_batch_256": best["sentences_per_s"] / st_rate[f"sentence-transformers encode {half}, batch 256"],
               "rows": rows}
    print(json.dumps({k: v for k, v in summary.items() if k != "rows"}, indent=1))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
