"""Meaning checks where types are not enough (issue 22, part 3): features made by another model's
tokenizer, left padding, a similarity matrix where vectors go, a table that cut words.

Every case is a silent wrong answer without the check: the ids of the book's KcBERT tokenizer are
all inside the embedded model's vocabulary, a left-padded row has [PAD] where [CLS] is read, and a
similarity matrix is a valid [n, n] array of numbers.
"""

from __future__ import annotations

import warnings

import pytest
import torch
from transformers import BertForSequenceClassification

from helpers import InputError, MismatchError, resolve_model
from helpers import finetuning as ft
from helpers import korean_data as kd
from helpers.checks import check_model_inputs
from helpers.embeddings import cosine_matrix, neighbour_accuracy
from helpers.errors import TruncationWarning
from helpers.sentence_vectors import embed, pool

SENTENCES = ["영화가 정말 재미있어요", "돈 아까운 영화", "좋아"]  # three lengths: the shorter rows are padded
LABELS = ["긍정", "부정", "긍정"]


@pytest.fixture(scope="module")
def classifier():
    return ft.load_head_model(resolve_model("embedded"), BertForSequenceClassification, kd.NSMC_LABELS)


def test_own_features_pass(embedded_model, embedded_tokenizer):
    features = embedded_tokenizer(SENTENCES, padding=True, return_tensors="pt")
    assert set(check_model_inputs(features, embedded_model)) >= {"input_ids", "attention_mask"}


@pytest.mark.parametrize("sentences, named", [(SENTENCES, "패딩 자리"), (SENTENCES[:1], "[CLS] ID")])
def test_features_of_the_book_tokenizer_are_refused_by_the_embedded_model(embedded_model, kcbert_tokenizer,
                                                                          sentences, named):
    """Padded: the padding ids differ (0 vs 1); a single unpadded sentence: the first id ([CLS] 2 is </s> in e5)."""
    features = kcbert_tokenizer(sentences, padding=True, return_tensors="pt")
    assert int(features["input_ids"].max()) < embedded_model.config.vocab_size  # every id is "valid"
    with pytest.raises(MismatchError, match="check_model_inputs") as info:
        check_model_inputs(features, embedded_model)
    assert named in info.value.what


@pytest.mark.parametrize("step", ["predict", "train"])
def test_fine_tuning_refuses_features_of_another_tokenizer(classifier, kcbert_tokenizer, embedded_tokenizer, step):
    features = ft.encode_sentences(kcbert_tokenizer, SENTENCES, LABELS, max_length=16, label_set=kd.NSMC_LABELS)
    call = {"predict": lambda f: ft.predict(classifier, f),
            "train": lambda f: ft.train(classifier, f, epochs=1, batch_size=2, lr=1e-9)}[step]
    with pytest.raises(MismatchError, match=f"{step}\\(\\)"):
        call(features)
    own = ft.encode_sentences(embedded_tokenizer, SENTENCES, LABELS, max_length=16, label_set=kd.NSMC_LABELS)
    assert len(ft.predict(classifier, own)) == 3


def test_left_padding_is_refused_where_position_0_is_read(embedded_model, embedded_tokenizer):
    embedded_tokenizer.padding_side = "left"
    try:
        features = embedded_tokenizer(SENTENCES, padding=True, return_tensors="pt")
    finally:
        embedded_tokenizer.padding_side = "right"
    assert int(features["attention_mask"][2, 0]) == 0  # the short row really is padded on the left
    with pytest.raises(InputError, match="padding_side = 'right'"):
        check_model_inputs(features, embedded_model)
    with torch.inference_mode():
        outputs = embedded_model(**features)
    with pytest.raises(InputError, match="pool\\(\\)"):
        pool(outputs, features["attention_mask"], "cls")
    assert pool(outputs, features["attention_mask"], "mean").shape[0] == 3  # the mean reads the mask: fine


@pytest.mark.parametrize("helper", [cosine_matrix, lambda v: neighbour_accuracy(v, ["a", "a", "b", "b"])])
def test_a_similarity_matrix_where_vectors_go_is_refused(embedded_model, embedded_tokenizer, helper):
    vectors = embed(SENTENCES + ["싫어요"], embedded_model, embedded_tokenizer)
    helper(vectors)  # the vectors themselves are fine
    with pytest.raises(InputError, match="유사도 행렬"):
        helper(cosine_matrix(vectors))


def test_alignment_table_says_when_max_length_left_words_out(embedded_tokenizer):
    sentence = ft.load_ner("test")[0]
    with pytest.warns(TruncationWarning, match="alignment_table") as caught:
        short = ft.alignment_table(embedded_tokenizer, sentence, max_length=6)
    assert f"{len(sentence.words) - (len(short) - 2)}개" in str(caught[0].message)  # rows = words + [CLS] + [SEP]
    with warnings.catch_warnings():
        warnings.simplefilter("error", TruncationWarning)
        assert len(ft.alignment_table(embedded_tokenizer, sentence, max_length=64)) == len(sentence.words) + 2
