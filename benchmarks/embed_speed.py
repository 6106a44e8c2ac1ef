"""How fast is `helpers.sentence_vectors.embed`? One run, three ways, the same sentences.

    .venv/bin/python benchmarks/embed_speed.py                 # ~2-5 min on 2 CPU cores
    .venv/bin/python benchmarks/embed_speed.py --stream 100000 # + peak memory of embed_stream
    .venv/bin/python benchmarks/embed_speed.py --variants      # + other settings of (c) (token budget, batch, threads)

Times, for each model asked for (`--model`: the Korean embedded default multilingual-e5-small on a
Korean mixed-length corpus, and the English all-MiniLM-L6-v2 on an English one; both by default),
on a reproducible corpus whose sentences all fit in 128 tokens:
  (a) the book's way: padding="max_length", max_length=128, fixed batches of 32;
  (b) sentence-transformers' `SentenceTransformer(<same folder>).encode` with its defaults
      and with the best batch size of a short tuning run;
  (c) `embed` (mean pooling + normalization, the same vectors as (b)); its kernel choice
      (prepack='auto') against each kernel forced (prepack=True / False), and `workers=1` to show
      what two batches side by side add;
  (d) `embed(approximate="int8" or "bf16")`: approximate, reported with their cosine error;
  (e) the exact peers (benchmarks/peers.py): ONNX Runtime and OpenVINO on the same folder exported to
      ONNX, fed the batches `embed` plans; sentence-transformers' backend="onnx"/"openvino" where
      they can be installed (the table says why not);
  (f) their approximate modes (ONNX Runtime dynamic int8, OpenVINO bf16) beside (d).
It prints a table (sentences/s, ratios, vector differences, peak RSS, achieved FLOP/s of (c)
against a dense fp32 matmul peak measured in the same run) and writes JSON (default
build/embed_speed.json, not committed). Timings on a shared machine are noisy: compare the
ratios within one run, not absolute numbers between runs.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path
from typing import Callable

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from helpers import EMBEDDED, ENGLISH, load_model, load_tokenizer, resolve_model  # noqa: E402
from helpers.loading import quiet_transformers  # noqa: E402
from helpers.fast_embedding import mixed_length_corpus  # noqa: E402
from helpers.fastpath import Engine, Unpadded, kernel_choice  # noqa: E402
from peers import peer_calls  # noqa: E402
from helpers.sentence_vectors import (embed, embed_stream, mean_pool, padding_share, plan_batches,  # noqa: E402
                                      tokenize_all)

BOOK_MAX_LENGTH = 128
BATCH = 32
MODELS = {"embedded": EMBEDDED, "english": ENGLISH}


def load(which: str):
    """(tokenizer, model, model folder) of `which` ('embedded' or 'english'), the pooler warning silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_tokenizer(MODELS[which]), load_model(MODELS[which]), resolve_model(MODELS[which]).path


def corpus_for(which: str, tokenizer, n: int) -> list[str]:
    """The mixed-length corpus of a model: Korean words for the Korean default, English ones for
    MiniLM; every sentence within the book's 128 tokens, so all methods give the same vectors."""
    if which == "embedded":
        return mixed_length_corpus(tokenizer, n, seed=0, korean=True, median_words=9, max_words=45)  # ~ the English spread
    return mixed_length_corpus(tokenizer, n, seed=0)


# --- measuring --------------------------------------------------------------------------------

class PeakRSS:
    """Peak resident memory (MB) of this process during a `with` block.

    Resets the kernel's high-water mark (/proc/self/clear_refs) when allowed, else samples
    VmRSS every 10 ms in a thread.
    """

    def __enter__(self) -> "PeakRSS":
        self.peak_mb = 0.0
        self._reset = _reset_hwm()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.01):
            self.peak_mb = max(self.peak_mb, _status_mb("VmRSS"))

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        if self._reset:
            self.peak_mb = max(self.peak_mb, _status_mb("VmHWM"))


def _status_mb(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _reset_hwm() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def interleaved(calls: dict[str, Callable[[], np.ndarray]], rounds: int) -> dict[str, dict]:
    """Run every call once per round, in turn, and keep each one's best wall time (s), every round's
    time (`rounds`, for the median), its last result and its peak RSS (MB). Taking turns means a burst
    of load from other processes on a shared machine hits all methods alike, so the ratios stay fair."""
    rows = {name: {"seconds": float("inf"), "rounds": [], "peak_rss_mb": 0.0, "vectors": None} for name in calls}
    for _ in range(rounds):
        for name, fn in calls.items():
            with PeakRSS() as rss:
                start = time.perf_counter()
                out = fn()
                seconds = time.perf_counter() - start
            row = rows[name]
            row["seconds"] = min(row["seconds"], seconds)
            row["rounds"].append(seconds)
            row["peak_rss_mb"] = max(row["peak_rss_mb"], rss.peak_mb)
            row["vectors"] = out
    return rows


def _best_seconds(fn: Callable[[], object], repeats: int) -> float:
    fn()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def matmul_peak_gflops(n: int = 2048, repeats: int = 8) -> dict[str, float]:
    """Best fp32 dense matmul rates (GFLOP/s) on this machine, by both of torch's CPU kernels:
    'mkl' = torch.mm (n x n @ n x n), 'onednn' = oneDNN's linear on a packed weight (the kernel
    `embed`'s prepack uses), at n rows x n inputs x n outputs. The peak is the larger."""
    a, b = torch.randn(n, n), torch.randn(n, n)
    rates = {"mkl": 2 * n ** 3 / _best_seconds(lambda: torch.mm(a, b), repeats) / 1e9}
    try:
        packed = torch.ops.mkldnn._reorder_linear_weight(b, n)
        seconds = _best_seconds(lambda: torch.ops.mkldnn._linear_pointwise(a, packed, None, "none", [], ""), repeats)
        rates["onednn"] = 2 * n ** 3 / seconds / 1e9
    except (AttributeError, RuntimeError):  # a torch build without oneDNN
        pass
    return rates


ISA_FEATURES = ("avx2", "fma", "avx512f", "avx512_vnni", "avx_vnni", "avx512_bf16", "amx_tile", "amx_bf16", "amx_int8")
"""The /proc/cpuinfo flags that decide which CPU kernels oneDNN and MKL can use for BERT's matmuls."""


def cpu_description(cpuinfo: str | None = None) -> dict:
    """The CPU by name: vendor, model, and which of ISA_FEATURES it has (from /proc/cpuinfo text;
    elsewhere `platform`'s answer and no features). `native_bf16` is True with AVX512-BF16 or
    AMX-BF16: without either, bf16 matmuls are emulated and slower than fp32."""
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
        except OSError:
            cpuinfo = ""
    fields: dict[str, str] = {}
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        fields.setdefault(key.strip(), value.strip())
    flags = set(fields.get("flags", "").split())
    features = {name: name in flags for name in ISA_FEATURES}
    return {"vendor": fields.get("vendor_id", "") or platform.machine(),
            "model": fields.get("model name", "") or platform.processor() or platform.machine(),
            "features": features, "native_bf16": features["avx512_bf16"] or features["amx_bf16"]}


def bf16_matmul_peak_gflops(n: int = 2048, repeats: int = 4) -> float:
    """Best bf16 torch.mm rate (GFLOP/s). Tried at n=256 first: where bf16 is emulated (no
    AVX512-BF16 or AMX) it is so slow that a full-size run would take minutes, so the small size
    is the answer then."""
    small = torch.randn(256, 256, dtype=torch.bfloat16)
    rate = 2 * 256 ** 3 / _best_seconds(lambda: torch.mm(small, small), 2) / 1e9
    if rate < 20:
        return rate
    a, b = torch.randn(n, n, dtype=torch.bfloat16), torch.randn(n, n, dtype=torch.bfloat16)
    return 2 * n ** 3 / _best_seconds(lambda: torch.mm(a, b), repeats) / 1e9


def encoder_flops(lengths, config, pad_to: list[int] | None = None, *, dense_padded: bool = True) -> float:
    """Forward FLOPs of a BERT encoder (matmuls only) for sentences of `lengths` tokens.

    Per layer and sentence of length L: 2*L*(4h^2 + 2*h*ffn) for the dense layers plus 4*L^2*h
    for attention scores and the weighted sum. `pad_to` gives each sentence's computed length
    (with padding); without it only real tokens count ("useful" FLOPs). `dense_padded=False`:
    the dense layers see the real tokens only and attention the padded length (embed's
    `fastpath.Unpadded`).
    """
    h, ffn, layers = config.hidden_size, config.intermediate_size, config.num_hidden_layers
    widths = pad_to if pad_to is not None else lengths
    dense = widths if dense_padded else lengths
    return float(sum(layers * (2 * d * (4 * h * h + 2 * h * ffn) + 4 * w * w * h) for d, w in zip(dense, widths)))


def explain_c_over_a(*, computed_a: float, seconds_a: float, computed_c: float, seconds_c: float,
                     peak_gflops: float) -> dict:
    """(c)/(a) split into its two factors: how many fewer FLOPs (c) computes (padding it skips)
    times how much faster it runs each FLOP. `ceiling_at_peak`: the (c)/(a) that (c) would reach at the
    matmul peak, every one of its FLOPs included, with (a) as measured."""
    rate_a, rate_c = computed_a / seconds_a / 1e9, computed_c / seconds_c / 1e9
    flop_ratio = computed_a / computed_c
    return {"a_computed_gflops_per_s": rate_a, "c_computed_gflops_per_s": rate_c,
            "flop_ratio_a_over_c": flop_ratio, "rate_ratio_c_over_a": rate_c / rate_a,
            "ceiling_at_peak": flop_ratio * peak_gflops / rate_a}


def compare(x: np.ndarray, y: np.ndarray) -> dict:
    """Max abs difference and min / mean cosine between two sets of row vectors."""
    cos = (x * y).sum(1) / (np.linalg.norm(x, axis=1) * np.linalg.norm(y, axis=1))
    return {"max_abs": float(np.abs(x - y).max()), "min_cos": float(cos.min()), "mean_cos": float(cos.mean())}


# --- the ways to embed --------------------------------------------------------------------------

def book_way(sentences, model, tokenizer) -> np.ndarray:
    """(a) Fixed batches of 32, every sentence padded to max_length=128, mean pooled + normalized."""
    out = []
    with torch.inference_mode():
        for start in range(0, len(sentences), BATCH):
            features = tokenizer(sentences[start:start + BATCH], padding="max_length", truncation=True,
                                 max_length=BOOK_MAX_LENGTH, return_tensors="pt")
            outputs = model(**features)
            out.append(mean_pool(outputs.last_hidden_state, features["attention_mask"]))
    return torch.nn.functional.normalize(torch.cat(out), dim=-1).numpy()


def tune_st_batch(st, sentences, sizes=(16, 64, 128)) -> int:
    """The sentence-transformers batch size that ran fastest on a slice of the corpus."""
    sample = sentences[: min(len(sentences), 512)]
    times = {}
    for size in sizes:
        start = time.perf_counter()
        st.encode(sample, batch_size=size)
        times[size] = time.perf_counter() - start
    return min(times, key=times.get)


def variant_calls(corpus, model, tokenizer) -> dict[str, Callable[[], np.ndarray]]:
    """Other settings of (c), timed in the same rounds to show which techniques do not pay here."""

    def one_thread():
        before = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            return embed(corpus, model, tokenizer, normalize=True)
        finally:
            torch.set_num_threads(before)

    return {
        "(c) variant: token budget max_tokens=4096": lambda: embed(corpus, model, tokenizer, normalize=True,
                                                                    batch_size=256, max_tokens=4096),
        "(c) variant: batch_size=16": lambda: embed(corpus, model, tokenizer, normalize=True, batch_size=16),
        "(c) variant: batch_size=64": lambda: embed(corpus, model, tokenizer, normalize=True, batch_size=64),
        "(c) variant: 1 torch thread": one_thread,
    }


# --- streaming memory (separate processes, so each peak is its own) ---------------------------

def stream_child(n: int, mode: str, which: str = "embedded") -> None:
    """Print the peak RSS (MB) of one fresh process: 'list' embeds n sentences with `embed`,
    'stream' feeds n sentences from a generator through `embed_stream`, keeping only a checksum."""
    tokenizer, model, _ = load(which)
    base = corpus_for(which, tokenizer, 2000)
    start = time.perf_counter()
    with PeakRSS() as rss:
        if mode == "list":
            vectors = embed(base[:n], model, tokenizer, normalize=True)
            total = float(vectors.sum())
        else:
            sentences = (base[i % len(base)] for i in range(n))  # lazy: never a list of n
            total, after_chunk = 0.0, []
            for chunk in embed_stream(sentences, model, tokenizer, normalize=True, total=n,
                                      progress=sys.stderr.isatty()):
                total += float(chunk.sum())
                after_chunk.append(round(_status_mb("VmRSS")))
    print(json.dumps({"mode": mode, "n": n, "peak_rss_mb": rss.peak_mb,
                      "rss_mb_after_each_chunk": after_chunk if mode == "stream" else None,
                      "seconds": time.perf_counter() - start, "checksum": total}))


def stream_memory(n: int, which: str) -> dict:
    runs = {}
    for mode, size in (("list", 2000), ("stream", n)):
        done = subprocess.run([sys.executable, __file__, "--_child", mode, str(size), which], check=True,
                              capture_output=True, text=True)
        runs[mode] = json.loads(done.stdout.strip().splitlines()[-1])
    runs["growth_mb"] = runs["stream"]["peak_rss_mb"] - runs["list"]["peak_rss_mb"]
    return runs


# --- main ---------------------------------------------------------------------------------------

def run(n: int, repeats: int, int8: bool, stream: int | None, variants: bool = False,
        which: str = "embedded", peers: bool = True) -> dict:
    from sentence_transformers import SentenceTransformer

    torch.manual_seed(0)
    tokenizer, model, folder = load(which)
    corpus = corpus_for(which, tokenizer, n)
    lengths = tokenize_all(corpus, tokenizer, model.config.max_position_embeddings).lengths
    batches = plan_batches(lengths, batch_size=BATCH)
    with warnings.catch_warnings(), quiet_transformers():
        warnings.simplefilter("ignore")
        st = SentenceTransformer(str(folder), device="cpu")
    # warm up every path once (first calls allocate and pick kernels)
    warm = corpus[:64]
    book_way(warm, model, tokenizer), st.encode(warm), embed(warm, model, tokenizer, normalize=True)

    peaks = [matmul_peak_gflops()]
    tuned = tune_st_batch(st, corpus)
    calls = {
        "(a) book: max_length=128, batch 32": lambda: book_way(corpus, model, tokenizer),
        "(b) sentence-transformers encode (defaults)": lambda: st.encode(corpus),
        f"(b') sentence-transformers encode (batch {tuned})": lambda: st.encode(corpus, batch_size=tuned),
        "(c) helpers.embed": lambda: embed(corpus, model, tokenizer, normalize=True),
        "(c) prepack=True (always oneDNN packed)": lambda: embed(corpus, model, tokenizer, normalize=True,
                                                                 prepack=True),
        "(c) prepack=False (the model as it is: torch Linear, padded)": lambda: embed(corpus, model, tokenizer, normalize=True,
                                                                prepack=False),
        "(c) one batch at a time (workers=1)": lambda: embed(corpus, model, tokenizer, normalize=True, workers=1),
    }
    if int8:
        embed(warm, model, tokenizer, normalize=True, approximate="int8")
        calls["(d) helpers.embed approximate='int8' (APPROXIMATE)"] = \
            lambda: embed(corpus, model, tokenizer, normalize=True, approximate="int8")
        calls["(d) helpers.embed approximate='bf16' (APPROXIMATE)"] = \
            lambda: embed(corpus, model, tokenizer, normalize=True, approximate="bf16")
    skipped: dict[str, str] = {}
    if peers:
        peer_rows, skipped = peer_calls(model, tokenizer, folder, corpus, threads=torch.get_num_threads(),
                                        approximate=int8)
        for call in peer_rows.values():  # warm up (first runs compile and allocate)
            call()
        calls.update(peer_rows)
    if variants:
        calls.update(variant_calls(corpus, model, tokenizer))
    rows = interleaved(calls, repeats)
    peaks.append(matmul_peak_gflops())
    peak = max(rate for sample in peaks for rate in sample.values())
    bf16_peak = bf16_matmul_peak_gflops()
    ours, st_default = rows["(c) helpers.embed"]["vectors"], rows["(b) sentence-transformers encode (defaults)"]["vectors"]
    c = rows["(c) helpers.embed"]
    b_best = min(v["seconds"] for k, v in rows.items() if k.startswith("(b"))
    useful = encoder_flops(lengths, model.config)
    unpadded = isinstance(Engine(model, device="cpu").module, Unpadded)  # what (c) ran: padding skipped or not
    computed_c = encoder_flops([lengths[i] for b in batches for i in b], model.config,
                               pad_to=[max(lengths[i] for i in b) for b in batches for _ in b], dense_padded=not unpadded)
    result = {
        "model": resolve_model(MODELS[which]).name,
        "machine": {"cpu": cpu_description(), "torch_threads": torch.get_num_threads(),
                    "cores": os.cpu_count(), "torch": torch.__version__},
        "kernel_choice": dataclasses.asdict(kernel_choice(model)) if kernel_choice(model) else None,
        "dense_layers_skip_padding": unpadded,
        "peers_missing": skipped,
        "corpus": {"sentences": n, "tokens": int(sum(lengths)), "min_tokens": int(min(lengths)),
                   "median_tokens": float(np.median(lengths)), "max_tokens": int(max(lengths)),
                   "padding_share_book": padding_share(lengths, pad_to=BOOK_MAX_LENGTH),
                   "padding_share_dynamic": padding_share(lengths, batches)},
        "matmul_peak_gflops": peak, "matmul_peak_samples": peaks, "bf16_matmul_peak_gflops": bf16_peak,
        "methods": {},
    }
    for name, row in rows.items():
        entry = {"seconds": row["seconds"], "sentences_per_s": n / row["seconds"], "rounds": row["rounds"],
                 "median_sentences_per_s": n / float(np.median(row["rounds"])), "peak_rss_mb": row["peak_rss_mb"],
                 "vs_c": compare(row["vectors"], ours)}
        result["methods"][name] = entry
    result["ratios"] = {
        "c_over_a": rows["(a) book: max_length=128, batch 32"]["seconds"] / c["seconds"],
        "c_over_b_default": rows["(b) sentence-transformers encode (defaults)"]["seconds"] / c["seconds"],
        "c_over_b_best": b_best / c["seconds"],
        "c_over_exact_peers": {name: row["seconds"] / c["seconds"] for name, row in rows.items() if name.startswith("(e)")},
        "c_over_exact_peers_median": {name: float(np.median(row["rounds"]) / np.median(c["rounds"]))
                                      for name, row in rows.items() if name.startswith("(e)")},
    }
    result["c_vs_b"] = compare(ours, st_default)
    result["flops_c"] = {"useful_gflops_per_s": useful / c["seconds"] / 1e9,
                         "computed_gflops_per_s": computed_c / c["seconds"] / 1e9,
                         "useful_share_of_peak": useful / c["seconds"] / 1e9 / peak,
                         "useful_share_of_bf16_peak": useful / c["seconds"] / 1e9 / bf16_peak}
    result["c_over_a_explained"] = explain_c_over_a(
        computed_a=encoder_flops(lengths, model.config, pad_to=[BOOK_MAX_LENGTH] * n),  # every row padded to 128
        seconds_a=rows["(a) book: max_length=128, batch 32"]["seconds"],
        computed_c=computed_c, seconds_c=c["seconds"], peak_gflops=peak)
    if stream:
        result["stream"] = stream_memory(stream, which)
    return result


def print_table(result: dict) -> None:
    corpus = result["corpus"]
    print(f"== model: {result['model']}")
    print(f"corpus: {corpus['sentences']} sentences, {corpus['tokens']} tokens "
          f"(min {corpus['min_tokens']}, median {corpus['median_tokens']:.0f}, max {corpus['max_tokens']}); "
          f"padding computed: book {corpus['padding_share_book']:.0%}, dynamic {corpus['padding_share_dynamic']:.0%}")
    samples = ", ".join(f"{k} {v:.0f}" for sample in result["matmul_peak_samples"] for k, v in sample.items())
    machine, cpu = result["machine"], result["machine"]["cpu"]
    have = [name for name, present in cpu["features"].items() if present] or ["none of " + ", ".join(ISA_FEATURES)]
    print(f"CPU: {cpu['vendor']} {cpu['model']}; ISA: {' '.join(have)}; {machine['cores']} cores, "
          f"{machine['torch_threads']} torch threads, torch {machine['torch']}")
    print(f"matmul peaks: fp32 {result['matmul_peak_gflops']:.1f} GFLOP/s (best of: {samples}); bf16 "
          f"{result['bf16_matmul_peak_gflops']:.1f} GFLOP/s ({'native' if cpu['native_bf16'] else 'emulated: no AVX512-BF16/AMX'})")
    choice = result["kernel_choice"]
    if choice:
        print(f"embed's kernel (prepack='auto', measured on one layer, {choice['workers']} worker(s) x "
              f"{choice['threads']} thread(s)): "
              f"{'oneDNN packed' if choice['packed'] else 'plain torch Linear'} "
              f"(packed {choice['packed_ms']:.1f} ms, plain {choice['plain_ms']:.1f} ms)")
    print("embed's dense layers: " + ("real tokens only, padding skipped (fastpath.Unpadded); attention padded"
                                      if result["dense_layers_skip_padding"] else "padded batches (the model as it is)"))
    print(f"{'method':55s} {'sent/s':>8s} {'median':>8s} {'s':>7s} {'RSS MB':>7s} {'max|d| vs c':>12s} {'min cos':>10s} "
          f"{'mean cos':>10s}")
    for name, m in result["methods"].items():
        d = m["vs_c"]
        print(f"{name:55s} {m['sentences_per_s']:8.1f} {m['median_sentences_per_s']:8.1f} {m['seconds']:7.2f} {m['peak_rss_mb']:7.0f} "
              f"{d['max_abs']:12.2e} {d['min_cos']:10.7f} {d['mean_cos']:10.7f}")
    for name, why in result["peers_missing"].items():
        print(f"{name:55s} {'-':>8s}  not run: {why}")
    r, f, cb = result["ratios"], result["flops_c"], result["c_vs_b"]
    print(f"(c)/(a) = {r['c_over_a']:.2f}x   (c)/(b defaults) = {r['c_over_b_default']:.3f}x   "
          f"(c)/(best b) = {r['c_over_b_best']:.3f}x")
    for name, ratio in r["c_over_exact_peers"].items():
        print(f"(c)/{name} = {ratio:.3f}x (best rounds), {r['c_over_exact_peers_median'][name]:.3f}x (median rounds)")
    e = result["c_over_a_explained"]
    print(f"(c)/(a) = {e['flop_ratio_a_over_c']:.2f}x fewer FLOPs (padding skipped) x {e['rate_ratio_c_over_a']:.2f}x "
          f"the FLOP/s of (a) ({e['c_computed_gflops_per_s']:.0f} vs {e['a_computed_gflops_per_s']:.0f} GFLOP/s, "
          f"padding included); at the matmul peak (c)/(a) could reach {e['ceiling_at_peak']:.2f}x")
    print(f"(c) vs (b): max abs diff {cb['max_abs']:.2e}, min cosine {cb['min_cos']:.7f}")
    print(f"(c) useful FLOP/s (real tokens only): {f['useful_gflops_per_s']:.1f} GFLOP/s = "
          f"{f['useful_share_of_peak']:.0%} of the fp32 matmul peak"
          + (f", {f['useful_share_of_bf16_peak']:.0%} of the bf16 one " if machine["cpu"]["native_bf16"] else " ")
          + f"(incl. padding: {f['computed_gflops_per_s']:.1f})")
    if "stream" in result:
        s = result["stream"]
        print(f"streaming {s['stream']['n']} sentences: peak RSS {s['stream']['peak_rss_mb']:.0f} MB "
              f"({s['stream']['seconds']:.0f} s) vs embed of {s['list']['n']}: {s['list']['peak_rss_mb']:.0f} MB "
              f"-> growth {s['growth_mb']:+.0f} MB")
        trace = s["stream"]["rss_mb_after_each_chunk"]
        print(f"  RSS after each chunk of 4096 (MB): first {trace[0]}, last {trace[-1]}, max {max(trace)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=2000, help="corpus size (default 2000)")
    parser.add_argument("--repeats", type=int, default=3, help="rounds of every method taking turns; best and median time of each (default 3)")
    parser.add_argument("--no-approximate", action="store_true", help="skip the approximate int8 / bf16 rows")
    parser.add_argument("--stream", type=int, metavar="N",
                        help="also compare peak RSS of embed_stream over N sentences (e.g. 100000: slow)")
    parser.add_argument("--variants", action="store_true",
                        help="also time other settings of (c): token budget, batch 16/64, 1 thread")
    parser.add_argument("--no-peers", action="store_true",
                        help="skip the ONNX Runtime / OpenVINO peers (their first run exports the model to ONNX)")
    parser.add_argument("--model", choices=["both", *MODELS], default="both",
                        help="embedded (Korean default, Korean corpus), english (MiniLM, English corpus) or both")
    parser.add_argument("--json", type=Path, default=ROOT / "build" / "embed_speed.json")
    parser.add_argument("--_child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._child:
        stream_child(int(args._child[1]), args._child[0], args._child[2])
        return 0
    results = {}
    for which in (MODELS if args.model == "both" else [args.model]):
        results[which] = run(args.sentences, args.repeats, not args.no_approximate, args.stream, args.variants, which,
                             peers=not args.no_peers)
        print_table(results[which])
        print()
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
