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


# --- the second, fresh probe (scripts/probe/cases_fresh.py): mistakes the first set did not list ----

def test_a_mask_of_ones_over_padding_is_refused(embedded_model, embedded_tokenizer):
    features = embedded_tokenizer(SENTENCES, padding=True, return_tensors="pt")
    check_model_inputs(features, embedded_model)
    with pytest.raises(InputError, match="attention_mask가 1인 자리"):
        check_model_inputs({**features, "attention_mask": torch.ones_like(features["attention_mask"])}, embedded_model)


def test_token_type_ids_must_start_at_0_and_stay_within_the_model(embedded_model, embedded_tokenizer):
    features = dict(embedded_tokenizer(SENTENCES, padding=True, return_tensors="pt"))
    zeros = torch.zeros_like(features["input_ids"])
    check_model_inputs({**features, "token_type_ids": zeros}, embedded_model)
    with pytest.raises(InputError, match="0이 아닌 값으로 시작"):
        check_model_inputs({**features, "token_type_ids": zeros + 1}, embedded_model)
    second = zeros.clone()
    second[:, 2:] = embedded_model.config.type_vocab_size
    with pytest.raises(InputError, match="문장 구분 종류"):
        check_model_inputs({**features, "token_type_ids": second}, embedded_model)


def test_tables_of_features_refuse_another_tokenizer(embedded_tokenizer, kcbert_tokenizer):
    from helpers.features import features_table, make_features

    book = make_features(kcbert_tokenizer, SENTENCES, max_length=16)
    assert len(features_table(book, kcbert_tokenizer, SENTENCES)) > 0
    with pytest.raises(MismatchError, match="features_table"):
        features_table(book, embedded_tokenizer, SENTENCES)


def test_model_config_must_be_a_config(embedded_model, embedded_tokenizer, kcbert_tokenizer):
    from helpers.features import make_features

    with pytest.raises(InputError, match="make_features\\(\\)의 model_config"):
        make_features(embedded_tokenizer, SENTENCES, max_length=16, model_config=kcbert_tokenizer)
    with pytest.raises(InputError, match="encode_sentences\\(\\)의 model_config"):
        ft.encode_sentences(embedded_tokenizer, SENTENCES, LABELS, max_length=16, label_set=kd.NSMC_LABELS,
                            model_config=kcbert_tokenizer)
    with pytest.raises(InputError, match="make_features\\(\\)의 model_config"):  # the model itself: the door says model.config
        make_features(embedded_tokenizer, SENTENCES, max_length=16, model_config=embedded_model)
    assert make_features(embedded_tokenizer, SENTENCES, max_length=16, model_config=embedded_model.config)["input_ids"].shape[1] == 16


def test_comparisons_refuse_what_cannot_be_scored(embedded_model, embedded_tokenizer):
    from helpers.embeddings import plot_similarity

    vectors = embed(SENTENCES + ["싫어요"], embedded_model, embedded_tokenizer)
    assert 0 <= neighbour_accuracy(vectors, ["a", "a", "b", "b"]) <= 1
    with pytest.raises(InputError, match="모두 한 문장씩"):
        neighbour_accuracy(vectors, ["a", "b", "c", "d"])
    for vmin in (1.0, 1.5, "0.5"):
        with pytest.raises(InputError, match="plot_similarity\\(\\)의 vmin"):
            plot_similarity(cosine_matrix(vectors), ["a", "b", "c", "d"], model_name="m", vmin=vmin)


def test_parameter_counts_refuse_heads_that_do_not_divide_the_width():
    from transformers import BertConfig

    from helpers.model import bert_parameter_breakdown, bert_parameter_count

    assert bert_parameter_count(BertConfig(hidden_size=96, num_attention_heads=12)) > 0
    for helper in (bert_parameter_count, bert_parameter_breakdown):
        with pytest.raises(InputError, match=f"{helper.__name__}\\(\\)의 config"):
            helper(BertConfig(hidden_size=100, num_attention_heads=12))


def test_exercise_and_baseline_helpers_catch_a_function_percentages_and_mixed_labels():
    from helpers.errors import BertvecWarning
    from helpers.exercises import answered

    with pytest.warns(BertvecWarning, match="함수"):
        assert answered(len) is False
    assert answered(0.0) is True
    with pytest.raises(InputError, match="척도"):
        ft.check_learned(81.0, 0.78, margin=0.02, what="정확도")
    assert "통과" in ft.check_learned(0.81, 0.78, margin=0.02, what="정확도")
    assert ft.majority_baseline([1, 1, 0], [1, 0]) == (1, 0.5)
    with pytest.raises(InputError, match="majority_baseline"):
        ft.majority_baseline(["긍정", "긍정"], [1, 0])


def test_a_head_of_the_wrong_size_names_load_mean_classifier():
    head = torch.nn.Linear(4, 2)
    with pytest.raises(InputError, match="load_mean_classifier\\(\\)의 head"):
        ft.load_mean_classifier(resolve_model("embedded"), head, kd.NSMC_LABELS)
