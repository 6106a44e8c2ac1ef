"""Token vectors, attention, similarity and the pictures of step 05 (helpers/embeddings.py)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from helpers import InputError, MismatchError
from helpers.sentence_vectors import mean_pool
from helpers.embeddings import (TokenVectors, attention_weights, cosine_matrix, group_similarity, plot_attention,
                                plot_projection, plot_similarity, project_2d, token_vectors)
from helpers.features import TruncationWarning
from helpers.plotting import use_korean_font


@pytest.fixture
def korean_font():
    use_korean_font()
    yield
    plt.close("all")


# --- what the model returns -------------------------------------------------------------------

def test_output_shapes_follow_the_config(english_tokenizer, english_model):
    features = english_tokenizer(["one", "two words"], max_length=10, padding="max_length", truncation=True,
                                  return_tensors="pt")
    with torch.inference_mode():
        out = english_model(**features)
    hidden = english_model.config.hidden_size
    assert out.last_hidden_state.shape == (2, 10, hidden)
    assert out.pooler_output.shape == (2, hidden)


def test_pooler_output_is_tanh_of_dense_cls(english_tokenizer, english_model):
    features = english_tokenizer(["a cat", "a dog runs"], padding=True, return_tensors="pt")
    with torch.inference_mode():
        out = english_model(**features)
        by_hand = torch.tanh(english_model.pooler.dense(out.last_hidden_state[:, 0]))
    assert torch.allclose(by_hand, out.pooler_output, atol=1e-6)


def test_padding_positions_still_get_vectors(english_tokenizer, english_model):
    features = english_tokenizer(["hi"], max_length=8, padding="max_length", return_tensors="pt")
    with torch.inference_mode():
        hidden = english_model(**features).last_hidden_state[0]
    padded = features["attention_mask"][0] == 0
    assert padded.any()
    assert bool((hidden[padded].norm(dim=-1) > 0).all())


def test_mean_pool_ignores_added_padding(english_tokenizer, english_model):
    means = []
    for length in (6, 24):
        features = english_tokenizer(["hi there"], max_length=length, padding="max_length", return_tensors="pt")
        with torch.inference_mode():
            out = english_model(**features)
        means.append((mean_pool(out.last_hidden_state, features["attention_mask"]),
                      out.last_hidden_state.mean(dim=1)))
    assert torch.allclose(means[0][0], means[1][0], atol=1e-5)
    assert not torch.allclose(means[0][1], means[1][1], atol=1e-3)  # a plain mean mixes in padding


def test_mean_pool_refuses_a_mask_of_another_batch_and_a_sentence_without_tokens():
    hidden = torch.randn(2, 5, 4)
    with pytest.raises(InputError, match=r"mean_pool\(\)의 attention_mask 셰이프 \(2, 7\)"):
        mean_pool(hidden, torch.ones(2, 7, dtype=torch.long))
    mask = torch.ones(2, 5, dtype=torch.long)
    mask[1] = 0
    with pytest.raises(InputError, match=r"mean_pool\(\)의 attention_mask.*문장 번호 \[1\]"):
        mean_pool(hidden, mask)


# --- token_vectors ----------------------------------------------------------------------------

def test_token_vectors_leave_out_padding(english_tokenizer, english_model):
    sentences = ["one", "one two three four"]
    result = token_vectors(sentences, english_model, english_tokenizer)
    assert [r.sentence for r in result] == sentences
    for r, sentence in zip(result, sentences):
        expected = english_tokenizer.convert_ids_to_tokens(english_tokenizer(sentence)["input_ids"])
        assert isinstance(r, TokenVectors)
        assert r.pieces == expected
        assert "[PAD]" not in r.pieces
        assert r.vectors.shape == (len(expected), english_model.config.hidden_size)


def test_token_vectors_equal_the_rows_of_a_single_sentence_run(english_tokenizer, english_model):
    short = token_vectors(["one", "a much longer sentence than the first"], english_model, english_tokenizer)[0]
    features = english_tokenizer(["one"], return_tensors="pt")
    with torch.inference_mode():
        alone = english_model(**features).last_hidden_state[0].numpy()
    assert np.allclose(short.vectors, alone, atol=1e-5)


def test_token_vectors_warn_when_max_length_cuts(english_tokenizer, english_model):
    with pytest.warns(TruncationWarning):
        result = token_vectors(["one two three four five"], english_model, english_tokenizer, max_length=4)
    assert len(result[0].pieces) == 4


@pytest.mark.parametrize("bad", [[], [""], ["fine", 7], "not a list"])
def test_token_vectors_refuse_bad_sentences(english_tokenizer, english_model, bad):
    with pytest.raises(InputError):
        token_vectors(bad, english_model, english_tokenizer)


def test_token_vectors_refuse_max_length_above_the_position_limit(english_tokenizer, english_model):
    limit = english_model.config.max_position_embeddings
    with pytest.raises(InputError, match=str(limit)):
        token_vectors(["one"], english_model, english_tokenizer, max_length=limit + 1)


def test_kcbert_tokenizer_with_the_embedded_model_is_a_mismatch(kcbert_tokenizer, english_model):
    with pytest.raises(MismatchError):
        token_vectors(["안녕하세요"], english_model, kcbert_tokenizer)


# --- attention --------------------------------------------------------------------------------

def test_attention_weights_need_eager_attention(english_tokenizer, english_model):
    assert english_model.config._attn_implementation == "sdpa"
    with pytest.raises(InputError, match="eager"):
        attention_weights("hello there", english_model, english_tokenizer)


def test_attention_weights_rows_are_distributions(english_tokenizer, eager_model):
    pieces, weights = attention_weights("the cat sat on the mat", eager_model, english_tokenizer)
    assert pieces == english_tokenizer.convert_ids_to_tokens(english_tokenizer("the cat sat on the mat")["input_ids"])
    assert weights.shape == (eager_model.config.num_attention_heads, len(pieces), len(pieces))
    assert np.allclose(weights.sum(axis=-1), 1.0, atol=1e-4)


def test_attention_weights_layers_differ_and_bad_layer_is_refused(english_tokenizer, eager_model):
    _, first = attention_weights("the cat sat", eager_model, english_tokenizer, layer=0)
    _, last = attention_weights("the cat sat", eager_model, english_tokenizer, layer=-1)
    assert not np.allclose(first, last)
    with pytest.raises(InputError, match="layer"):
        attention_weights("the cat sat", eager_model, english_tokenizer, layer=eager_model.config.num_hidden_layers)


def test_attention_weights_refuse_an_empty_sentence(english_tokenizer, eager_model):
    with pytest.raises(InputError):
        attention_weights("  ", eager_model, english_tokenizer)


# --- similarity and projection ----------------------------------------------------------------

def test_cosine_matrix_matches_a_direct_computation():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(5, 7))
    matrix = cosine_matrix(vectors)
    i, j = 1, 3
    direct = vectors[i] @ vectors[j] / (np.linalg.norm(vectors[i]) * np.linalg.norm(vectors[j]))
    assert matrix.shape == (5, 5)
    assert np.isclose(matrix[i, j], direct) and np.isclose(matrix[j, i], direct)
    assert np.allclose(np.diag(matrix), 1.0)
    assert np.isclose(cosine_matrix(np.array([[1.0, 0.0], [-2.0, 0.0]]))[0, 1], -1.0)


def test_cosine_matrix_names_itself_and_the_row_of_a_zero_vector():
    with pytest.raises(InputError, match=r"cosine_matrix\(\)의 vectors.*줄 \[1\]"):
        cosine_matrix(np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 2.0]]))
    from helpers.embeddings import neighbour_accuracy

    with pytest.raises(InputError, match=r"neighbour_accuracy\(\)의 vectors.*줄 \[1\]"):
        neighbour_accuracy(np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 2.0]]), ["a", "a", "b"])


@pytest.mark.parametrize("bad", [np.zeros(4), np.array([[1.0, 2.0], [0.0, 0.0]])])
def test_cosine_matrix_refuses_bad_arrays(bad):
    with pytest.raises(InputError):
        cosine_matrix(bad)


def test_group_similarity_separates_within_and_between():
    matrix = np.array([[1.0, 0.8, 0.1, 0.2],
                       [0.8, 1.0, 0.3, 0.0],
                       [0.1, 0.3, 1.0, 0.6],
                       [0.2, 0.0, 0.6, 1.0]])
    result = group_similarity(matrix, ["a", "a", "b", "b"])
    assert result["같은 주제"] == pytest.approx((0.8 + 0.6) / 2)
    assert result["다른 주제"] == pytest.approx((0.1 + 0.2 + 0.3 + 0.0) / 4)


@pytest.mark.parametrize("groups", [["a", "b", "c"], ["a", "a", "a"], ["a", "a"]])
def test_group_similarity_refuses_groups_it_cannot_compare(groups):
    with pytest.raises(InputError):
        group_similarity(np.eye(3), groups)


def test_english_topics_are_closer_within_than_between(english_tokenizer, english_model):
    from helpers.sentence_vectors import embed

    sentences = ["I ate a delicious pizza", "The soup tasted great",
                 "The striker scored a goal", "Our team won the match"]
    vectors = embed(sentences, english_model, english_tokenizer, pooling="mean")
    result = group_similarity(cosine_matrix(vectors), ["food", "food", "sport", "sport"])
    assert result["같은 주제"] > result["다른 주제"]


def test_project_2d_keeps_the_main_direction_and_is_deterministic():
    rng = np.random.default_rng(1)
    base = np.outer(np.linspace(-3, 3, 10), rng.normal(size=6))  # points along one line
    vectors = base + 0.01 * rng.normal(size=base.shape)
    points = project_2d(vectors)
    assert points.shape == (10, 2)
    assert np.allclose(points.mean(axis=0), 0.0, atol=1e-9)
    assert points[:, 0].var() > 100 * points[:, 1].var()
    assert np.array_equal(points, project_2d(vectors))
    flipped = project_2d(-vectors)  # the sign convention fixes each axis' direction
    assert np.allclose(flipped, points)
    assert (points[np.abs(points).argmax(axis=0), [0, 1]] > 0).all()


@pytest.mark.parametrize("vectors", [np.ones((4, 8)), np.tile(np.arange(8.0), (3, 1))])
def test_project_2d_refuses_vectors_that_are_all_the_same(vectors):
    """Nothing spreads, so the picture would be one dot (the SVD's directions are arbitrary)."""
    with pytest.raises(InputError, match="모두 같습니다"):
        project_2d(vectors)


def test_project_2d_refuses_a_single_vector():
    with pytest.raises(InputError):
        project_2d(np.ones((1, 5)))


# --- pictures ---------------------------------------------------------------------------------

def test_plot_similarity_names_the_model_and_marks_topics(korean_font):
    labels = ["김치찌개", "파스타", "축구", "농구"]
    ax = plot_similarity(np.eye(4), labels, model_name="some/model", groups=["음식", "음식", "운동", "운동"],
                         title="유사도")
    assert "some/model" in ax.get_title()
    assert [t.get_text() for t in ax.get_yticklabels()] == labels
    assert len(ax.lines) == 2  # one horizontal and one vertical line between the two topics


def test_plot_projection_one_colour_per_group(korean_font):
    points = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0]])
    ax = plot_projection(points, ["가", "나", "다"], ["x", "x", "y"], model_name="some/model")
    assert "some/model" in ax.get_title()
    assert len(ax.collections) == 2
    assert [t.get_text() for t in ax.texts] == ["가", "나", "다"]


def test_plot_projection_takes_label_ids_as_groups_and_names_a_short_groups(korean_font):
    points = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0], [3.0, 1.0]])
    ax = plot_projection(points, None, [0, 0, 1, 1], model_name="m")
    assert len(ax.collections) == 2
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["0", "1"]
    with pytest.raises(InputError, match=r"plot_projection\(\)의 groups에 2개"):
        plot_projection(points, None, ["a", "b"], model_name="m")


def test_plot_attention_labels_both_axes_with_pieces(korean_font):
    pieces = ["[CLS]", "안녕", "[SEP]"]
    ax = plot_attention(np.full((3, 3), 1 / 3), pieces, model_name="some/model")
    assert "some/model" in ax.get_title()
    assert [t.get_text() for t in ax.get_xticklabels()] == pieces


# --- bad input fails early, in Korean (issue 6) ---------------------------------------------------

def test_token_vectors_refuse_max_length_zero_instead_of_using_the_default(english_tokenizer, english_model):
    with pytest.raises(InputError, match="token_vectors\\(\\): max_length 에 쓸 수 없는 값을 받았습니다: 0"):
        token_vectors(["a"], english_model, english_tokenizer, max_length=0)


@pytest.mark.parametrize("layer", ["last", 1.0, True])
def test_attention_weights_refuse_a_layer_that_is_not_an_int(english_tokenizer, eager_model, layer):
    with pytest.raises(InputError, match="layer"):
        attention_weights("the cat sat", eager_model, english_tokenizer, layer=layer)


@pytest.mark.parametrize("function", [cosine_matrix, project_2d])
def test_arrays_of_words_are_refused_with_a_korean_message(function):
    with pytest.raises(InputError, match="숫자가 아닌 값"):
        function([["a", "b"], ["c", "d"]])


def test_plot_similarity_refuses_labels_of_another_length(korean_font):
    with pytest.raises(InputError, match=r"\(3, 3\), 이름 2개"):
        plot_similarity(np.eye(3), ["가", "나"], model_name="m")
    with pytest.raises(InputError, match="이름 2개"):
        plot_similarity(np.eye(3), ["가", "나", "다"], model_name="m", groups=["x", "y"])


def test_plot_projection_refuses_points_that_are_not_two_dimensional(korean_font):
    with pytest.raises(InputError, match=r"\(3, 5\)"):
        plot_projection(np.zeros((3, 5)), ["가", "나", "다"], ["x", "x", "y"], model_name="m")
    with pytest.raises(InputError, match=r"plot_projection\(\)의 (labels|groups)에 2개"):
        plot_projection(np.zeros((3, 2)), ["가", "나", "다"], ["x", "y"], model_name="m")


def test_plot_attention_refuses_all_heads_at_once(korean_font):
    with pytest.raises(InputError, match=r"weights\[head\]"):
        plot_attention(np.full((2, 3, 3), 1 / 3), ["[CLS]", "a", "[SEP]"], model_name="m")


# --- the Korean default reads Korean (issue: Korean offline) -----------------------------------

OWN_TOPIC_SENTENCES = {
    "여행": ["제주도에 가서 바닷가를 걸었다", "다음 달에 유럽으로 배낭여행을 떠난다",
             "공항에서 비행기가 세 시간이나 늦게 출발했다", "호텔 방에서 산이 한눈에 보였다"],
    "건강": ["감기에 걸려서 병원에 다녀왔다", "매일 아침 삼십 분씩 달리기를 한다",
             "의사가 짠 음식을 줄이라고 했다", "잠을 푹 자야 면역력이 좋아진다"],
    "음악": ["그 가수의 새 앨범이 나왔다", "피아노 연주회에 친구와 함께 갔다",
             "기타 줄을 새것으로 갈았다", "이 노래는 후렴이 귀에 쏙 들어온다"],
    "경제": ["금리가 오르면서 대출 이자가 늘었다", "주식 시장이 이틀 연속 하락했다",
             "물가가 올라서 장바구니 부담이 커졌다", "회사가 올해 수출 실적을 크게 늘렸다"],
}


def test_the_korean_default_groups_korean_sentences_it_has_never_seen_by_topic(embedded_model, embedded_tokenizer):
    """Sentences written for this test (not the notebook's): nearest-neighbour topic accuracy
    well above a random pick (3/15 = 0.20 here)."""
    from helpers.embeddings import chance_neighbour_accuracy, neighbour_accuracy
    from helpers.sentence_vectors import embed

    sentences = [s for group in OWN_TOPIC_SENTENCES.values() for s in group]
    topics = [t for t, group in OWN_TOPIC_SENTENCES.items() for _ in group]
    vectors = embed(sentences, embedded_model, embedded_tokenizer, pooling="mean", normalize=True)
    assert chance_neighbour_accuracy(topics) == pytest.approx(0.2)
    assert neighbour_accuracy(vectors, topics) >= 0.75


def test_chance_neighbour_accuracy_counts_only_the_other_sentences():
    from helpers.embeddings import chance_neighbour_accuracy

    assert chance_neighbour_accuracy(["a"] * 3 + ["b"] * 3 + ["c"] * 3 + ["d"] * 3) == pytest.approx(2 / 11)
    assert chance_neighbour_accuracy(["a", "a", "b"]) == pytest.approx((1 / 2 + 1 / 2 + 0) / 3)
    with pytest.raises(InputError):
        chance_neighbour_accuracy(["a"])


def test_spearman_ranks_and_refuses_mismatched_input():
    from helpers.embeddings import spearman

    assert spearman([1, 2, 3, 4], [10, 20, 40, 30]) == pytest.approx(0.8)
    assert spearman([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert spearman([1, 2, 3, 4], [1, 1, 2, 2]) == pytest.approx(2 / 5 ** 0.5, abs=1e-9)  # ties: average ranks
    with pytest.raises(InputError):
        spearman([1, 2, 3], [1, 2])


def test_spearman_refuses_a_constant_list_that_has_no_ranking():
    import warnings

    from helpers.embeddings import spearman

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no NumPy RuntimeWarning on the way
        with pytest.raises(InputError, match="spearman\\(\\)의 x의 값이 모두 같습니다"):
            spearman([1, 1, 1], [1, 2, 3])
        with pytest.raises(InputError, match="spearman\\(\\)의 y"):
            spearman([1, 2, 3], [0.5, 0.5, 0.5])


def test_sentence_flow_figure_shows_every_token_of_the_padded_sentence(embedded_tokenizer, embedded_model):
    from helpers.embeddings import plot_sentence_flow

    use_korean_font()
    features = embedded_tokenizer(["안녕하세요"], max_length=10, padding="max_length", return_tensors="pt")
    with torch.no_grad():
        hidden = embedded_model(**features).last_hidden_state[0]
    ids = features["input_ids"][0].tolist()
    pieces = embedded_tokenizer.convert_ids_to_tokens(ids)
    fig = plot_sentence_flow(pieces, ids, features["attention_mask"][0].tolist(), hidden,
                             n_layers=embedded_model.config.num_hidden_layers, model_name="m")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert sum("마스크 0" in t for t in texts) == ids.count(embedded_tokenizer.pad_token_id) > 0
    assert any(f"블록 {embedded_model.config.num_hidden_layers}개" in t for t in texts)
    assert fig.axes[0].images[0].get_array().shape == (10, 8)
    plt.close(fig)
    with pytest.raises(InputError):
        plot_sentence_flow(pieces[:-1], ids, features["attention_mask"][0].tolist(), hidden, n_layers=1, model_name="m")

