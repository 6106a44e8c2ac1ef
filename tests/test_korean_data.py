"""Real Korean data shipped as package data (helpers/korean_data.py, helpers/data/nsmc, helpers/data/klue-sts)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from helpers import InputError
from helpers import korean_data as kd

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


# --- licence and provenance -----------------------------------------------------------------

@pytest.mark.parametrize("folder, licence_words, source_words", [
    ("nsmc", ["CC0 1.0", "Creative Commons"], ["e9t/nsmc", "20261206", "140", "5,000"]),
    ("klue-sts", ["Attribution-ShareAlike 4.0"], ["KLUE-benchmark/KLUE", "CC BY-SA 4.0", "519"]),
])
def test_each_data_folder_has_its_licence_and_a_readme_with_provenance(folder, licence_words, source_words):
    licence = (kd.DATA_DIR / folder / "LICENSE.md").read_text(encoding="utf-8")
    readme = (kd.DATA_DIR / folder / "README.md").read_text(encoding="utf-8")
    for word in licence_words:
        assert word in licence, (folder, word)
    for word in source_words:
        assert word in readme, (folder, word)


def test_nsmc_rows_follow_the_documented_rules():
    data = kd.load_nsmc()
    assert list(data.columns) == ["id", "document", "label", "rating"]
    assert len(data) == 10_000 and data["label"].value_counts().to_dict() == {0: 5000, 1: 5000}
    assert data["id"].is_unique and data["document"].is_unique
    assert set(data.loc[data["label"] == 0, "rating"]) <= set(range(1, 5))
    assert set(data.loc[data["label"] == 1, "rating"]) <= {9, 10}
    assert data["document"].str.len().max() < 140
    assert not data["document"].str.contains('[\t"\\\\]').any()


def test_klue_sts_has_all_519_pairs_with_scores_from_0_to_5():
    pairs = kd.load_klue_sts()
    assert list(pairs.columns) == ["sentence1", "sentence2", "score"] and len(pairs) == 519
    assert pairs["score"].between(0, 5).all() and pairs["score"].nunique() > 10
    raw = json.loads(kd.KLUE_STS_FILE.read_text(encoding="utf-8"))
    assert pairs.loc[0, "sentence1"] == raw[0]["sentence1"] and pairs.loc[518, "score"] == raw[518]["labels"]["label"]


# --- the project's copy equals the shared data ------------------------------------------------

def _shared(relative: str) -> Path:
    path = SHARED / relative
    if not path.is_file():
        pytest.skip(f"{path} is absent (only present beside the project's working copy)")
    return path


def test_shipped_nsmc_rows_are_rows_of_the_shared_sample():
    with _shared("nsmc/nsmc_sample_10k.tsv").open(encoding="utf-8", newline="") as f:
        shared = {row["id"]: row for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)}
    data = kd.load_nsmc()
    for row in data.itertuples(index=False):
        original = shared[str(row.id)]
        assert (original["document"], int(original["label"]), int(original["rating"])) == \
            (row.document, row.label, row.rating)


def test_shipped_klue_sts_equals_the_shared_file():
    assert kd.KLUE_STS_FILE.read_bytes() == _shared("klue-sts/klue-sts-v1.1_dev.json").read_bytes()
    assert (kd.DATA_DIR / "klue-sts" / "LICENSE.md").read_bytes() == _shared("klue-sts/LICENSE.md").read_bytes()


# --- the split ------------------------------------------------------------------------------

def test_split_is_fixed_disjoint_and_balanced():
    train, test = kd.nsmc_split(2000, 1000, seed=0)
    again_train, again_test = kd.nsmc_split(2000, 1000, seed=0)
    assert train["id"].tolist() == again_train["id"].tolist() and test["id"].tolist() == again_test["id"].tolist()
    assert not set(train["id"]) & set(test["id"])
    assert not set(train["document"]) & set(test["document"])
    assert (len(train), len(test)) == (2000, 1000)
    assert train["label"].mean() == 0.5 and test["label"].mean() == 0.5
    other_train, other_test = kd.nsmc_split(2000, 1000, seed=1)
    assert other_test["id"].tolist() != test["id"].tolist()
    # a larger training set keeps the same test set
    assert kd.nsmc_split(4000, 1000, seed=0)[1]["id"].tolist() == test["id"].tolist()


@pytest.mark.parametrize("train_size, test_size", [(0, 10), (11, 10), (10, -2), (6000, 6000), (2.0, 10), (True, 10)])
def test_split_refuses_sizes_it_cannot_draw(train_size, test_size):
    with pytest.raises(InputError):
        kd.nsmc_split(train_size, test_size)


# --- the profanity filter -------------------------------------------------------------------

@pytest.mark.parametrize("text", ["진짜 씨발 최악", "씨 발 이게 뭐냐", "ㅅㅂ 돈 아깝다", "감독 병신인가", "Fuck this movie"])
def test_filter_rejects_listed_words_also_with_spaces_or_capitals(text):
    assert not kd.is_printable_review(text)


@pytest.mark.parametrize("text", ["정말 재미있게 봤어요", "배우들 연기가 좋았다", "지루하고 뻔한 이야기"])
def test_filter_keeps_clean_reviews(text):
    assert kd.is_printable_review(text)


def test_printable_reviews_contain_no_listed_word_and_most_reviews_stay():
    kept = kd.printable(kd.load_nsmc())
    words = kd.profanity_words()
    assert len(words) > 50
    for text in kept["document"]:
        squeezed = "".join(text.split()).lower()
        assert not any(word in squeezed for word in words), text
    assert 0.8 * 10_000 < len(kept) < 10_000   # the data does hold rude reviews, and most are clean


def test_printable_names_a_missing_column():
    with pytest.raises(InputError):
        kd.printable(kd.load_nsmc(), column="text")


def test_printable_refuses_a_column_that_is_not_text_naming_printable_and_the_column():
    reviews = kd.load_nsmc().head(20)
    with pytest.raises(InputError, match=r"printable\(\)의 column='label'") as info:
        kd.printable(reviews, column="label")
    assert "is_printable_review" not in str(info.value)
