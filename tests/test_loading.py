"""Model resolution and safe loading (helpers/loading.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import torch

import helpers
from helpers import (BOOK_MODEL, EMBEDDED, EMBEDDED_MODEL_ID, BrokenTokenizerError, ModelNotAvailableError,
                     load_model, load_tokenizer, resolve_model, show_model_choice)
from helpers.loading import check_tokenizer_size, default_lower_case, hub_reachable

BOOK_IDS = {"안녕하세요": [2, 19017, 8482, 3], "하이!": [2, 15830, 5, 3]}


# --- kcbert-base tokenizer: the book's exact ids ---------------------------------------------

def test_kcbert_tokenizer_gives_the_books_ids(kcbert_tokenizer):
    for sentence, ids in BOOK_IDS.items():
        assert kcbert_tokenizer(sentence)["input_ids"] == ids


def test_kcbert_padding_to_max_length_10_matches_the_book(kcbert_tokenizer):
    features = kcbert_tokenizer(list(BOOK_IDS), max_length=10, padding="max_length", truncation=True)
    assert features["input_ids"] == [[2, 19017, 8482, 3, 0, 0, 0, 0, 0, 0], [2, 15830, 5, 3, 0, 0, 0, 0, 0, 0]]
    assert features["attention_mask"] == [[1, 1, 1, 1, 0, 0, 0, 0, 0, 0]] * 2


def test_kcbert_folder_gets_do_lower_case_false(kcbert_dir, kcbert_tokenizer, kcbert_config):
    assert default_lower_case(kcbert_dir) is False
    assert kcbert_tokenizer.do_lower_case is False
    assert len(kcbert_tokenizer) == kcbert_config.vocab_size == 30000


def test_kcbert_with_lower_casing_turns_the_books_sentences_into_unk(kcbert_dir):
    lowered = load_tokenizer(str(kcbert_dir), do_lower_case=True)
    unk = lowered.unk_token_id
    for sentence in BOOK_IDS:
        ids = lowered(sentence, add_special_tokens=False)["input_ids"]
        assert unk in ids, f"{sentence!r} -> {ids}"


def test_bert_tokenizer_vocab_file_argument_is_refused(kcbert_dir):
    from transformers import BertTokenizer

    ignored = BertTokenizer(vocab_file=str(kcbert_dir / "vocab.txt"), do_lower_case=False)
    assert len(ignored) < 100  # transformers 5.x ignores vocab_file= (the trap we guard against)
    with pytest.raises(BrokenTokenizerError, match="vocab="):
        check_tokenizer_size(ignored, 30000, asked="vocab_file")


def test_kcbert_folder_without_weights_gives_a_clear_error(kcbert_dir):
    with pytest.raises(ModelNotAvailableError, match="가중치"):
        load_model(str(kcbert_dir))


# --- resolution ------------------------------------------------------------------------------

def test_explicit_embedded_name_resolves_to_the_packaged_folder():
    choice = resolve_model(EMBEDDED)
    assert choice.source == "embedded" and choice.name == EMBEDDED_MODEL_ID
    assert (Path(choice.path) / "model.safetensors").exists()


def test_environment_variable_wins_over_the_book_model(monkeypatch):
    monkeypatch.setenv("BERTVEC_MODEL", str(helpers.embedded_model_path()))
    choice = resolve_model()
    assert choice.source == "env" and choice.name == EMBEDDED_MODEL_ID


def test_environment_variable_naming_a_missing_folder_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("BERTVEC_MODEL", str(tmp_path / "nope" / "model"))
    with pytest.raises(ModelNotAvailableError, match="BERTVEC_MODEL"):
        resolve_model()


def test_offline_without_cache_falls_back_to_embedded(monkeypatch):
    monkeypatch.delenv("BERTVEC_MODEL", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(helpers.loading, "cached_snapshot", lambda repo: None)
    choice = resolve_model()
    assert choice.source == "embedded" and not choice.is_book_model
    assert "허브" in choice.reason


def test_book_model_in_cache_is_preferred(monkeypatch, kcbert_dir):
    monkeypatch.delenv("BERTVEC_MODEL", raising=False)
    monkeypatch.setattr(helpers.loading, "cached_snapshot", lambda repo: kcbert_dir if repo == BOOK_MODEL else None)
    choice = resolve_model()
    assert choice.source == "cache" and choice.is_book_model and choice.path == str(kcbert_dir)


def test_hub_is_not_reachable_when_offline_flag_is_set(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert hub_reachable() is False


def test_offline_hub_id_with_empty_cache_raises_quickly_instead_of_a_5_token_tokenizer(tmp_path):
    """Acceptance: offline, empty HF cache -> a clear error within 5 s, never a tokenizer."""
    code = textwrap.dedent(f"""
        import json, time
        import transformers, huggingface_hub  # imports take seconds on a busy machine: not part of deciding
        from helpers import load_tokenizer, ModelNotAvailableError
        started = time.monotonic()
        try:
            tok = load_tokenizer({BOOK_MODEL!r})
            result = {{"raised": False, "size": len(tok)}}
        except ModelNotAvailableError as err:
            result = {{"raised": True, "message": str(err)}}
        result["seconds"] = time.monotonic() - started
        print(json.dumps(result))
    """)
    env = {**os.environ, "HF_HOME": str(tmp_path / "hf"), "HF_HUB_OFFLINE": "1"}
    env.pop("BERTVEC_MODEL", None)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["raised"], f"returned a tokenizer of {result.get('size')} tokens instead of raising"
    assert BOOK_MODEL in result["message"] and "BERTVEC_MODEL" in result["message"]
    assert result["seconds"] < 5, f"took {result['seconds']:.1f}s to decide (retry loop?)"


def test_not_a_hub_id_nor_a_folder_is_refused():
    with pytest.raises(ModelNotAvailableError, match="폴더"):
        resolve_model("no such thing")


# --- the embedded default --------------------------------------------------------------------

def test_embedded_tokenizer_and_model_belong_together(embedded_tokenizer, embedded_model):
    assert len(embedded_tokenizer) == embedded_model.config.vocab_size == 30522
    assert embedded_model.config.hidden_size == 384
    assert embedded_model.training is False


def test_embedded_tokenizer_splits_korean_into_jamo(embedded_tokenizer):
    pieces = embedded_tokenizer.tokenize("안녕하세요")
    assert pieces[0] == "ᄋ" and len(pieces) > 5  # decomposed jamo, not syllables


def test_eager_attention_returns_attention_maps():
    model = load_model(EMBEDDED, attn_implementation="eager")
    tok = load_tokenizer(EMBEDDED)
    with torch.inference_mode():
        out = model(**tok(["hello world"], return_tensors="pt"), output_attentions=True)
    assert len(out.attentions) == model.config.num_hidden_layers
    assert out.attentions[0].shape == (1, model.config.num_attention_heads, 4, 4)


def test_load_model_prints_no_progress_bar(capfd):
    load_model(EMBEDDED)
    captured = capfd.readouterr()
    assert "Loading weights" not in captured.err + captured.out


def test_show_model_choice_warns_for_the_embedded_default_and_writes_the_report(monkeypatch, tmp_path, capsys):
    report = tmp_path / "report.jsonl"
    monkeypatch.setenv("BERTVEC_RUN_REPORT", str(report))
    text = show_model_choice(resolve_model(EMBEDDED), notebook="nb")
    assert EMBEDDED_MODEL_ID in text and "자모" in text and BOOK_MODEL in text
    assert json.loads(report.read_text(encoding="utf-8")) == {"notebook": "nb", "name": EMBEDDED_MODEL_ID,
                                                                "source": "embedded"}
    assert "실행한 모델" in capsys.readouterr().out


def test_no_trust_remote_code_in_project_sources():
    root = Path(__file__).resolve().parents[1]
    offenders = [str(p) for folder in ("helpers", "scripts", "notebooks", "benchmarks") if (root / folder).exists()
                 for p in (root / folder).rglob("*") if p.suffix in {".py", ".ipynb"}
                 and "trust_remote_code=True" in p.read_text(encoding="utf-8")]
    assert offenders == []
