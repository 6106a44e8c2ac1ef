"""The catalogue of common mistakes (helpers.errors.CATALOGUE): every row reproduced for real.

Each `test_catalogue_<key>` makes the mistake a learner makes, with the real tokenizer and
model, and checks that the helpers answer with the catalogued error class, first line and fix.
`docs/common_errors.md` must be the page generated from the same catalogue.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
import torch

import helpers
from helpers import BOOK_MODEL, ENGLISH, load_model, load_tokenizer
from helpers.features import make_features
from helpers.checks import check_device, check_max_length, check_model_inputs, check_pair, check_sentences
from helpers.fastpath import run_in_batches
from helpers.errors import CATALOGUE, BertvecError

ROOT = Path(__file__).resolve().parents[1]
REGENERATE = "python scripts/common_errors_page.py"
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from common_errors_page import OTHER_STEP, STEPS, _text, catalogue_markdown, example_markdown, step_of  # noqa: E402
ROWS = {row.key: row for row in CATALOGUE}


def message_parts(caught: BaseException | Warning) -> tuple[str, str]:
    """(first line, 해결 line) of a helper error or warning message."""
    lines = str(caught).splitlines()
    fixes = [line.strip()[len("해결: "):] for line in lines if line.strip().startswith("해결: ")]
    assert fixes, f"message has no '해결:' line: {caught}"
    return lines[0], fixes[0]


def assert_row(key: str, caught: BaseException | Warning, **placeholders: str) -> None:
    """`caught` is what catalogue row `key` promises: same class, first line and fix."""
    row = ROWS[key]
    assert type(caught).__name__ == row.raises
    first, fix = message_parts(caught)
    expected_first = row.first_line
    for name, value in placeholders.items():
        expected_first = expected_first.replace(f"<{name}>", value)
    assert first == expected_first
    assert fix == row.fix
    if isinstance(caught, BertvecError):
        assert caught.what == first and caught.fix == fix and caught.why


def raised(call, *args, **kwargs) -> BaseException:
    with pytest.raises(BertvecError) as info:
        call(*args, **kwargs)
    return info.value


# --- the catalogue itself ----------------------------------------------------------------------

def test_catalogue_keys_are_unique_and_every_row_has_its_test():
    keys = [row.key for row in CATALOGUE]
    assert len(keys) == len(set(keys))
    tests = {name[len("test_catalogue_"):] for name in globals() if name.startswith("test_catalogue_")}
    tests.discard("keys_are_unique_and_every_row_has_its_test")
    tests.discard("page_is_generated_from_the_catalogue")
    tests.discard("cards_are_grouped_by_the_step_of_the_helper_called")
    assert tests == set(keys)


def test_catalogue_page_is_generated_from_the_catalogue():
    page = ROOT / "docs" / "common_errors.md"
    assert page.exists(), f"run: {REGENERATE}"
    text = page.read_text(encoding="utf-8")
    assert text == catalogue_markdown(), f"docs/common_errors.md is stale, run: {REGENERATE}"
    steps = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    for row in CATALOGUE:
        card = text.index(f"**원인** {example_markdown(row.example)}\n\n**무엇이** `{row.raises}`: {_text(row.first_line)}\n")
        assert text.index(f"**해결** {_text(row.fix)}", card) > card
        # the card sits under the heading of its step: the last "## " heading before it
        above = [line[3:] for line in text[:card].splitlines() if line.startswith("## ")]
        assert above and above[-1] == step_of(row), (row.key, above[-1:])
    assert steps.index(STEPS[0][0]) < steps.index(STEPS[-1][0])  # steps in the lesson's order


def test_catalogue_cards_are_grouped_by_the_step_of_the_helper_called():
    by_key = {row.key: step_of(row) for row in CATALOGUE}
    assert by_key["cuda_without_gpu"].startswith("1단계")
    assert by_key["hub_offline"].startswith("2단계")        # load_tokenizer
    assert by_key["vocab_file_ignored"].startswith("2단계")  # BertTokenizer(...) comes before check_pair
    assert by_key["not_a_model_name"].startswith("3단계")    # load_model
    assert by_key["bare_string"].startswith("4단계")
    assert by_key["swapped_model_and_tokenizer"].startswith("5단계")
    unknown = CATALOGUE[0].__class__("x", "상황", "some_new_helper(1)", "InputError", "첫 줄", "해결")
    assert step_of(unknown) == OTHER_STEP
    assert _text("a_b <폴더> [PAD] `code_x`") == "a\\_b \\<폴더\\> \\[PAD\\] `code_x`"


# --- loading -----------------------------------------------------------------------------------

def test_catalogue_hub_offline(monkeypatch, no_offline_flag):
    """No offline flag, sockets blocked, nothing cached: an error within seconds, not 5 tokens."""
    monkeypatch.delenv("BERTVEC_MODEL", raising=False)
    monkeypatch.setattr(helpers.loading, "cached_snapshot", lambda repo: None)
    started = time.monotonic()
    error = raised(load_tokenizer, BOOK_MODEL)
    assert time.monotonic() - started < 30  # fails fast, not after a network timeout (generous: shared CPUs)
    assert_row("hub_offline", error)


def test_catalogue_not_a_model_name(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no folder called "kcbert" here
    assert_row("not_a_model_name", raised(load_model, "kcbert"))


def test_catalogue_vocab_file_ignored(english_model):
    from transformers import BertTokenizer

    tokenizer = BertTokenizer(vocab_file=str(helpers.english_model_path() / "vocab.txt"))
    assert len(tokenizer) == 5  # the transformers 5.x trap this row guards against
    assert_row("vocab_file_ignored", raised(check_pair, tokenizer, english_model))


def test_catalogue_tokenizer_model_mismatch(kcbert_tokenizer, english_model):
    assert_row("tokenizer_model_mismatch", raised(check_pair, kcbert_tokenizer, english_model))


def test_catalogue_features_of_another_tokenizer(kcbert_tokenizer, embedded_model):
    features = kcbert_tokenizer(["좋아요", "정말 재미있는 영화"], padding=True, return_tensors="pt")
    assert_row("features_of_another_tokenizer", raised(check_model_inputs, features, embedded_model))


def test_catalogue_special_token_mismatch(english_model):
    tokenizer = load_tokenizer(ENGLISH)  # a fresh copy: the session fixture stays untouched
    tokenizer.pad_token = "[UNK]"
    assert tokenizer.pad_token_id == tokenizer.unk_token_id != english_model.config.pad_token_id
    assert_row("special_token_mismatch", raised(check_pair, tokenizer, english_model))


def test_catalogue_folder_without_weights(kcbert_dir):
    assert_row("folder_without_weights", raised(load_model, str(kcbert_dir)))


def test_catalogue_unsafe_pickle_checkpoint(tmp_path):
    from transformers import BertConfig, BertModel

    folder = tmp_path / "evil"
    config = BertConfig(vocab_size=99, hidden_size=8, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=16, max_position_embeddings=32)
    config.save_pretrained(folder)
    marker = tmp_path / "code-ran"

    class RunsCode:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    state = BertModel(config).state_dict()
    state["surprise"] = RunsCode()
    torch.save(state, folder / "pytorch_model.bin")
    assert_row("unsafe_pickle_checkpoint", raised(load_model, str(folder)))
    assert not marker.exists(), "the pickle's code ran"


def test_catalogue_swapped_model_and_tokenizer(english_model, english_tokenizer):
    from helpers.sentence_vectors import embed

    assert_row("swapped_model_and_tokenizer", raised(embed, ["안녕하세요"], english_tokenizer, english_model))


def test_catalogue_name_instead_of_model(english_tokenizer):
    from helpers.sentence_vectors import embed

    assert_row("name_instead_of_model", raised(embed, ["안녕하세요"], "embedded", english_tokenizer))


def test_catalogue_unknown_attn_implementation():
    assert_row("unknown_attn_implementation", raised(load_model, ENGLISH, attn_implementation="flash"))


# --- model inputs ------------------------------------------------------------------------------

def test_catalogue_max_length_above_positions(kcbert_config):
    assert kcbert_config.max_position_embeddings == 300
    assert_row("max_length_above_positions", raised(check_max_length, 512, kcbert_config))


def test_catalogue_max_length_not_int(english_model):
    assert_row("max_length_not_int", raised(check_max_length, "128", english_model.config))


def test_catalogue_silent_truncation(english_tokenizer):
    from helpers.features import make_features

    text = "hello " * 20
    dropped = len(english_tokenizer(text)["input_ids"]) - 16
    with pytest.warns(UserWarning) as record:
        features = make_features(english_tokenizer, [text], max_length=16)
    assert features["input_ids"].shape == (1, 16)
    warning = next(w.message for w in record if type(w.message).__name__ == "TruncationWarning")
    assert f"{dropped}개" in str(warning).splitlines()[0]
    assert_row("silent_truncation", warning)


def test_catalogue_python_lists_to_model(english_model):
    assert_row("python_lists_to_model",
               raised(check_model_inputs, {"input_ids": [[101, 7592, 102]]}, english_model))


def test_catalogue_float_ids(english_model):
    ids = torch.tensor([[101.0, 7592.0, 102.0]])
    assert_row("float_ids", raised(check_model_inputs, {"input_ids": ids}, english_model))


def test_catalogue_one_dimensional_ids(english_model):
    ids = torch.tensor([101, 7592, 102])
    assert_row("one_dimensional_ids", raised(check_model_inputs, {"input_ids": ids}, english_model))


def test_catalogue_mask_length_differs(english_model):
    features = {"input_ids": torch.ones(2, 5, dtype=torch.long), "attention_mask": torch.ones(2, 4, dtype=torch.long)}
    assert_row("mask_length_differs", raised(check_model_inputs, features, english_model))


def test_catalogue_ids_outside_vocabulary(english_model):
    ids = torch.tensor([[101, 40000, 102]])
    assert_row("ids_outside_vocabulary", raised(check_model_inputs, {"input_ids": ids}, english_model))


def test_catalogue_sequence_above_positions(english_model):
    ids = torch.ones(1, 600, dtype=torch.long)
    assert_row("sequence_above_positions", raised(check_model_inputs, {"input_ids": ids}, english_model))


# --- sentences ---------------------------------------------------------------------------------

def test_catalogue_bare_string():
    assert_row("bare_string", raised(check_sentences, "안녕하세요"))


def test_catalogue_empty_list():
    assert_row("empty_list", raised(check_sentences, []))


def test_catalogue_none_instead_of_list():
    assert_row("none_instead_of_list", raised(check_sentences, None))


def test_catalogue_blank_sentence():
    assert_row("blank_sentence", raised(check_sentences, ["안녕하세요", "   "]))


def test_catalogue_number_in_list():
    assert_row("number_in_list", raised(check_sentences, ["안녕하세요", 42]))


def test_catalogue_nested_list():
    assert_row("nested_list", raised(check_sentences, [["안녕하세요", "반가워요"]]))


def test_catalogue_bytes_item():
    assert_row("bytes_item", raised(check_sentences, [b"hello"]))


# --- devices and memory ------------------------------------------------------------------------

@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a GPU")
def test_catalogue_cuda_without_gpu():
    assert_row("cuda_without_gpu", raised(check_device, "cuda"))


def test_catalogue_unknown_device():
    assert_row("unknown_device", raised(check_device, "gpu"))


def _fits_up_to(limit: int):
    """A batch function that needs more memory than there is for batches above `limit` items."""
    def run_batch(chunk):
        if len(chunk) > limit:
            raise torch.OutOfMemoryError(f"CUDA out of memory (batch of {len(chunk)})")
        return [s.upper() for s in chunk]
    return run_batch


def test_catalogue_batch_out_of_memory():
    sentences = [f"s{i}" for i in range(10)]
    with pytest.warns(helpers.errors.SmallerBatchWarning) as record:
        parts = run_in_batches(_fits_up_to(4), sentences, batch_size=8)
    assert [s for part in parts for s in part] == [s.upper() for s in sentences]
    assert len(record) == 1
    assert_row("batch_out_of_memory", record[0].message)


def test_catalogue_out_of_memory_at_batch_1():
    error = raised(run_in_batches, _fits_up_to(0), ["s"], batch_size=1)
    assert isinstance(error.__cause__, torch.OutOfMemoryError)
    assert_row("out_of_memory_at_batch_1", error)


def test_catalogue_bad_batch_size():
    assert_row("bad_batch_size", raised(run_in_batches, _fits_up_to(4), ["s"], batch_size=0))


def test_catalogue_attentions_under_sdpa(english_model, english_tokenizer):
    from helpers.embeddings import attention_weights

    assert english_model.config._attn_implementation == "sdpa"
    assert_row("attentions_under_sdpa", raised(attention_weights, "hello world", english_model, english_tokenizer))


# --- round 2: unsafe folders, silent wrong answers, weak messages ------------------------------------

def _copy_of_english_model(tmp_path: Path, name: str = "model") -> Path:
    import shutil

    folder = tmp_path / name
    shutil.copytree(helpers.english_model_path(), folder)
    return folder


def test_catalogue_custom_code_folder(tmp_path):
    from hub_cache import folder_with_custom_code
    from helpers.loading import short_path

    folder = folder_with_custom_code(tmp_path / "evil", tmp_path / "ran")
    assert_row("custom_code_folder", raised(load_tokenizer, str(folder)), 폴더=short_path(folder))
    assert not (tmp_path / "ran").exists()


def test_catalogue_partly_random_model(tmp_path):
    import json

    from helpers.loading import short_path

    folder = _copy_of_english_model(tmp_path)
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    (folder / "config.json").write_text(json.dumps({**config, "num_hidden_layers": 12}), encoding="utf-8")
    assert_row("partly_random_model", raised(load_model, str(folder)), 폴더=short_path(folder))


def test_catalogue_corrupt_weights(tmp_path):
    from helpers.loading import short_path

    folder = _copy_of_english_model(tmp_path)
    weights = folder / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:1_000_000])
    error = raised(load_model, str(folder))
    assert_row("corrupt_weights", error, 폴더=short_path(folder))
    assert error.library_error is not None and error.__cause__ is None  # kept, not dumped


def test_catalogue_no_tokenizer_files(tmp_path):
    from helpers.loading import short_path

    empty = tmp_path / "empty"
    empty.mkdir()
    assert_row("no_tokenizer_files", raised(load_tokenizer, str(empty)), 폴더=short_path(empty))


def test_catalogue_same_size_other_vocabulary(english_model, tmp_path):
    from transformers import BertTokenizer

    words = (helpers.english_model_path() / "vocab.txt").read_text(encoding="utf-8").splitlines()
    shuffled = words[:1000] + list(reversed(words[1000:]))  # same 30,522 entries, other ids
    (tmp_path / "vocab.txt").write_text("\n".join(shuffled) + "\n", encoding="utf-8")
    other = BertTokenizer.from_pretrained(str(tmp_path))
    assert len(other) == english_model.config.vocab_size
    assert_row("same_size_other_vocabulary", raised(check_pair, other, english_model))


def test_catalogue_added_tokens_without_resize(english_model):
    tokenizer = load_tokenizer(ENGLISH)
    tokenizer.add_tokens(["신조어"])
    assert_row("added_tokens_without_resize", raised(check_pair, tokenizer, english_model))


def test_catalogue_classifier_instead_of_bert(english_tokenizer):
    from transformers import BertForSequenceClassification

    from helpers.sentence_vectors import embed

    classifier = load_model(ENGLISH, model_class=BertForSequenceClassification)
    assert_row("classifier_instead_of_bert", raised(embed, ["안녕하세요"], classifier, english_tokenizer))


def test_catalogue_train_mode_model(english_tokenizer):
    from helpers.sentence_vectors import embed

    model = load_model(ENGLISH)
    expected = embed(["안녕하세요"], model, english_tokenizer)
    model.train()
    with pytest.warns(Warning) as caught:
        got = embed(["안녕하세요"], model, english_tokenizer)
    assert_row("train_mode_model", next(w.message for w in caught if type(w.message).__name__ == "TrainModeWarning"))
    assert (got == expected).all() and model.training, "eval-mode vectors, and the model is put back in train mode"


def test_catalogue_invisible_sentence():
    assert_row("invisible_sentence", raised(check_sentences, ["\u200b\ufeff"]))


def test_catalogue_lone_surrogate():
    assert_row("lone_surrogate", raised(check_sentences, ["abc\ud800"]))


def test_catalogue_long_word_unknown(english_model, english_tokenizer):
    from helpers.sentence_vectors import embed

    with pytest.warns(Warning) as caught:
        embed(["a" * 150], english_model, english_tokenizer)
    assert_row("long_word_unknown", next(w.message for w in caught if type(w.message).__name__ == "UnknownWordWarning"))


def test_catalogue_table_instead_of_sentences(english_model, english_tokenizer):
    import pandas as pd

    from helpers.sentence_vectors import embed_stream

    table = pd.DataFrame({"text": ["첫 문장", "둘째 문장"], "label": [0, 1]})
    assert_row("table_instead_of_sentences", raised(embed_stream, table, english_model, english_tokenizer))


def test_catalogue_dict_instead_of_sentences(english_model, english_tokenizer):
    from helpers.sentence_vectors import embed_stream

    assert_row("dict_instead_of_sentences",
               raised(embed_stream, {"a": "첫 문장", "b": "둘째 문장"}, english_model, english_tokenizer))


def test_catalogue_stream_of_a_number(english_model, english_tokenizer):
    from helpers.sentence_vectors import embed_stream

    assert_row("stream_of_a_number", raised(embed_stream, 42, english_model, english_tokenizer))


def test_catalogue_device_not_here():
    if torch.backends.mps.is_available():
        pytest.skip("this machine has an Apple GPU")
    assert_row("device_not_here", raised(check_device, "mps"))


def test_catalogue_meta_device():
    assert_row("meta_device", raised(check_device, "meta"))


def test_catalogue_old_keyword(english_tokenizer):
    assert_row("old_keyword", raised(make_features, english_tokenizer, ["안녕하세요"], max_length=10,
                                     pad_to_max_length=True))


def test_catalogue_tensorflow_tensors(english_tokenizer):
    assert_row("tensorflow_tensors", raised(make_features, english_tokenizer, ["안녕하세요"], max_length=10,
                                            return_tensors="tf"))
