"""Which model runs and loading it safely (helpers/loading.py, helpers/hub.py, helpers/book.py)."""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import textwrap
import threading
import warnings
from pathlib import Path

import pytest
import torch

import helpers
from helpers import (BOOK_MODEL, EMBEDDED, EMBEDDED_MODEL_ID, ENGLISH, ENGLISH_MODEL_ID, BrokenTokenizerError,
                     ModelNotAvailableError, RandomPoolerWarning, load_model, load_tokenizer, resolve_model,
                     show_model_choice)
from helpers.book import BOOK_IDS, is_book_model_folder
from helpers.hub import hub_reachable, probe_hub
from helpers.loading import check_tokenizer_size
from hub_cache import kcbert_files, write_hub_cache

ROOT = Path(__file__).resolve().parents[1]


# --- the book's tokenizer --------------------------------------------------------------------

def test_kcbert_tokenizer_gives_the_books_ids(kcbert_tokenizer):
    for sentence, ids in BOOK_IDS.items():
        assert kcbert_tokenizer(sentence)["input_ids"] == ids


def test_kcbert_padding_to_max_length_10_matches_the_book(kcbert_tokenizer):
    features = kcbert_tokenizer(list(BOOK_IDS), max_length=10, padding="max_length", truncation=True)
    assert features["input_ids"] == [[2, 19017, 8482, 3, 0, 0, 0, 0, 0, 0], [2, 15830, 5, 3, 0, 0, 0, 0, 0, 0]]
    assert features["attention_mask"] == [[1, 1, 1, 1, 0, 0, 0, 0, 0, 0]] * 2


def test_kcbert_folder_gives_a_cased_tokenizer_that_keeps_hangul(kcbert_tokenizer, kcbert_config):
    """Behaviour, not a setting: Hangul syllables survive normalisation and become whole pieces."""
    assert kcbert_tokenizer.backend_tokenizer.normalizer.normalize_str("안녕하세요 ABC") == "안녕하세요 ABC"
    assert kcbert_tokenizer.tokenize("안녕하세요") == ["안녕", "##하세요"]
    assert len(kcbert_tokenizer) == kcbert_config.vocab_size == 30000


def test_kcbert_with_lower_casing_turns_the_books_sentences_into_unk(kcbert_dir):
    lowered = load_tokenizer(str(kcbert_dir), do_lower_case=True)
    unk = lowered.unk_token_id
    for sentence in BOOK_IDS:
        ids = lowered(sentence, add_special_tokens=False)["input_ids"]
        assert unk in ids, f"{sentence!r} -> {ids}"


def test_the_books_code_runs_offline_on_the_projects_copy(kcbert_dir):
    from transformers import BertTokenizer

    tokenizer = BertTokenizer.from_pretrained(str(kcbert_dir), do_lower_case=False)
    assert [tokenizer(s)["input_ids"] for s in BOOK_IDS] == list(BOOK_IDS.values())


def test_bert_tokenizer_vocab_file_argument_is_refused(kcbert_dir):
    from transformers import BertTokenizer

    ignored = BertTokenizer(vocab_file=str(kcbert_dir / "vocab.txt"), do_lower_case=False)
    assert len(ignored) < 100  # transformers 5.x ignores vocab_file= (the trap we guard against)
    with pytest.raises(BrokenTokenizerError, match="vocab="):
        check_tokenizer_size(ignored, 30000, asked="vocab_file")


def test_kcbert_folder_without_weights_gives_a_clear_error(kcbert_dir):
    with pytest.raises(ModelNotAvailableError, match="가중치"):
        load_model(str(kcbert_dir))


def test_do_lower_case_is_refused_for_a_sentencepiece_tokenizer():
    with pytest.raises(helpers.InputError, match="WordPiece"):
        load_tokenizer(EMBEDDED, do_lower_case=False)


# --- recognising the book's model by its files -----------------------------------------------

def test_the_books_files_are_recognised_wherever_they_are(tmp_path, kcbert_dir):
    snapshot = write_hub_cache(tmp_path / "hub", BOOK_MODEL, kcbert_files(None))
    assert is_book_model_folder(snapshot) and is_book_model_folder(kcbert_dir)
    assert resolve_model(str(snapshot)).name == BOOK_MODEL  # no _name_or_path needed


def test_another_vocabulary_or_architecture_is_not_the_book_model(tmp_path, kcbert_dir):
    other = tmp_path / "other"
    other.mkdir()
    (other / "vocab.txt").write_bytes((kcbert_dir / "vocab.txt").read_bytes().replace(b"\n##", b"\n#", 1))
    (other / "config.json").write_bytes((kcbert_dir / "config.json").read_bytes())
    assert not is_book_model_folder(other)
    (other / "vocab.txt").write_bytes((kcbert_dir / "vocab.txt").read_bytes())
    config = json.loads((kcbert_dir / "config.json").read_text(encoding="utf-8"))
    (other / "config.json").write_text(json.dumps({**config, "num_hidden_layers": 6}), encoding="utf-8")
    assert not is_book_model_folder(other)
    assert resolve_model(str(other)).name != BOOK_MODEL


# --- resolution ------------------------------------------------------------------------------

def test_explicit_embedded_name_resolves_to_the_converted_korean_model():
    choice = resolve_model(EMBEDDED)
    assert choice.source == "embedded" and choice.name == EMBEDDED_MODEL_ID and choice.is_embedded
    folder = Path(choice.path)
    assert (folder / "model.safetensors").exists()
    outside_git = ROOT not in folder.parents or subprocess.run(
        ["git", "check-ignore", "-q", str(folder)], cwd=ROOT).returncode == 0
    assert outside_git, f"the converted model must not land in the git tree: {folder}"


def test_the_english_model_stays_available():
    choice = resolve_model(ENGLISH)
    assert choice.name == ENGLISH_MODEL_ID and choice.is_english and not choice.is_embedded


def test_environment_variable_wins_over_the_book_model(monkeypatch):
    monkeypatch.setenv("BERTVEC_MODEL", str(helpers.english_model_path()))
    choice = resolve_model()
    assert choice.source == "env" and choice.name == ENGLISH_MODEL_ID


def test_environment_variable_naming_a_missing_folder_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("BERTVEC_MODEL", str(tmp_path / "nope" / "model"))
    with pytest.raises(ModelNotAvailableError, match="BERTVEC_MODEL"):
        resolve_model()


@pytest.fixture
def hub_cache_dir(tmp_path, monkeypatch):
    """An empty Hugging Face cache of this test's own (huggingface_hub reads the constant per call)."""
    import huggingface_hub.constants

    hub = tmp_path / "hub"
    hub.mkdir()
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(hub))
    monkeypatch.delenv("BERTVEC_MODEL", raising=False)
    return hub


@pytest.fixture
def offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


def test_offline_with_nothing_set_picks_the_korean_embedded_model(hub_cache_dir, offline):
    choice = resolve_model()
    assert choice.source == "embedded" and choice.is_embedded and not choice.is_book_model
    assert "허브" in choice.reason and "HF_HUB_OFFLINE" in choice.reason


def test_a_cache_with_only_the_books_tokenizer_falls_back_and_says_so(hub_cache_dir, offline):
    write_hub_cache(hub_cache_dir, BOOK_MODEL, kcbert_files(None))
    choice = resolve_model()
    assert choice.is_embedded and "토크나이저 파일만" in choice.reason


def test_the_books_model_with_weights_in_the_cache_is_preferred(hub_cache_dir, tmp_path):
    weights = tmp_path / "model.safetensors"
    weights.write_bytes(b"not read by resolve_model")
    snapshot = write_hub_cache(hub_cache_dir, BOOK_MODEL, kcbert_files(weights))
    choice = resolve_model()
    assert choice.source == "cache" and choice.is_book_model and choice.path == str(snapshot)


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


# --- is the hub really there -----------------------------------------------------------------

class _Answer(http.server.BaseHTTPRequestHandler):
    status, kind, body = 200, "application/json", b"{}"

    def do_GET(self):  # noqa: N802 - the http.server API
        self.send_response(self.status)
        self.send_header("Content-Type", self.kind)
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_endpoint(monkeypatch, no_offline_flag):
    """A web server on 127.0.0.1 that HF_ENDPOINT points at; set what it answers per test."""
    handler = type("Handler", (_Answer,), {})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{server.server_address[1]}")
    monkeypatch.delenv("BERTVEC_MODEL", raising=False)
    yield handler
    server.shutdown()


@pytest.mark.parametrize("status, kind, body, seen", [
    (404, "text/plain", b"Not Found", "HTTP 404"),
    (200, "text/html; charset=utf-8", b"<html><body>Wi-Fi login</body></html>", "text/html"),
    (200, "application/json", b'{"error": "nope"}', "모델 정보가 아닙니다"),
])
def test_a_proxy_or_captive_portal_is_not_taken_for_the_hub(local_endpoint, hub_cache_dir, status, kind, body, seen):
    local_endpoint.status, local_endpoint.kind, local_endpoint.body = status, kind, body
    answer = probe_hub(BOOK_MODEL)
    assert not answer.ok and seen in answer.seen
    choice = resolve_model()
    assert choice.is_embedded and seen in choice.reason


def test_the_hub_answering_as_the_hub_means_online(local_endpoint, hub_cache_dir):
    local_endpoint.body = json.dumps({"id": BOOK_MODEL, "sha": "abc"}).encode()
    assert hub_reachable()
    choice = resolve_model()
    assert choice.source == "online" and choice.is_book_model and choice.path == BOOK_MODEL


def test_hub_is_not_reachable_when_offline_flag_is_set(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert hub_reachable() is False


# --- the embedded default --------------------------------------------------------------------

def test_embedded_default_reads_korean_without_jamo(embedded_tokenizer, embedded_model):
    pieces = embedded_tokenizer.tokenize("오늘 날씨가 정말 좋네요 배고파서 라면을 끓였다")
    jamo = [p for p in pieces if any("\u1100" <= ch <= "\u11ff" for ch in p)]
    assert jamo == [] and embedded_tokenizer.unk_token not in pieces
    assert embedded_model.config.num_hidden_layers == 12 and embedded_model.config.hidden_size == 384
    assert len(embedded_tokenizer) <= embedded_model.config.vocab_size  # more embedding rows than pieces


def test_embedded_pooler_is_announced_and_the_same_in_every_process():
    code = ("import warnings, torch\nfrom helpers import load_model, RandomPoolerWarning\n"
            "with warnings.catch_warnings(record=True) as w:\n    warnings.simplefilter('always')\n"
            "    m = load_model('embedded')\n"
            "print(sum(issubclass(x.category, RandomPoolerWarning) for x in w), m.bertvec_random_pooler,"
            " float(m.pooler.dense.weight.double().sum()))")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180).stdout.split()
            for _ in range(2)]
    assert runs[0] == runs[1] and runs[0][:2] == ["1", "True"], runs


def test_english_model_keeps_its_pretrained_pooler_silently(recwarn):
    model = load_model(ENGLISH)
    assert not model.bertvec_random_pooler
    assert not [w for w in recwarn if issubclass(w.category, RandomPoolerWarning)]


def test_eager_attention_returns_attention_maps():
    model = load_model(ENGLISH, attn_implementation="eager")
    tok = load_tokenizer(ENGLISH)
    with torch.inference_mode():
        out = model(**tok(["hello world"], return_tensors="pt"), output_attentions=True)
    assert len(out.attentions) == model.config.num_hidden_layers
    assert out.attentions[0].shape == (1, model.config.num_attention_heads, 4, 4)


def test_load_model_prints_no_progress_bar_and_no_english_load_report(capfd):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RandomPoolerWarning)
        load_model(EMBEDDED)
    captured = capfd.readouterr()
    assert "Loading weights" not in captured.err + captured.out
    assert "LOAD REPORT" not in captured.err + captured.out


def test_show_model_choice_names_the_embedded_default_and_writes_the_report(monkeypatch, tmp_path, capsys):
    report = tmp_path / "report.jsonl"
    monkeypatch.setenv("BERTVEC_RUN_REPORT", str(report))
    text = show_model_choice(resolve_model(EMBEDDED), notebook="nb")
    assert EMBEDDED_MODEL_ID in text and BOOK_MODEL in text and "4비트" in text and "pooler" in text
    assert json.loads(report.read_text(encoding="utf-8")) == {"notebook": "nb", "name": EMBEDDED_MODEL_ID,
                                                                "source": "embedded"}
    assert "실행한 모델" in capsys.readouterr().out


def test_show_model_choice_of_a_folder_prints_no_machine_path(tmp_path, capsys):
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    show_model_choice(resolve_model(str(deep)))
    out = capsys.readouterr().out
    assert str(tmp_path) not in out and "b/c" in out


@pytest.mark.parametrize("blank", ["", "  ", "\n"])
def test_resolve_model_refuses_a_blank_name_instead_of_reading_the_current_folder(blank):
    from helpers import InputError

    with pytest.raises(InputError, match=r"resolve_model\(\)의 name_or_path"):
        resolve_model(blank)
