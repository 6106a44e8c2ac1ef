"""Model inputs built the safe way (helpers/features.py), with the real tokenizers."""

from __future__ import annotations

import warnings

import pytest
import torch

from helpers import InputError, MismatchError
from helpers.features import (TruncationWarning, checked_max_length, count_dropped, features_table, make_features,
                              plot_features, warn_if_truncated)

BOOK_SENTENCES = ["안녕하세요", "하이!"]
BOOK_IDS = [[2, 19017, 8482, 3, 0, 0, 0, 0, 0, 0], [2, 15830, 5, 3, 0, 0, 0, 0, 0, 0]]


# --- the book's call, exact ids with kcbert ----------------------------------------------------

def test_kcbert_features_equal_the_books_ids(kcbert_tokenizer, kcbert_config):
    features = make_features(kcbert_tokenizer, BOOK_SENTENCES, max_length=10, model_config=kcbert_config,
                             return_tensors=None)
    assert features["input_ids"] == BOOK_IDS
    assert features["token_type_ids"] == [[0] * 10] * 2
    assert features["attention_mask"] == [[1, 1, 1, 1] + [0] * 6] * 2


def test_make_features_is_the_books_tokenizer_call(english_tokenizer, english_model):
    sentences = ["the cat sat on the mat", "hello"]
    made = make_features(english_tokenizer, sentences, max_length=12, model_config=english_model.config)
    plain = english_tokenizer(sentences, max_length=12, padding="max_length", truncation=True, return_tensors="pt")
    for key in plain:
        assert torch.equal(made[key], plain[key]), key


def test_make_features_returns_tensors_the_model_accepts(english_tokenizer, english_model):
    features = make_features(english_tokenizer, ["a short one", "hi"], max_length=8,
                             model_config=english_model.config)
    assert all(isinstance(features[k], torch.Tensor) for k in features)
    with torch.inference_mode():
        out = english_model(**features)
    assert out.last_hidden_state.shape == (2, 8, english_model.config.hidden_size)


# --- padding ----------------------------------------------------------------------------------

def test_longest_padding_pads_only_to_the_longest_sentence(english_tokenizer):
    sentences = ["one two three four", "one"]
    features = make_features(english_tokenizer, sentences, max_length=50, padding="longest")
    longest = max(len(english_tokenizer(s)["input_ids"]) for s in sentences)
    assert features["input_ids"].shape == (2, longest)
    assert features["attention_mask"].sum(dim=1).tolist() == [len(english_tokenizer(s)["input_ids"]) for s in sentences]


def test_max_length_padding_fills_every_row_to_max_length(english_tokenizer):
    features = make_features(english_tokenizer, ["one", "two words"], max_length=9)
    assert features["input_ids"].shape == (2, 9)
    pad = english_tokenizer.pad_token_id
    assert bool(((features["input_ids"] == pad) == (features["attention_mask"] == 0)).all())


def test_padding_true_means_longest_as_in_transformers(english_tokenizer):
    sentences = ["one two three four", "one"]
    features = make_features(english_tokenizer, sentences, max_length=50, padding=True)
    longest = make_features(english_tokenizer, sentences, max_length=50, padding="longest")
    assert torch.equal(features["input_ids"], longest["input_ids"])
    assert features["input_ids"].shape[1] < 50


@pytest.mark.parametrize("padding", [False, "do_not_pad", "max", "True"])
def test_other_padding_values_are_refused(english_tokenizer, padding):
    with pytest.raises(InputError, match="padding"):
        make_features(english_tokenizer, ["one"], max_length=8, padding=padding)


# --- truncation -------------------------------------------------------------------------------

def test_count_dropped_counts_tokens_past_max_length(english_tokenizer):
    sentences = ["one two three four five six", "one"]  # 6 words + [CLS] [SEP] = 8 tokens
    assert count_dropped(english_tokenizer, sentences, 5) == [3, 0]
    assert count_dropped(english_tokenizer, sentences, 8) == [0, 0]


def test_truncation_warns_with_the_number_of_dropped_tokens(english_tokenizer):
    with pytest.warns(TruncationWarning, match=r"sentences\[0\] 3개") as record:
        features = make_features(english_tokenizer, ["one two three four five six", "one"], max_length=5)
    assert "1번" not in str(record[0].message)  # the short sentence lost nothing
    assert features["input_ids"].shape == (2, 5)


def test_no_warning_when_nothing_is_cut(english_tokenizer):
    with warnings.catch_warnings():
        warnings.simplefilter("error", TruncationWarning)
        make_features(english_tokenizer, ["one two", "three"], max_length=10)


def test_korean_with_the_embedded_tokenizer_is_cut_at_the_books_length(english_tokenizer):
    # the English vocabulary splits Hangul into jamo: the book's max_length=10 is too short
    dropped = count_dropped(english_tokenizer, BOOK_SENTENCES, 10)
    assert dropped[0] > 0
    with pytest.warns(TruncationWarning):
        make_features(english_tokenizer, BOOK_SENTENCES, max_length=10)


def test_warn_if_truncated_is_silent_for_all_zero():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warn_if_truncated([0, 0], 10)


# --- sentence pairs ---------------------------------------------------------------------------

def test_pair_token_type_ids_mark_the_second_sentence(english_tokenizer):
    features = make_features(english_tokenizer, ["first part"], text_pair=["second bit here"], max_length=20,
                             padding="longest")
    ids = features["input_ids"][0].tolist()
    types = features["token_type_ids"][0].tolist()
    first_sep = ids.index(english_tokenizer.sep_token_id)
    assert set(types[:first_sep + 1]) == {0}
    assert set(types[first_sep + 1:]) == {1}
    assert types.count(1) == len(english_tokenizer("second bit here", add_special_tokens=False)["input_ids"]) + 1


def test_pairs_of_different_lengths_are_refused(english_tokenizer):
    with pytest.raises(InputError, match="수가 다릅니다"):
        make_features(english_tokenizer, ["a", "b"], text_pair=["c"], max_length=10)


def test_kcbert_pair_ids_follow_the_book(kcbert_tokenizer, kcbert_config):
    features = make_features(kcbert_tokenizer, ["안녕하세요"], text_pair=["하이!"], max_length=10,
                             model_config=kcbert_config, return_tensors=None)
    assert features["input_ids"] == [[2, 19017, 8482, 3, 15830, 5, 3, 0, 0, 0]]
    assert features["token_type_ids"] == [[0, 0, 0, 0, 1, 1, 1, 0, 0, 0]]


# --- bad input --------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", [[], [""], ["ok", "   "], ["ok", 3], [None], "a bare string"])
def test_bad_sentences_are_refused(english_tokenizer, bad):
    with pytest.raises(InputError):
        make_features(english_tokenizer, bad, max_length=10)


def test_max_length_above_position_limit_is_refused_before_torch(english_tokenizer, english_model):
    limit = english_model.config.max_position_embeddings
    with pytest.raises(InputError, match=f"max_position_embeddings={limit}"):
        make_features(english_tokenizer, ["one"], max_length=limit + 1, model_config=english_model.config)
    assert make_features(english_tokenizer, ["one"], max_length=limit,
                         model_config=english_model.config)["input_ids"].shape == (1, limit)


def test_kcbert_max_length_above_300_is_refused(kcbert_tokenizer, kcbert_config):
    assert kcbert_config.max_position_embeddings == 300
    with pytest.raises(InputError, match="300"):
        make_features(kcbert_tokenizer, BOOK_SENTENCES, max_length=512, model_config=kcbert_config)


def test_without_config_the_tokenizer_limit_is_used(english_tokenizer):
    with pytest.raises(InputError, match=str(english_tokenizer.model_max_length)):
        make_features(english_tokenizer, ["one"], max_length=english_tokenizer.model_max_length + 1)


@pytest.mark.parametrize("bad", [2, 0, -5, 10.0, "10", True, None])
def test_bad_max_length_values_are_refused(english_tokenizer, bad):
    with pytest.raises(InputError, match="max_length"):
        make_features(english_tokenizer, ["one"], max_length=bad)


def test_kcbert_tokenizer_with_embedded_model_config_is_a_mismatch(kcbert_tokenizer, english_model):
    with pytest.raises(MismatchError, match="30,000"):
        make_features(kcbert_tokenizer, BOOK_SENTENCES, max_length=10, model_config=english_model.config)


# --- showing the features ---------------------------------------------------------------------

def test_features_table_has_one_block_per_sentence(english_tokenizer):
    sentences = ["one two", "three", "three"]  # a repeated sentence keeps its own block
    features = make_features(english_tokenizer, sentences, max_length=6)
    table = features_table(features, english_tokenizer, sentences)
    assert table.shape == (3 * 4, 6)
    assert list(table.loc["one two"].index) == ["토큰", "input_ids", "token_type_ids", "attention_mask"]
    assert table.loc["one two"].loc["토큰"].tolist() == ["[CLS]", "one", "two", "[SEP]", "[PAD]", "[PAD]"]
    assert table.loc["one two"].loc["input_ids"].tolist() == features["input_ids"][0].tolist()


def test_features_table_refuses_a_wrong_number_of_sentences(english_tokenizer):
    features = make_features(english_tokenizer, ["one", "two"], max_length=5)
    with pytest.raises(InputError, match="수가 다릅니다"):
        features_table(features, english_tokenizer, ["one"])


def test_plot_features_draws_one_panel_per_key(english_tokenizer):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from helpers.plotting import use_korean_font

    use_korean_font()

    features = make_features(english_tokenizer, ["one two", "three"], max_length=6)
    fig = plot_features(features, english_tokenizer, ["one two", "three"], title="test model")
    try:
        assert [ax.get_title() for ax in fig.axes] == ["input_ids", "token_type_ids", "attention_mask"]
        assert fig._suptitle.get_text() == "test model"
        texts = [t.get_text() for t in fig.axes[0].texts]
        assert len(texts) == 2 * 6 and "101\n[CLS]" in texts
    finally:
        plt.close(fig)


# --- wrong objects in the wrong place (issue 6) -------------------------------------------------

def test_make_features_refuses_a_model_in_the_tokenizer_place(english_model):
    with pytest.raises(InputError, match="tokenizer 자리에 모델"):
        make_features(english_model, ["a"], max_length=16)


def test_make_features_refuses_a_model_name_instead_of_a_tokenizer():
    with pytest.raises(InputError, match="tokenizer 자리에 객체가 아니라 이름이 들어왔습니다: 'beomi/kcbert-base'"):
        make_features("beomi/kcbert-base", ["a"], max_length=16)


def test_features_table_refuses_a_bare_string_with_the_wrap_it_message(english_tokenizer):
    features = make_features(english_tokenizer, ["hello world"], max_length=6)
    with pytest.raises(InputError, match=r"리스트로 감싸 주세요: \['hello world'\]"):
        features_table(features, english_tokenizer, "hello world")


def test_features_table_refuses_something_that_is_not_features(english_tokenizer):
    with pytest.raises(InputError, match="input_ids"):
        features_table([[101, 102]], english_tokenizer, ["a"])


def test_plot_features_refuses_a_bare_string_and_a_wrong_number_of_sentences(english_tokenizer):
    features = make_features(english_tokenizer, ["one", "two"], max_length=5)
    with pytest.raises(InputError, match="리스트로 감싸"):
        plot_features(features, english_tokenizer, "one", title="t")
    with pytest.raises(InputError, match="문장 1개, 입력 2줄"):
        plot_features(features, english_tokenizer, ["one"], title="t")


def test_the_books_tokenizer_states_its_300_positions(kcbert_tokenizer):
    assert kcbert_tokenizer.model_max_length == 300
    with pytest.raises(InputError, match="max_position_embeddings=300"):
        make_features(kcbert_tokenizer, ["안녕하세요"], max_length=301)
    assert checked_max_length(kcbert_tokenizer, 300) == 300


def test_without_config_or_tokenizer_limit_512_is_the_limit(kcbert_dir):
    from transformers import BertTokenizer

    unlimited = BertTokenizer.from_pretrained(str(kcbert_dir), do_lower_case=False, model_max_length=int(1e30))
    with pytest.raises(InputError, match="max_position_embeddings=512"):
        make_features(unlimited, ["안녕하세요"], max_length=513)
    assert checked_max_length(unlimited, 512) == 512


def test_count_dropped_counts_words_given_as_lists(english_tokenizer):
    words = ["hello"] * 10
    full = len(english_tokenizer(" ".join(words))["input_ids"])
    assert full > 8
    assert count_dropped(english_tokenizer, [words], 8, is_split_into_words=True) == [full - 8]
    assert count_dropped(english_tokenizer, [" ".join(words)], 8) == [full - 8]
