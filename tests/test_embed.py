"""Sentence vectors for many sentences (helpers/sentence_vectors.py and the machinery behind it,
helpers/fastpath.py): the same vectors as one sentence at a time, in input order, whatever the
speed options - tested on the contract a learner sees, not on the machinery's insides."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

from helpers import InputError, MismatchError
from helpers.errors import TruncationWarning
from helpers.fast_embedding import mixed_length_corpus
from helpers.fastpath import Engine, Unpadded, int8_copy, kernel_choice, packed_copy, unpadded
from helpers.sentence_vectors import (embed, embed_poolings, embed_stream, padding_share, plan_batches, pool,
                                      tokenize_all)
from helpers.embeddings import token_vectors
from helpers.errors import SmallerBatchWarning

SENTENCES = [
    "A cat sat on the mat.",
    "The quarterly report shows that revenue grew in every region, while costs stayed flat "
    "and the new product line sold better than anyone had expected at the start of the year.",
    "Hi!",
    "Deep learning models turn text into vectors.",
    "안녕하세요, 반갑습니다.",
    "Short one.",
    "Another fairly long sentence about the weather, which was rainy in the morning and sunny later.",
]


def one_at_a_time(sentences, model, tokenizer, pooling, max_length=None):
    """The plain reference: every sentence alone, no padding at all."""
    limit = max_length or model.config.max_position_embeddings
    rows = []
    with torch.inference_mode():
        for sentence in sentences:
            features = tokenizer([sentence], truncation=True, max_length=limit, return_tensors="pt")
            outputs = model(**features)
            if pooling == "mean":
                rows.append(outputs.last_hidden_state[0].mean(dim=0))
            elif pooling == "cls":
                rows.append(outputs.last_hidden_state[0, 0])
            else:
                rows.append(outputs.pooler_output[0])
    return torch.stack(rows).numpy()


def cosines(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return (x * y).sum(1) / (np.linalg.norm(x, axis=1) * np.linalg.norm(y, axis=1))


# --- the same vectors as the one-by-one reference ---------------------------------------------

@pytest.mark.parametrize("pooling", ["mean", "cls", "pooler"])
def test_embed_matches_one_sentence_at_a_time(pooling, english_model, english_tokenizer):
    vectors = embed(SENTENCES, english_model, english_tokenizer, pooling=pooling, batch_size=3)
    reference = one_at_a_time(SENTENCES, english_model, english_tokenizer, pooling)
    assert vectors.dtype == np.float32
    assert vectors.shape == (len(SENTENCES), english_model.config.hidden_size)
    assert cosines(vectors, reference).min() >= 0.99999
    np.testing.assert_allclose(vectors, reference, atol=1e-4)


@pytest.mark.parametrize("pooling", ["mean", "cls"])
def test_embed_with_eager_attention_matches_one_sentence_at_a_time(pooling, eager_model, english_tokenizer):
    # eager attention takes transformers' additive mask; sdpa takes the mask embed makes itself
    vectors = embed(SENTENCES, eager_model, english_tokenizer, pooling=pooling, batch_size=3)
    reference = one_at_a_time(SENTENCES, eager_model, english_tokenizer, pooling)
    assert cosines(vectors, reference).min() >= 0.99999


def test_batches_without_padding_give_the_same_vectors(english_model, english_tokenizer):
    sentences = ["one two three", "four five six", "red green blue", "a b"]
    lengths = [len(ids) for ids in english_tokenizer(sentences)["input_ids"]]
    assert lengths[:3] == [lengths[0]] * 3 and lengths[3] < lengths[0]  # one batch unpadded, one not
    vectors = embed(sentences, english_model, english_tokenizer, batch_size=3)
    reference = one_at_a_time(sentences, english_model, english_tokenizer, "mean")
    assert cosines(vectors, reference).min() >= 0.99999




@pytest.mark.parametrize("workers", [1, 2, 3])
def test_batches_side_by_side_give_the_same_vectors_in_input_order(workers, english_model, english_tokenizer):
    threads = torch.get_num_threads()
    vectors = embed(SENTENCES, english_model, english_tokenizer, batch_size=2, workers=workers)
    reference = one_at_a_time(SENTENCES, english_model, english_tokenizer, "mean")
    assert cosines(vectors, reference).min() >= 0.99999
    assert torch.get_num_threads() == threads  # the workers' thread settings stay theirs


def test_an_error_in_a_worker_reaches_the_caller(english_model, english_tokenizer):
    class _Broken(torch.nn.Module):
        def __init__(self, model):
            super().__init__()
            self.inner, self.config = model, model.config
            self.eval()

        def forward(self, **batch):
            if batch["input_ids"].shape[1] < 6:  # the batch of the shortest sentences
                raise RuntimeError("broken on purpose")
            return self.inner(**batch)

    with pytest.raises(RuntimeError, match="broken on purpose"):
        embed(SENTENCES, _Broken(english_model), english_tokenizer, batch_size=2, device="cpu", workers=2)




def test_normalize_gives_unit_vectors_in_the_same_direction(english_model, english_tokenizer):
    raw = embed(SENTENCES, english_model, english_tokenizer)
    unit = embed(SENTENCES, english_model, english_tokenizer, normalize=True)
    np.testing.assert_allclose(np.linalg.norm(unit, axis=1), 1.0, atol=1e-5)
    assert cosines(raw, unit).min() >= 0.99999


def test_input_order_is_kept_although_batches_are_sorted_by_length(english_model, english_tokenizer):
    order = np.random.default_rng(0).permutation(len(SENTENCES))
    shuffled = [SENTENCES[i] for i in order]
    vectors = embed(SENTENCES, english_model, english_tokenizer, batch_size=2)
    again = embed(shuffled, english_model, english_tokenizer, batch_size=2)
    np.testing.assert_allclose(again, vectors[order], atol=1e-5)
    reference = one_at_a_time(shuffled, english_model, english_tokenizer, "mean")
    assert cosines(again, reference).min() >= 0.99999


def test_one_sentence_gives_one_row(english_model, english_tokenizer):
    vectors = embed(["Only one sentence."], english_model, english_tokenizer)
    reference = one_at_a_time(["Only one sentence."], english_model, english_tokenizer, "mean")
    assert vectors.shape == (1, english_model.config.hidden_size)
    assert cosines(vectors, reference)[0] >= 0.99999


def test_duplicates_get_the_same_vector_in_every_position(english_model, english_tokenizer):
    sentences = ["Same words here.", "Something much longer than the duplicated sentence, for padding.",
                 "Same words here.", "x", "Same words here."]
    vectors = embed(sentences, english_model, english_tokenizer, batch_size=2)
    np.testing.assert_allclose(vectors[0], vectors[2], atol=1e-5)
    np.testing.assert_allclose(vectors[0], vectors[4], atol=1e-5)
    assert not np.allclose(vectors[0], vectors[1], atol=1e-3)


def test_token_budget_batches_give_the_same_vectors(english_model, english_tokenizer):
    plain = embed(SENTENCES, english_model, english_tokenizer)
    budget = embed(SENTENCES, english_model, english_tokenizer, max_tokens=40)
    assert cosines(plain, budget).min() >= 0.99999


# --- long sentences: cut, and said so ------------------------------------------------------------

def test_too_long_sentence_is_cut_with_a_warning_that_names_it(english_model, english_tokenizer):
    long_one = " ".join(["word"] * 80)
    sentences = ["short", long_one, "also short"]
    with pytest.warns(TruncationWarning, match=r"1개.*max_length=16.*sentences\[1\] "):
        vectors = embed(sentences, english_model, english_tokenizer, max_length=16)
    reference = one_at_a_time(sentences, english_model, english_tokenizer, "mean", max_length=16)
    assert cosines(vectors, reference).min() >= 0.99999


def test_sentences_within_the_limit_give_no_warning(english_model, english_tokenizer):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        embed(SENTENCES, english_model, english_tokenizer)


def test_tokenize_all_marks_exactly_the_sentences_longer_than_max_length(english_tokenizer):
    sentences = ["one two three", "one two three four five six seven eight", "one two"]
    full = [len(ids) for ids in english_tokenizer(sentences)["input_ids"]]
    limit = full[0]  # the first fits exactly, the second is longer, the third shorter
    tokens = tokenize_all(sentences, english_tokenizer, limit)
    assert tokens.cut == [1]
    assert tokens.lengths == [full[0], limit, full[2]]
    assert tokens.input_ids[1][-1] == english_tokenizer.sep_token_id


# --- bad input gets the shared Korean messages -------------------------------------------------

@pytest.mark.parametrize("bad", ["a bare string", [], [""], ["fine", None], ["fine", "   "], None])
def test_bad_sentences_are_refused(bad, english_model, english_tokenizer):
    with pytest.raises(InputError):
        embed(bad, english_model, english_tokenizer)


@pytest.mark.parametrize("options", [{"pooling": "max"}, {"max_length": 10_000}, {"max_length": 2},
                                     {"batch_size": 0}, {"batch_size": 2.5}, {"max_tokens": 0},
                                     {"approximate": "int4"}, {"precision": "fp16"}, {"precision": "bf8"},
                                     {"device": "tpu-please"}, {"prepack": "yes"},
                                     {"workers": 0}, {"workers": 1.5}, {"workers": True}])
def test_bad_options_are_refused_with_a_clear_error(options, english_model, english_tokenizer):
    if options.get("precision") == "fp16" and torch.cuda.is_available():
        pytest.skip("fp16 is allowed where a GPU runs the model")
    with pytest.raises(InputError):
        embed(["a sentence"], english_model, english_tokenizer, **options)


def test_gpu_requested_without_gpu_is_refused(english_model, english_tokenizer):
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    with pytest.raises(InputError, match="GPU"):
        embed(["a sentence"], english_model, english_tokenizer, device="cuda")


def test_tokenizer_of_another_model_is_refused(kcbert_tokenizer, english_model):
    with pytest.raises(MismatchError):
        embed(["a sentence"], english_model, kcbert_tokenizer)


# --- streaming ----------------------------------------------------------------------------------

@pytest.mark.parametrize("pooling", ["mean", "cls"])
def test_stream_gives_the_same_vectors_as_embed(pooling, english_model, english_tokenizer):
    expected = embed(SENTENCES, english_model, english_tokenizer, pooling=pooling, normalize=True)
    chunks = list(embed_stream((s for s in SENTENCES), english_model, english_tokenizer, chunk_size=3,
                               pooling=pooling, normalize=True, progress=False))
    assert [len(c) for c in chunks] == [3, 3, 1]
    assert cosines(np.concatenate(chunks), expected).min() >= 0.99999


def test_stream_warns_with_the_position_in_the_whole_stream(english_model, english_tokenizer):
    sentences = ["short"] * 5 + [" ".join(["word"] * 40)]
    with pytest.warns(TruncationWarning, match=r"sentences\[5\] "):
        list(embed_stream(sentences, english_model, english_tokenizer, chunk_size=4, max_length=16,
                          progress=False))


def test_stream_checks_options_before_reading_anything(english_model, english_tokenizer):
    with pytest.raises(InputError):
        embed_stream(iter(["a"]), english_model, english_tokenizer, chunk_size=0)
    with pytest.raises(InputError):
        embed_stream("not a list", english_model, english_tokenizer)


def test_stream_refuses_a_blank_sentence_in_a_later_chunk(english_model, english_tokenizer):
    stream = embed_stream(["a", "b", "c", ""], english_model, english_tokenizer, chunk_size=2, progress=False)
    assert next(stream).shape[0] == 2
    with pytest.raises(InputError, match="2번째 문장부터"):
        next(stream)


# --- planning batches -----------------------------------------------------------------------------

def test_plan_batches_covers_every_sentence_once_longest_first():
    lengths = [5, 40, 7, 7, 120, 3, 64, 9]
    batches = plan_batches(lengths, batch_size=3)
    flat = [i for b in batches for i in b]
    assert sorted(flat) == list(range(len(lengths)))
    assert [lengths[i] for i in flat] == sorted(lengths, reverse=True)
    assert all(len(b) <= 3 for b in batches)


def test_plan_batches_refuses_a_length_below_one_naming_the_position():
    with pytest.raises(InputError, match=r"plan_batches\(\)의 lengths.*위치 \[2\]"):
        plan_batches([5, 3, 0], batch_size=2)


def test_token_budget_caps_rows_times_width():
    lengths = [5, 40, 7, 7, 120, 3, 64, 9, 30, 31]
    batches = plan_batches(lengths, batch_size=32, max_tokens=100)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    for b in batches:
        width = max(lengths[i] for i in b)
        assert len(b) == 1 or len(b) * width <= 100




def test_padding_share_counts_padded_positions():
    lengths = [2, 4, 4, 8]
    assert padding_share(lengths, pad_to=8) == pytest.approx(1 - 18 / 32)
    assert padding_share(lengths, [[3], [1, 2], [0]]) == pytest.approx(0.0)
    assert padding_share(lengths, [[3, 0], [1, 2]]) == pytest.approx(1 - 18 / (16 + 8))


# --- the exact CPU fast path: oneDNN kernels on packed weights --------------------------------------

@pytest.fixture()
def own_model(english_model):
    """A private copy of the embedded model that a test may change."""
    import copy

    return copy.deepcopy(english_model)


def test_packed_copy_gives_the_same_token_vectors_and_leaves_the_model_alone(own_model, english_tokenizer):
    linears_before = [name for name, m in own_model.named_modules() if type(m) is torch.nn.Linear]
    packed = packed_copy(own_model)
    assert packed is not None and packed is not own_model
    assert [name for name, m in own_model.named_modules() if type(m) is torch.nn.Linear] == linears_before
    assert packed.embeddings.word_embeddings.weight is own_model.embeddings.word_embeddings.weight  # shared
    expected = token_vectors(SENTENCES, own_model, english_tokenizer)
    got = token_vectors(SENTENCES, packed, english_tokenizer)
    for mine, theirs in zip(got, expected, strict=True):
        assert mine.pieces == theirs.pieces
        np.testing.assert_allclose(mine.vectors, theirs.vectors, rtol=1e-4, atol=1e-4)
    assert packed_copy(own_model) is packed  # cached while the weights stay the same


def test_prepack_auto_and_both_kernels_give_the_same_vectors(english_model, english_tokenizer):
    chosen = embed(SENTENCES, english_model, english_tokenizer, normalize=True)  # prepack="auto"
    for prepack in (True, False):
        forced = embed(SENTENCES, english_model, english_tokenizer, normalize=True, prepack=prepack)
        assert cosines(chosen, forced).min() >= 0.99999
        np.testing.assert_allclose(chosen, forced, atol=1e-5)


def test_kernel_choice_is_measured_once_per_thread_count_and_again_after_the_weights_change(own_model):
    first = kernel_choice(own_model, threads=1)
    assert first.threads == 1 and first.workers >= 1 and first.packed_ms > 0 and first.plain_ms > 0
    assert first.packed == (first.packed_ms <= first.plain_ms)  # the faster one, by its own figures
    assert kernel_choice(own_model, threads=1) is first  # remembered
    assert kernel_choice(own_model, threads=2).threads == 2  # another thread count: measured for it
    assert kernel_choice(own_model, threads=1, workers=1).workers == 1
    with torch.no_grad():
        own_model.encoder.layer[0].output.dense.weight.mul_(1.0)  # in place: the weights' version changes
    assert kernel_choice(own_model, threads=1) is not first


def test_kernel_choice_leaves_torchs_thread_setting_alone(own_model):
    before = torch.get_num_threads()
    kernel_choice(own_model, threads=1)
    assert torch.get_num_threads() == before


def test_kernel_choice_has_nothing_to_choose_for_a_model_that_cannot_be_packed(own_model):
    assert kernel_choice(own_model.to(torch.bfloat16)) is None


@pytest.mark.parametrize("prepack, approximate", [(True, None), (False, "int8")])
def test_cached_copies_follow_weights_changed_in_place(prepack, approximate, own_model, english_tokenizer):
    # A fine-tuning step changes weights in place; a copy made before must not be reused.
    before = embed(SENTENCES, own_model, english_tokenizer, prepack=prepack, approximate=approximate)
    with torch.no_grad():
        own_model.encoder.layer[0].intermediate.dense.weight.mul_(-1.0)
    after = embed(SENTENCES, own_model, english_tokenizer, prepack=prepack, approximate=approximate)
    assert cosines(after, before).min() < 0.99
    if approximate is None:
        plain = embed(SENTENCES, own_model, english_tokenizer, prepack=False)
        assert cosines(after, plain).min() >= 0.99999


@pytest.mark.parametrize("padded", [True, False])
@pytest.mark.parametrize("kernel", ["model", "packed_copy"])
def test_unpadded_runner_gives_the_models_vectors_at_every_real_token(kernel, padded, own_model, english_tokenizer):
    texts = SENTENCES if padded else ["A cat sat on the mat."] * 3  # a batch without padding takes no detour
    features = english_tokenizer(texts, padding=True, return_tensors="pt")
    runs = own_model if kernel == "model" else packed_copy(own_model)
    runner = unpadded(own_model, runs)
    assert isinstance(runner, Unpadded)
    with torch.inference_mode():
        expected, got = own_model(**features), runner(**features)
    real = features["attention_mask"].bool()
    assert got.last_hidden_state.shape == expected.last_hidden_state.shape
    torch.testing.assert_close(got.last_hidden_state[real], expected.last_hidden_state[real], rtol=1e-4, atol=1e-4)
    assert not got.last_hidden_state[~real].any()  # padding is never computed: zeros there
    torch.testing.assert_close(got.pooler_output, expected.pooler_output, rtol=1e-4, atol=1e-4)


def test_unpadded_runner_checks_its_inputs_like_a_helper(english_model, english_tokenizer, embedded_model):
    with pytest.raises(MismatchError, match=r"^unpadded\(\)"):  # another model's tokenizer, named by what was called
        unpadded(embedded_model)(**english_tokenizer(["A cat sat."], return_tensors="pt"))
    runner = unpadded(english_model)
    features = english_tokenizer(["A cat sat.", "A longer sentence about cats."], padding=True, return_tensors="pt")
    with pytest.raises(InputError, match=r"\*\*"):  # the tokenizer's dict without **
        runner(features)
    with pytest.raises(InputError, match="return_tensors='pt'"):  # lists
        runner(**english_tokenizer(["A cat sat."], padding=True))
    with pytest.raises(InputError, match="셰이프가 서로 다릅니다"):  # the project's check_model_inputs says it
        runner(input_ids=features["input_ids"], attention_mask=features["attention_mask"][:, :3])
    with torch.inference_mode():  # no mask: every token real, as the model takes it
        alone = english_tokenizer(["A cat sat."], return_tensors="pt")["input_ids"]
        torch.testing.assert_close(runner(input_ids=alone).last_hidden_state,
                                   english_model(input_ids=alone).last_hidden_state, rtol=1e-4, atol=1e-4)


def test_embed_runs_the_cpu_batches_without_padding_in_the_dense_layers(english_model):
    assert isinstance(Engine(english_model, device="cpu").module, Unpadded)
    assert not isinstance(Engine(english_model, device="cpu", prepack=False).module, Unpadded)  # the model as it is
    assert not isinstance(Engine(english_model, device="cpu", approximate="int8").module, Unpadded)


def test_unpadded_declines_a_model_it_cannot_run_the_same(own_model):
    own_model.train()  # dropout: not the eval-mode arithmetic
    assert unpadded(own_model) is None
    own_model.eval()
    own_model.config.is_decoder = True  # causal attention: not plain self-attention
    assert unpadded(own_model) is None
    own_model.config.is_decoder = False
    assert unpadded(own_model) is not None


def test_packed_copy_is_made_once_the_model_is_back_in_eval_mode(own_model):
    own_model.train()  # dropout: the probe cannot agree, so no copy
    assert packed_copy(own_model) is None
    own_model.eval()
    assert packed_copy(own_model) is not None


def test_packed_copy_declines_a_model_not_in_fp32(own_model):
    assert packed_copy(own_model.to(torch.bfloat16)) is None


# --- the approximate int8 mode ----------------------------------------------------------------------

def test_int8_is_approximate_and_leaves_the_exact_model_alone(english_model, english_tokenizer):
    exact = embed(SENTENCES, english_model, english_tokenizer, normalize=True)
    approx = embed(SENTENCES, english_model, english_tokenizer, normalize=True, approximate="int8")
    assert int8_copy(english_model) is not english_model
    assert approx.shape == exact.shape
    assert 0.5 < cosines(approx, exact).min() < 0.99999  # close in direction, but not the same vectors
    np.testing.assert_array_equal(embed(SENTENCES, english_model, english_tokenizer, normalize=True), exact)


def test_bf16_is_approximate_but_close(english_model, english_tokenizer):
    exact = embed(SENTENCES, english_model, english_tokenizer, normalize=True)
    approx = embed(SENTENCES, english_model, english_tokenizer, normalize=True, approximate="bf16")
    assert 0.99 < cosines(approx, exact).min()
    assert not np.allclose(approx, exact, atol=1e-6)  # not the exact vectors: that is why it is opt-in


# --- the benchmark corpus ---------------------------------------------------------------------------

def test_mixed_length_corpus_is_reproducible_and_spread(english_tokenizer):
    corpus = mixed_length_corpus(english_tokenizer, 300, seed=1)
    assert corpus == mixed_length_corpus(english_tokenizer, 300, seed=1)
    assert corpus != mixed_length_corpus(english_tokenizer, 300, seed=2)
    lengths = tokenize_all(corpus, english_tokenizer, 512).lengths
    assert min(lengths) <= 10 and max(lengths) >= 80


# --- issue 6: counts in the truncation warning, InputError from pool, out-of-memory retries ------

def test_truncation_warning_says_how_many_tokens_each_cut_sentence_lost(english_model, english_tokenizer):
    long_one = "hello " * 600
    limit = english_model.config.max_position_embeddings
    lost = len(english_tokenizer(long_one, verbose=False)["input_ids"]) - limit
    assert lost > 0
    with pytest.warns(TruncationWarning, match=rf"sentences\[0\] {lost:,}개"):
        embed([long_one], english_model, english_tokenizer)


def test_truncation_counts_are_per_sentence_and_in_stream_positions(english_model, english_tokenizer):
    sentences = ["short", " ".join(["word"] * 30), "short too", " ".join(["word"] * 50)]
    full = [len(ids) for ids in english_tokenizer(sentences)["input_ids"]]
    with pytest.warns(TruncationWarning, match=rf"sentences\[1\] {full[1] - 16}개, sentences\[3\] {full[3] - 16}개"):
        embed(sentences, english_model, english_tokenizer, max_length=16)
    with pytest.warns(TruncationWarning) as record:  # one warning per chunk, positions in the whole stream
        list(embed_stream(sentences, english_model, english_tokenizer, chunk_size=2, max_length=16,
                          progress=False))
    messages = [str(w.message) for w in record]
    assert len(messages) == 2
    assert f"sentences[1] {full[1] - 16}개" in messages[0] and f"sentences[3] {full[3] - 16}개" in messages[1]


def test_tokenize_all_cuts_exactly_like_the_tokenizer_and_counts_what_it_dropped(english_tokenizer):
    sentences = ["hello " * 40, "a b", "the end [SEP] " * 10]
    for limit in (3, 8, 30):
        tokens = tokenize_all(sentences, english_tokenizer, limit)
        assert tokens.input_ids == english_tokenizer(sentences, truncation=True, max_length=limit)["input_ids"]
        full = [len(ids) for ids in english_tokenizer(sentences)["input_ids"]]
        assert tokens.dropped == [full[i] - limit for i in tokens.cut]


KOREAN = ["오늘 날씨가 정말 좋네요!", "이 영화는 배우들의 연기가 훌륭했고 음악도 인상적이었다.", "ㅋㅋㅋ 대박",
          "서울특별시 강남구 테헤란로 123, 2층 [SEP] 끝", "BERT 로 문장을 벡터로 바꿔 봅시다."]


def _tokenizers_own_ids(tokenizer, sentences, limit):
    return tokenizer(sentences, truncation=True, max_length=limit, return_attention_mask=False)["input_ids"]


@pytest.mark.parametrize("limit", [8, 64, 512])
def test_tokenize_all_gives_the_tokenizers_own_ids_on_a_corpus(english_tokenizer, limit):
    sentences = mixed_length_corpus(english_tokenizer, 300, seed=3) + KOREAN + SENTENCES
    tokens = tokenize_all(sentences, english_tokenizer, limit)
    expected = _tokenizers_own_ids(english_tokenizer, sentences, limit)
    assert tokens.input_ids == expected
    full = [len(ids) for ids in english_tokenizer(sentences)["input_ids"]]
    assert tokens.cut == [i for i, n in enumerate(full) if n > limit]
    assert tokens.dropped == [full[i] - limit for i in tokens.cut]


@pytest.mark.parametrize("limit", [6, 300])
def test_tokenize_all_gives_kcberts_own_ids_for_korean(kcbert_tokenizer, limit):
    sentences = KOREAN + SENTENCES
    assert tokenize_all(sentences, kcbert_tokenizer, limit).input_ids == \
        _tokenizers_own_ids(kcbert_tokenizer, sentences, limit)


def test_tokenize_all_leaves_the_tokenizers_own_settings_as_they_were(english_tokenizer):
    backend = english_tokenizer.backend_tokenizer
    backend.enable_truncation(max_length=7)
    backend.enable_padding(length=9, pad_id=english_tokenizer.pad_token_id)
    before = (backend.truncation, backend.padding)
    try:
        tokens = tokenize_all(["one two three four five six seven eight nine ten", "a"], english_tokenizer, 64)
        assert tokens.lengths == [12, 3]  # neither the backend's 7-token cut nor its 9-token padding
        assert (backend.truncation, backend.padding) == before
    finally:
        backend.no_truncation()
        backend.no_padding()


def test_tokenize_all_with_a_python_tokenizer_gives_the_same_ids(english_tokenizer):
    from transformers import BertTokenizerLegacy

    from helpers import english_model_path

    slow = BertTokenizerLegacy.from_pretrained(str(english_model_path()), local_files_only=True)
    assert not slow.is_fast
    sentences = SENTENCES + ["hello " * 40]
    assert tokenize_all(sentences, slow, 16).input_ids == tokenize_all(sentences, english_tokenizer, 16).input_ids


def test_pool_refuses_an_unknown_pooling_with_input_error(english_model, english_tokenizer):
    features = english_tokenizer(["a"], return_tensors="pt")
    with torch.inference_mode():
        outputs = english_model(**features)
    with pytest.raises(InputError, match="pooling='max'") as err:
        pool(outputs, features["attention_mask"], "max")
    assert isinstance(err.value, ValueError)  # old `except ValueError` still catches it
    outputs.pooler_output = None
    with pytest.raises(InputError, match="pooler 층이 없습니다"):
        pool(outputs, features["attention_mask"], "pooler")


def test_padding_share_without_batches_or_pad_to_is_input_error():
    with pytest.raises(InputError, match="batches 도 pad_to 도"):
        padding_share([3, 4])


class _OutOfMemoryAbove(torch.nn.Module):
    """The real model, except that a batch of more than `rows` sentences raises torch's
    out-of-memory error (as a too-big batch does on a GPU)."""

    def __init__(self, model, rows: int):
        super().__init__()
        self.inner, self.config, self.rows, self.refused = model, model.config, rows, 0
        self.eval()

    def forward(self, **batch):
        if batch["input_ids"].shape[0] > self.rows:
            self.refused += 1
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return self.inner(**batch)


def test_embed_halves_a_batch_that_runs_out_of_memory_and_gives_the_same_vectors(english_model,
                                                                                 english_tokenizer):
    expected = embed(SENTENCES, english_model, english_tokenizer, batch_size=4)
    tight = _OutOfMemoryAbove(english_model, rows=2)
    with pytest.warns(SmallerBatchWarning, match="batch_size=4 .*batch_size=2"):
        vectors = embed(SENTENCES, tight, english_tokenizer, batch_size=4, device="cpu", workers=1)
    np.testing.assert_allclose(vectors, expected, atol=1e-5)
    assert tight.refused == 1  # the later batch starts at the smaller size


def test_out_of_memory_with_batches_side_by_side_still_gives_the_same_vectors(english_model, english_tokenizer):
    expected = embed(SENTENCES, english_model, english_tokenizer, batch_size=4, workers=1)
    tight = _OutOfMemoryAbove(english_model, rows=2)
    with pytest.warns(SmallerBatchWarning):
        vectors = embed(SENTENCES, tight, english_tokenizer, batch_size=4, device="cpu", workers=2)
    np.testing.assert_allclose(vectors, expected, atol=1e-5)
    assert 1 <= tight.refused <= 2  # the second batch may start before the first one is split


def test_embed_out_of_memory_at_batch_size_one_is_explained(english_model, english_tokenizer):
    from helpers.errors import OutOfMemoryError

    with pytest.warns(SmallerBatchWarning), pytest.raises(OutOfMemoryError, match="batch_size=1"):
        embed(["a", "b"], _OutOfMemoryAbove(english_model, rows=0), english_tokenizer, batch_size=2,
              device="cpu")


def test_the_korean_corpus_uses_only_the_projects_own_words(kcbert_tokenizer):
    """Never words drawn from a vocabulary learned from web comments (profanity, slurs)."""
    from helpers.finetuning import DATA_DIR

    own = " ".join(p.read_text(encoding="utf-8") for p in DATA_DIR.glob("*.t[sx][vt]"))
    corpus = mixed_length_corpus(kcbert_tokenizer, 200, seed=0, korean=True)
    words = {w.rstrip(".") for sentence in corpus for w in sentence.split()}
    assert corpus == mixed_length_corpus(kcbert_tokenizer, 200, seed=0, korean=True)
    assert len(words) > 100 and all(w in own for w in words)


@pytest.mark.slow
def test_packed_kernel_gives_the_same_bits_across_processes_thread_counts_and_workers(tmp_path):
    """With the packed oneDNN kernel (prepack=True) the same sentences give the very same bits in a
    fresh process, whatever the thread count and the number of batches side by side. torch's own
    Linear (prepack=False) splits its sums by thread count, and the default prepack='auto' measures
    which kernel is faster in each process: the same vectors then to float32 rounding, not the
    same bits."""
    import os
    import subprocess
    import sys

    code = """
import sys, numpy as np, torch, warnings
torch.set_num_threads(int(sys.argv[1]))
warnings.simplefilter("ignore")
from helpers import load_model, load_tokenizer
from helpers.sentence_vectors import embed
prepack = {"True": True, "False": False}.get(sys.argv[3], sys.argv[3])
sentences = ["오늘 날씨가 정말 좋네요", "배는 바다 위에 떠 있다", "짧다", "BERT 는 문장을 벡터로 바꿉니다. " * 6]
vectors = embed(sentences * 3, load_model("embedded"), load_tokenizer("embedded"), batch_size=2,
                workers=int(sys.argv[2]), prepack=prepack)
np.save(sys.argv[4], vectors)
"""
    results = {}
    runs = [(threads, workers, prepack) for prepack in ("True", "False") for threads, workers in [(1, 1), (2, 1), (2, 2)]]
    for threads, workers, prepack in runs + [(2, 2, "auto")]:
        out = tmp_path / f"{threads}-{workers}-{prepack}.npy"
        subprocess.run([sys.executable, "-c", code, str(threads), str(workers), prepack, str(out)], check=True,
                       env={**os.environ, "HF_HUB_OFFLINE": "1"}, timeout=300)
        results[(threads, workers, prepack)] = np.load(out)
    first = results[(1, 1, "True")]
    for key, vectors in results.items():
        if key[2] == "True":
            assert np.array_equal(vectors, first), f"threads/workers {key} differ: {np.abs(vectors - first).max()}"
        else:
            np.testing.assert_allclose(vectors, first, atol=1e-6, err_msg=str(key))


@pytest.mark.parametrize("keyword, value, fix", [
    ("pad_to_max_length", True, "인자를 빼세요"),
    ("normalize_embeddings", True, "normalize=True"),
    ("poolling", "mean", "help(embed)"),
])
def test_embed_refuses_keywords_it_does_not_have_saying_what_to_write(keyword, value, fix, english_model,
                                                                      english_tokenizer):
    with pytest.raises(InputError, match=f"embed 에 없는 인자를 받았습니다: {keyword}=") as caught:
        embed(["안녕하세요"], english_model, english_tokenizer, **{keyword: value})
    assert fix in caught.value.fix
    with pytest.raises(InputError, match=f"embed_stream 에 없는 인자를 받았습니다: {keyword}="):
        list(embed_stream(["안녕하세요"], english_model, english_tokenizer, progress=False, **{keyword: value}))


@pytest.mark.parametrize("normalize", [False, True])
def test_embed_poolings_is_embed_once_per_pooling(embedded_tokenizer, embedded_model, normalize):
    sentences = ["하이!", "오늘은 날씨가 정말 좋네요", "query: 배가 고프다", "짧다"]  # mixed lengths: padding in a batch
    joined = embed_poolings(sentences, embedded_model, embedded_tokenizer, normalize=normalize, batch_size=3)
    assert list(joined) == ["mean", "cls", "pooler"]
    for pooling, vectors in joined.items():
        alone = embed(sentences, embedded_model, embedded_tokenizer, pooling=pooling, normalize=normalize, batch_size=3)
        assert vectors.shape == alone.shape
        assert np.allclose(vectors, alone, atol=1e-6), pooling
    assert not np.allclose(joined["mean"], joined["cls"], atol=1e-3)
    if normalize:
        assert np.allclose(np.linalg.norm(joined["pooler"], axis=1), 1.0, atol=1e-5)
    one = embed_poolings(sentences, embedded_model, embedded_tokenizer, ["cls"], normalize=normalize, batch_size=3)
    assert list(one) == ["cls"] and np.allclose(one["cls"], joined["cls"], atol=1e-6)


@pytest.mark.parametrize("poolings, options", [([], {}), (["mean", "max"], {}), (["mean", "cls"], {"padding": True})])
def test_embed_poolings_refuses_bad_poolings_and_options(embedded_tokenizer, embedded_model, poolings, options):
    with pytest.raises(InputError):
        embed_poolings(["하이!"], embedded_model, embedded_tokenizer, poolings, **options)

