"""Step 02 helpers (helpers/tokenizer.py): finding KcBERT's files, pieces, [UNK] rates."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

from helpers import InputError, ModelNotAvailableError, load_tokenizer
from helpers.tokenizer import (BOOK_IDS, KCBERT_DIR_ENV_VAR, KCBERT_SPECIAL_IDS, compare_tokenizers,
                               find_kcbert_tokenizer_dir, normalized_text, pieces_table, special_token_ids,
                               unk_rate)

KOREAN = ["오늘 날씨가 정말 좋네요", "이 영화 진짜 재밌어요", "배고파서 라면을 끓였다"]

BAD_SENTENCE_LISTS = [[], "안녕하세요", None, ["안녕", 3], ["안녕", ""], ["  "], [b"bytes"], [["nested"]]]


# --- find_kcbert_tokenizer_dir -----------------------------------------------------------------

def test_env_var_folder_with_the_files_is_found(tmp_path, monkeypatch):
    (tmp_path / "vocab.txt").write_text("[PAD]\n", encoding="utf-8")
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    monkeypatch.setenv(KCBERT_DIR_ENV_VAR, str(tmp_path))
    assert find_kcbert_tokenizer_dir() == tmp_path.resolve()


def test_env_var_folder_without_the_files_is_refused_not_skipped(tmp_path, monkeypatch):
    (tmp_path / "vocab.txt").write_text("[PAD]\n", encoding="utf-8")  # config.json missing
    monkeypatch.setenv(KCBERT_DIR_ENV_VAR, str(tmp_path))
    with pytest.raises(ModelNotAvailableError, match=KCBERT_DIR_ENV_VAR):
        find_kcbert_tokenizer_dir()


def test_the_books_tokenizer_files_ship_with_the_project(monkeypatch):
    from helpers.book import BOOK_TOKENIZER_DIR

    monkeypatch.delenv(KCBERT_DIR_ENV_VAR, raising=False)
    found = find_kcbert_tokenizer_dir()
    assert found == BOOK_TOKENIZER_DIR and ROOT in found.parents
    assert {p.name for p in found.iterdir()} >= {"vocab.txt", "config.json", "tokenizer_config.json", "LICENSE"}
    assert "MIT License" in (found / "LICENSE").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["vocab.txt", "config.json", "tokenizer_config.json", "LICENSE"])
def test_the_projects_copy_is_byte_identical_to_shared(name, kcbert_dir, shared_kcbert_dir):
    assert (kcbert_dir / name).read_bytes() == (shared_kcbert_dir / name).read_bytes()


def test_the_reconstructed_tokenizer_config_is_the_49_bytes_the_book_downloaded(kcbert_dir):
    raw = (kcbert_dir / "tokenizer_config.json").read_bytes()
    assert len(raw) == 49 and raw == b'{"do_lower_case": false, "model_max_length": 300}'


def test_the_books_tokenizer_is_found_offline_in_an_empty_cache_from_another_directory(tmp_path):
    """No ../shared, no cache, another working directory: the book's ids all the same."""
    import os
    import subprocess
    import sys

    code = ("from helpers.tokenizer import load_book_tokenizer, BOOK_IDS\n"
            "tok = load_book_tokenizer()\n"
            "print([tok(s)['input_ids'] == ids for s, ids in BOOK_IDS.items()])")
    env = {**os.environ, "HF_HOME": str(tmp_path / "hf"), "HF_HUB_OFFLINE": "1"}
    env.pop(KCBERT_DIR_ENV_VAR, None)
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "[True, True]", out.stderr[-2000:]


# --- pieces_table ------------------------------------------------------------------------------

def test_pieces_table_matches_the_tokenizer(english_tokenizer):
    table = pieces_table(english_tokenizer, "tokenization works")
    assert list(table.columns) == ["piece", "id", "continuation", "special", "unknown"]
    assert table["id"].tolist() == english_tokenizer("tokenization works")["input_ids"]
    assert table["piece"].iloc[0] == "[CLS]" and table["piece"].iloc[-1] == "[SEP]"
    assert table["special"].tolist() == [True] + [False] * (len(table) - 2) + [True]
    assert table["continuation"].tolist() == [p.startswith("##") for p in table["piece"]]
    assert table["continuation"].any()  # "tokenization" is split into WordPiece pieces
    assert not table["unknown"].any()


def test_pieces_table_marks_unknown_words_not_as_special():
    cased = load_tokenizer("embedded-english", do_lower_case=False)  # English vocabulary: Hangul is [UNK]
    table = pieces_table(cased, "hello 안녕")
    assert table["piece"].tolist() == ["[CLS]", "hello", "[UNK]", "[SEP]"]
    assert table["unknown"].tolist() == [False, False, True, False]
    assert table["special"].tolist() == [True, False, False, True]


def test_pieces_table_of_kcbert_gives_the_books_ids(kcbert_tokenizer):
    for sentence, ids in BOOK_IDS.items():
        table = pieces_table(kcbert_tokenizer, sentence)
        assert table["id"].tolist() == ids
    table = pieces_table(kcbert_tokenizer, "안녕하세요")
    assert table["piece"].tolist() == ["[CLS]", "안녕", "##하세요", "[SEP]"]
    assert table["continuation"].tolist() == [False, False, True, False]


@pytest.mark.parametrize("bad", ["", "   ", None, 3, ["안녕"]])
def test_pieces_table_refuses_bad_sentences(english_tokenizer, bad):
    with pytest.raises(InputError):
        pieces_table(english_tokenizer, bad)


# --- special_token_ids -------------------------------------------------------------------------

def test_kcbert_special_token_ids(kcbert_tokenizer):
    assert special_token_ids(kcbert_tokenizer) == KCBERT_SPECIAL_IDS


def test_embedded_special_token_ids_are_its_own(english_tokenizer):
    ids = special_token_ids(english_tokenizer)
    assert ids == {name: english_tokenizer.vocab[name] for name in ids}
    assert ids["[CLS]"] != KCBERT_SPECIAL_IDS["[CLS]"]  # a different vocabulary, different ids


# --- unk_rate ----------------------------------------------------------------------------------

def test_unk_rate_is_a_share_of_tokens(english_tokenizer):
    assert unk_rate(english_tokenizer, ["hello world"]) == 0.0
    cased = load_tokenizer("embedded-english", do_lower_case=False)
    ids = cased(["안녕 hello"], add_special_tokens=False)["input_ids"][0]
    assert unk_rate(cased, ["안녕 hello"]) == ids.count(cased.unk_token_id) / len(ids) == 0.5


def test_kcbert_unk_rate_rises_with_lower_casing(kcbert_dir, kcbert_tokenizer):
    lowered = load_tokenizer(str(kcbert_dir), do_lower_case=True)
    assert unk_rate(kcbert_tokenizer, KOREAN) < 0.1
    assert unk_rate(lowered, KOREAN) > 0.9


@pytest.mark.parametrize("bad", BAD_SENTENCE_LISTS)
def test_unk_rate_refuses_bad_sentence_lists(english_tokenizer, bad):
    with pytest.raises(InputError):
        unk_rate(english_tokenizer, bad)


# --- normalized_text ---------------------------------------------------------------------------

def test_lower_casing_decomposes_hangul_into_jamo(english_tokenizer):
    assert english_tokenizer.do_lower_case is True
    assert len(normalized_text(english_tokenizer, "안녕하세요")) == 12  # 안(3) 녕(3) 하(2) 세(2) 요(2)
    cased = load_tokenizer("embedded-english", do_lower_case=False)
    assert normalized_text(cased, "안녕하세요") == "안녕하세요"


def test_normalized_text_refuses_empty_text(english_tokenizer):
    with pytest.raises(InputError):
        normalized_text(english_tokenizer, "")


# --- compare_tokenizers ------------------------------------------------------------------------

def test_compare_tokenizers_one_row_per_tokenizer(english_tokenizer):
    cased = load_tokenizer("embedded-english", do_lower_case=False)
    table = compare_tokenizers({"lower": english_tokenizer, "cased": cased}, "안녕하세요")
    assert table.index.tolist() == ["lower", "cased"]
    assert table.loc["lower", "n_unk"] == 0 and table.loc["lower", "n_pieces"] == 12  # jamo pieces
    assert table.loc["cased", "ids"] == [cased.unk_token_id]


def test_compare_tokenizers_kcbert_vs_embedded(kcbert_tokenizer, english_tokenizer):
    table = compare_tokenizers({"kcbert": kcbert_tokenizer, "embedded": english_tokenizer}, "안녕하세요")
    assert table.loc["kcbert", "ids"] == BOOK_IDS["안녕하세요"][1:-1]
    assert table.loc["kcbert", "n_pieces"] < table.loc["embedded", "n_pieces"]


def test_compare_tokenizers_refuses_empty_mapping_and_bad_sentence(english_tokenizer):
    with pytest.raises(InputError):
        compare_tokenizers({}, "안녕하세요")
    with pytest.raises(InputError):
        compare_tokenizers({"x": english_tokenizer}, "")


def test_compare_tokenizers_gives_identical_tokenizers_one_row(kcbert_tokenizer):
    """The book's tokenizer next to the book model's own: one row, both names (no repeated rows)."""
    from helpers.tokenizer import load_book_tokenizer

    table = compare_tokenizers({"책의 토크나이저": kcbert_tokenizer, "실행할 모델의 토크나이저": load_book_tokenizer()},
                               "안녕하세요")
    assert list(table.index) == ["책의 토크나이저 = 실행할 모델의 토크나이저"]
    assert table.iloc[0]["ids"] == kcbert_tokenizer("안녕하세요", add_special_tokens=False)["input_ids"]
