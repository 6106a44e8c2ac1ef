"""Property-based tests: learners' text is arbitrary Unicode, and the helpers must cope.

Text mixes hypothesis' own Unicode with the awkward cases learners paste in: emoji with skin
tones and flags, decomposed jamo, zero-width and control characters, right-to-left text and
10,000-character strings. Properties: the helpers never crash (a blank sentence is refused with
InputError, nothing else), keep input order and batch shapes, never exceed the position limit,
and give identical vectors for identical inputs. Examples are derandomized (the same every run)
and few, so the suite stays fast on 2 cores; `pytest --hypothesis-show-statistics` prints how
many ran per property.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import InputError
from helpers.checks import check_model_inputs, check_sentences

AWKWARD = [
    "😀👍🏽🇰🇷👨‍👩‍👧",          # emoji, skin tone, flag, ZWJ family
    "\u1100\u1161\u11a8\u1102\u1175",  # decomposed jamo (NFD Hangul)
    "안\u200b녕\u200d하\u200c세요\ufeff",  # zero-width characters inside a word
    "\x00\x07\x1b[31m\x7f",            # control characters
    "مرحبا بالعالم",                    # Arabic (right to left)
    "שלום \u202eabc\u202c",             # Hebrew and a right-to-left override
    "e\u0301" * 40,                    # combining accents
    "\u3164\u115f",                    # Hangul fillers
    "가" * 10_000,                      # one 10,000-character "word" (WordPiece makes it [UNK])
    "가나다 " * 2_500,                   # 10,000 characters, far past any position limit
    "hello " * 2_000,
    "👍 " * 5_000,
]

INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"}


def visible(text: str) -> bool:
    """Something a reader sees: not only spaces, control / zero-width characters or lone marks."""
    import unicodedata

    return any(unicodedata.category(ch) not in INVISIBLE for ch in text)


pieces = st.one_of(st.text(max_size=30), st.sampled_from(AWKWARD))
any_sentence = st.lists(pieces, min_size=1, max_size=3).map("".join)
real_sentence = any_sentence.filter(visible)
sentence_lists = st.lists(real_sentence, min_size=1, max_size=4)
SHORT = 32  # max_length for the model properties: the model's cost grows with length, not its bugs
LONG = [text for text in AWKWARD if len(text) >= 6_000 and " " in text]


@pytest.fixture(scope="module", autouse=True)
def one_torch_thread():
    """Many small forward passes: on a busy 2-core machine two torch threads fight (~15x slower)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)

FAST = settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
MODEL = settings(max_examples=30, deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def quietly(call, *args, **kwargs):
    """Run `call` with the helpers' warnings (truncation) silenced: they are expected here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return call(*args, **kwargs)


# --- checks ------------------------------------------------------------------------------------

@FAST
@given(st.lists(any_sentence, min_size=1, max_size=5))
def test_check_sentences_accepts_exactly_the_visible_strings(sentences):
    if all(visible(s) for s in sentences):
        assert check_sentences(sentences) == sentences
    else:
        with pytest.raises(InputError, match="비어 있거나 공백뿐|보이는 글자가 없습니다"):
            check_sentences(sentences)


@FAST
@given(st.lists(st.one_of(st.none(), st.integers(), st.floats(), st.binary(), st.lists(st.text(), max_size=2)),
                min_size=1, max_size=3))
def test_check_sentences_refuses_every_non_string_item_with_input_error(items):
    with pytest.raises(InputError):
        check_sentences(items)


# --- features ----------------------------------------------------------------------------------

@FAST
@given(sentences=sentence_lists)
def test_features_of_any_text_fit_the_embedded_model(sentences, english_tokenizer, english_model):
    from helpers.features import make_features

    limit = english_model.config.max_position_embeddings
    features = quietly(make_features, english_tokenizer, sentences, max_length=limit, padding="longest",
                       model_config=english_model.config)
    ids = features["input_ids"]
    assert ids.shape[0] == len(sentences) and 2 <= ids.shape[1] <= limit
    assert (ids[:, 0] == english_tokenizer.cls_token_id).all()
    assert (features["attention_mask"].sum(dim=1) >= 2).all()
    check_model_inputs(features, english_model)  # the model accepts what make_features made


@FAST
@given(sentences=sentence_lists)
def test_features_of_any_text_fit_kcbert_positions(sentences, kcbert_tokenizer, kcbert_config):
    from helpers.features import make_features

    features = quietly(make_features, kcbert_tokenizer, sentences, max_length=kcbert_config.max_position_embeddings,
                       padding="max_length", model_config=kcbert_config)
    assert tuple(features["input_ids"].shape) == (len(sentences), 300)
    assert int(features["input_ids"].max()) < kcbert_config.vocab_size


@FAST
@given(sentences=sentence_lists)
def test_features_keep_input_order(sentences, english_tokenizer):
    from helpers.features import make_features

    together = quietly(make_features, english_tokenizer, sentences, max_length=64, padding="max_length")
    for i, sentence in enumerate(sentences):
        alone = quietly(make_features, english_tokenizer, [sentence], max_length=64, padding="max_length")
        assert torch.equal(together["input_ids"][i], alone["input_ids"][0])


# --- embed -------------------------------------------------------------------------------------

@MODEL
@given(sentences=sentence_lists)
def test_embed_any_text_keeps_order_and_shape(sentences, english_tokenizer, english_model):
    from helpers.sentence_vectors import embed

    vectors = quietly(embed, sentences, english_model, english_tokenizer, batch_size=2, max_length=SHORT)
    assert vectors.shape == (len(sentences), english_model.config.hidden_size)
    assert np.isfinite(vectors).all()
    backwards = quietly(embed, sentences[::-1], english_model, english_tokenizer, batch_size=2, max_length=SHORT)
    np.testing.assert_allclose(backwards[::-1], vectors, atol=1e-5)


@MODEL
@given(sentence=real_sentence, others=sentence_lists)
def test_embed_gives_identical_vectors_for_identical_inputs(sentence, others, english_tokenizer, english_model):
    from helpers.sentence_vectors import embed

    batch = [sentence, *others, sentence]
    vectors = quietly(embed, batch, english_model, english_tokenizer, max_length=SHORT)
    np.testing.assert_allclose(vectors[0], vectors[-1], atol=1e-5)
    again = quietly(embed, batch, english_model, english_tokenizer, max_length=SHORT)
    assert np.array_equal(vectors, again)


@MODEL
@given(sentences=st.lists(any_sentence, min_size=1, max_size=3))
def test_embed_refuses_blank_sentences_and_nothing_else(sentences, english_tokenizer, english_model):
    from helpers.sentence_vectors import embed

    if all(s.strip() for s in sentences):
        assert quietly(embed, sentences, english_model, english_tokenizer, max_length=SHORT).shape[0] == len(sentences)
    else:
        with pytest.raises(InputError):
            quietly(embed, sentences, english_model, english_tokenizer, max_length=SHORT)


def test_embed_cuts_very_long_text_at_the_position_limit(english_tokenizer, english_model):
    """10,000-character strings at the default max_length: no index error past position 512."""
    from helpers.sentence_vectors import embed

    assert all(len(english_tokenizer(text)["input_ids"]) > english_model.config.max_position_embeddings
               for text in LONG)
    vectors = quietly(embed, LONG, english_model, english_tokenizer)
    assert vectors.shape == (len(LONG), english_model.config.hidden_size) and np.isfinite(vectors).all()


# --- token vectors -----------------------------------------------------------------------------

@MODEL
@given(sentences=sentence_lists)
def test_token_vectors_of_any_text_pair_each_piece_with_one_vector(sentences, english_tokenizer, english_model):
    from helpers.embeddings import token_vectors

    result = quietly(token_vectors, sentences, english_model, english_tokenizer, max_length=SHORT)
    assert [r.sentence for r in result] == sentences
    for r in result:
        assert r.vectors.shape == (len(r.pieces), english_model.config.hidden_size)
        assert 2 <= len(r.pieces) <= SHORT
        assert r.pieces[0] == "[CLS]" and r.pieces[-1] == "[SEP]"


# --- tokenizer helpers (step 02) ---------------------------------------------------------------

@FAST
@given(sentence=real_sentence)
def test_pieces_table_of_any_text_lists_every_token_once(sentence, english_tokenizer):
    from helpers.tokenizer import pieces_table

    table = pieces_table(english_tokenizer, sentence)
    assert list(table["id"]) == english_tokenizer(sentence)["input_ids"]
    assert table["piece"].iloc[0] == "[CLS]" and table["piece"].iloc[-1] == "[SEP]"


@FAST
@given(sentences=sentence_lists)
def test_unk_rate_of_any_text_is_a_share(sentences, kcbert_tokenizer):
    from helpers.tokenizer import unk_rate

    assert 0.0 <= unk_rate(kcbert_tokenizer, sentences) <= 1.0
