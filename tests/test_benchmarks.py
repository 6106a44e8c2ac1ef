"""The speed benchmarks: embed_speed.py (its FLOP count and one-run comparison) and embed_gpu.py
(that it runs through, on the CPU, before GPU time is spent on it).

No timings are asserted: only that the figures it reports are computed right (FLOPs agree with
torch's own counter) and that the methods it compares give the same vectors.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import torch
from torch.utils.flop_counter import FlopCounterMode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import embed_gpu  # noqa: E402
import embed_speed  # noqa: E402

from helpers.fastpath import Unpadded  # noqa: E402


@pytest.mark.parametrize("texts", [["A cat sat on the mat."],
                                   ["Short.", "A somewhat longer sentence about vectors, padding and speed."]])
def test_encoder_flops_agree_with_torchs_flop_counter(texts, eager_model, english_tokenizer):
    config = eager_model.config
    features = english_tokenizer(texts, padding=True, return_tensors="pt")
    lengths = features["attention_mask"].sum(1).tolist()
    width = features["input_ids"].shape[1]
    with FlopCounterMode(display=False) as counter, torch.inference_mode():
        eager_model(**features)
    pooler = 2 * config.hidden_size * config.hidden_size * len(texts)  # dense on [CLS], not the encoder
    computed = embed_speed.encoder_flops(lengths, config, pad_to=[width] * len(texts))
    assert counter.get_total_flops() - pooler == pytest.approx(computed, rel=1e-9)
    with FlopCounterMode(display=False) as counter, torch.inference_mode():  # embed's runner: dense layers unpadded
        Unpadded(eager_model)(**features)
    unpadded = embed_speed.encoder_flops(lengths, config, pad_to=[width] * len(texts), dense_padded=False)
    # the counter does not see SDPA's fused CPU kernel, which Unpadded calls: add attention as counted above
    attention = config.num_hidden_layers * 4 * width * width * config.hidden_size * len(texts)
    assert counter.get_total_flops() - pooler + attention == pytest.approx(unpadded, rel=1e-9)
    if min(lengths) < width:  # useful FLOPs (real tokens only) < unpadded (attention padded) < all padded
        assert embed_speed.encoder_flops(lengths, config) < unpadded < computed


def test_matmul_peak_reports_both_kernels_as_positive_rates():
    rates = embed_speed.matmul_peak_gflops(n=256, repeats=2)
    assert set(rates) <= {"mkl", "onednn"} and "mkl" in rates
    assert all(rate > 0 for rate in rates.values())


INTEL_CPUINFO = ("processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Platinum 8481C\n"
                 "flags\t\t: fpu sse2 avx2 fma avx512f avx512_vnni avx512_bf16 amx_bf16 amx_tile amx_int8\n\n"
                 "processor\t: 1\nvendor_id\t: GenuineIntel\n")
AMD_CPUINFO = "vendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC\nflags\t\t: fpu sse2 avx avx2 fma sse4a\n"


def test_the_cpu_is_named_with_the_isa_that_decides_the_kernels():
    intel, amd = embed_speed.cpu_description(INTEL_CPUINFO), embed_speed.cpu_description(AMD_CPUINFO)
    assert (intel["vendor"], intel["model"]) == ("GenuineIntel", "Intel(R) Xeon(R) Platinum 8481C")
    assert intel["features"]["amx_bf16"] and intel["features"]["avx512f"] and intel["native_bf16"]
    assert amd["vendor"] == "AuthenticAMD" and amd["features"]["avx2"]
    assert not amd["features"]["avx512f"] and not amd["native_bf16"]
    here = embed_speed.cpu_description()  # this machine, read from /proc/cpuinfo where there is one
    assert here["vendor"] and here["model"] and set(here["features"]) == set(embed_speed.ISA_FEATURES)


def test_bf16_peak_is_a_positive_rate():
    assert embed_speed.bf16_matmul_peak_gflops(n=256, repeats=1) > 0


@pytest.mark.parametrize("which, peers", [("embedded", False), ("english", True)])
def test_one_small_run_compares_methods_that_give_the_same_vectors(which, peers):
    result = embed_speed.run(48, repeats=2, int8=False, stream=None, which=which, peers=peers)
    methods = result["methods"]
    assert {"(a) book: max_length=128, batch 32", "(c) helpers.embed", "(c) prepack=True (always oneDNN packed)",
            "(c) prepack=False (the model as it is: torch Linear, padded)", "(b) sentence-transformers encode (defaults)"} <= set(methods)
    if peers:  # the exact peers ran (the lock installs them) and are compared with (c)
        assert {"(e) ONNX Runtime fp32, embed's batches", "(e) OpenVINO f32, embed's batches"} <= set(methods)
        assert set(result["ratios"]["c_over_exact_peers"]) == {m for m in methods if m.startswith("(e)")} \
            == set(result["ratios"]["c_over_exact_peers_median"])
        assert all(why for why in result["peers_missing"].values())  # a reason for every peer that did not run
    choice = result["kernel_choice"]
    assert choice["packed"] == (choice["packed_ms"] <= choice["plain_ms"])
    for name, entry in methods.items():  # every exact method: the vectors of (c)
        assert entry["vs_c"]["min_cos"] >= 0.99999, name
        assert entry["sentences_per_s"] > 0 and entry["peak_rss_mb"] > 0
        assert len(entry["rounds"]) == 2 and min(entry["rounds"]) == entry["seconds"]  # best of the rounds ...
        assert entry["median_sentences_per_s"] <= entry["sentences_per_s"]  # ... and the median no faster
    assert result["c_vs_b"]["min_cos"] >= 0.99999
    assert result["corpus"]["sentences"] == 48
    assert 0 < result["corpus"]["padding_share_dynamic"] < result["corpus"]["padding_share_book"] < 1
    assert result["flops_c"]["useful_gflops_per_s"] <= result["flops_c"]["computed_gflops_per_s"]
    assert result["matmul_peak_gflops"] == max(r for s in result["matmul_peak_samples"] for r in s.values())
    explained = result["c_over_a_explained"]  # (c)/(a) = fewer FLOPs x faster FLOPs, as reported
    assert explained["flop_ratio_a_over_c"] * explained["rate_ratio_c_over_a"] == \
        pytest.approx(result["ratios"]["c_over_a"], rel=1e-9)
    assert result["dense_layers_skip_padding"]  # both benchmarked models are BERT-shaped: fastpath.Unpadded runs
    corpus = result["corpus"]  # dense positions: 128 per sentence in (a), at most each batch's longest in (c)
    padded_ratio = (1 - corpus["padding_share_dynamic"]) / (1 - corpus["padding_share_book"])
    real_ratio = 1 / (1 - corpus["padding_share_book"])  # (c)'s dense layers on the real tokens only
    # attention adds at most 4*128*h per position (at 128 tokens) to the dense layers' FLOPs
    h, ffn = 384, 1536  # both benchmarked models: hidden 384, feed-forward 1536
    attention_share = 4 * 128 * h / (2 * (4 * h * h + 2 * h * ffn))
    assert padded_ratio < explained["flop_ratio_a_over_c"] <= real_ratio * (1 + attention_share)


def test_gpu_benchmark_runs_through_on_the_cpu_before_gpu_time_is_spent(tmp_path):
    from helpers import english_model_path

    out = tmp_path / "gpu.json"
    code = embed_gpu.main(["--model", str(english_model_path()), "--sentences", "40", "--dry-run-on-cpu",
                           "--json", str(out)])
    assert code == 0
    summary = json.loads(out.read_text(encoding="utf-8"))
    methods = [row["method"] for row in summary["rows"]]
    assert any(m.startswith("tokenize only: helpers' tokenize_all") for m in methods)
    assert summary["best_helpers"].startswith("helpers.embed")
    for row in summary["rows"]:  # everything in fp32 here: the same vectors as the reference
        if "min_cos" in row:
            assert row["min_cos"] >= 0.99999, row["method"]


def test_fp16_copy_of_the_model_is_half_the_size_and_gives_nearly_the_same_vectors(tmp_path, english_model,
                                                                                   english_tokenizer):
    from transformers import AutoTokenizer, BertModel

    from helpers import english_model_path
    from helpers.sentence_vectors import embed

    source = english_model_path()
    copy = embed_gpu.write_fp16_copy(source, tmp_path / "model")
    size = (copy / "model.safetensors").stat().st_size
    assert size < 0.55 * (source / "model.safetensors").stat().st_size
    model = BertModel.from_pretrained(str(copy), local_files_only=True, use_safetensors=True,
                                      dtype=torch.float32).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(copy), local_files_only=True)
    sentences = ["A cat sat on the mat.", "Vectors from a smaller file."]
    ours, original = (embed(sentences, m, t, normalize=True) for m, t in
                      ((model, tokenizer), (english_model, english_tokenizer)))
    assert (ours * original).sum(1).min() >= 0.9999  # fp16 rounding of the weights only


def test_onnx_runtime_and_openvino_run_the_exported_model_to_embeds_vectors(tmp_path, english_model, english_tokenizer):
    import peers
    from helpers.sentence_vectors import embed

    sentences = ["Short.", "A somewhat longer sentence about vectors, padding and speed.",
                 "Vectors of sentences of very different lengths share a batch only with their own kind."] * 3
    path = peers.export_onnx(english_model, "minilm", folder=tmp_path)
    assert peers.export_onnx(english_model, "minilm", folder=tmp_path) == path  # exported once
    expected = embed(sentences, english_model, english_tokenizer, normalize=True)
    for run in (peers.ort_runner(path, threads=1), peers.openvino_runner(path, threads=1, precision="f32")):
        got = peers.embed_with(run, sentences, english_tokenizer, batch_size=4)  # batches with padding
        assert embed_speed.compare(got, expected)["min_cos"] >= 0.99999
    approximate = peers.embed_with(peers.ort_runner(peers.int8_onnx(path), threads=1), sentences, english_tokenizer)
    assert 0.5 < embed_speed.compare(approximate, expected)["min_cos"] < 0.99999  # int8: close, not the same


def test_a_changed_model_folder_gets_a_fresh_export(tmp_path):
    import peers

    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    before = peers.folder_signature(tmp_path)
    (tmp_path / "model.safetensors").write_bytes(b"0" * 16)
    assert peers.folder_signature(tmp_path) != before


def test_sentence_transformers_backends_say_why_they_are_missing():
    import peers

    status = peers.st_backend_status()
    assert set(status) == {"onnx", "openvino"}
    for backend, text in status.items():
        assert text == "available" or ("transformers" in text and "not installed" in text), backend
