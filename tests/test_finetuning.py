"""Fine-tuning in miniature (helpers/finetuning.py, notebook 00): data, label alignment, heads, training."""

from __future__ import annotations

import pytest
import torch
from torch import nn
from transformers import BertForSequenceClassification, BertForTokenClassification

from helpers import ENGLISH, InputError, ModelNotAvailableError, resolve_model
from helpers import finetuning as ft
from helpers.errors import TruncationWarning


@pytest.fixture(scope="module")
def choice():
    return resolve_model(ENGLISH)


@pytest.fixture(scope="module")
def classifier(choice):
    return ft.load_head_model(choice, BertForSequenceClassification, ft.SENTIMENT_LABELS)


@pytest.fixture(scope="module")
def tagger(choice):
    return ft.load_head_model(choice, BertForTokenClassification, ft.NER_LABELS)


def _first_piece_positions(word_ids):
    return [i for i, w in enumerate(word_ids) if w is not None and (i == 0 or word_ids[i - 1] != w)]


# --- bundled data -----------------------------------------------------------------------------

@pytest.mark.parametrize("split", ["train", "test"])
def test_sentiment_files_parse_with_every_class_present(split):
    sentences, labels = ft.load_sentiment(split)
    assert len(sentences) == len(labels) > 0
    assert set(labels) == set(ft.SENTIMENT_LABELS)
    assert all(s.strip() == s and s for s in sentences)


def test_sentiment_splits_are_disjoint_and_have_no_repeats():
    train, _ = ft.load_sentiment("train")
    test, _ = ft.load_sentiment("test")
    assert len(set(train)) == len(train) and len(set(test)) == len(test)
    assert not set(train) & set(test)


@pytest.mark.parametrize("split", ["train", "test"])
def test_ner_files_parse_into_valid_bio_sequences(split):
    sentences = ft.load_ner(split)
    assert sentences
    for s in sentences:
        assert len(s.words) == len(s.tags) > 0
        for previous, tag in zip(("O",) + s.tags, s.tags):
            if tag.startswith("I-"):  # an inside tag continues an entity of the same type
                assert previous[2:] == tag[2:], (s.words, s.tags)
    types = {t[2:] for s in sentences for t in s.tags if t != "O"}
    assert types == {"PER", "LOC", "ORG"}


def test_ner_splits_are_disjoint():
    train = {" ".join(s.words) for s in ft.load_ner("train")}
    test = {" ".join(s.words) for s in ft.load_ner("test")}
    assert not train & test


def test_unknown_label_in_a_file_names_the_line_and_the_label_set():
    with pytest.raises(InputError, match="부정") as err:
        ft.parse_sentiment("긍정\t좋아요\n행복\t신나요\n")
    assert "'행복'" in str(err.value)
    with pytest.raises(InputError, match="B-PER"):
        ft.parse_tagged("김민수\tB-PERSON\n")


def test_malformed_lines_are_refused_with_their_number():
    with pytest.raises(InputError, match="2번째 줄"):
        ft.parse_sentiment("긍정\t좋아요\n탭이 없는 줄\n")
    with pytest.raises(InputError, match="1번째 줄"):
        ft.parse_tagged("김민수 B-PER\n")


@pytest.mark.parametrize("text", ["", "# 주석만 있는 파일\n", "\n\n"])
def test_empty_data_is_refused_clearly(text):
    with pytest.raises(InputError, match="비어"):
        ft.parse_sentiment(text)
    with pytest.raises(InputError, match="비어"):
        ft.parse_tagged(text)


def test_unknown_split_is_refused():
    with pytest.raises(InputError, match="train"):
        ft.load_sentiment("validation")


def test_majority_baseline_counts_the_test_split():
    label, acc = ft.majority_baseline(["a", "a", "b"], ["a", "b", "b", "b"])
    assert (label, acc) == ("a", 0.25)
    with pytest.raises(InputError):
        ft.majority_baseline([], ["a"])


# --- label alignment ----------------------------------------------------------------------------

def test_align_labels_marks_first_pieces_and_ignores_the_rest():
    word_ids = [None, 0, 0, 0, 1, 2, 2, None, None]
    assert ft.align_labels(word_ids, [5, 1, 3]) == [-100, 5, -100, -100, 1, 3, -100, -100, -100]


def test_align_labels_refuses_learner_mistakes_naming_the_helper(english_tokenizer):
    enc = english_tokenizer(["서울", "에"], is_split_into_words=True)
    cases = [
        ((enc.word_ids, [1, 0]), "enc.word_ids\\(0\\)처럼 호출한 결과"),           # method, not called
        ((enc.word_ids(0), ["B-LOC", "O"]), "레이블 이름"),                        # names where ids go
        (([None, 0, 1, 2, None], [3, 0]), "word_label_ids는 2개뿐"),               # fewer labels than words
        ((enc["input_ids"], [1, 0]), "토큰 ID"),                                   # input_ids as word ids
    ]
    for args, match in cases:
        with pytest.raises(InputError, match=match) as info:
            ft.align_labels(*args)
        assert "align_labels()" in str(info.value)
    assert ft.align_labels(enc.word_ids(0), [3, 0])[0] == -100


def test_a_word_split_into_many_pieces_gets_one_label(english_tokenizer):
    words = ["김민수는", "서울에", "산다"]
    pieces = english_tokenizer.tokenize(words[0])
    assert len(pieces) > 3  # jamo pieces: the situation under test
    features = ft.encode_tagged(english_tokenizer, [ft.TaggedSentence(tuple(words), ("B-PER", "B-LOC", "O"))],
                                max_length=64)
    labels = features["labels"][0].tolist()
    real = [x for x in labels if x != ft.IGNORE_INDEX]
    assert real == [ft.NER_LABELS.index(t) for t in ("B-PER", "B-LOC", "O")]
    assert labels[1] == ft.NER_LABELS.index("B-PER")
    assert labels[2:1 + len(pieces)] == [ft.IGNORE_INDEX] * (len(pieces) - 1)
    assert labels[0] == ft.IGNORE_INDEX  # [CLS]


def test_an_unknown_word_keeps_its_label_on_unk(english_tokenizer):
    words = ("🙂", "서울")
    assert english_tokenizer.tokenize(words[0]) == [english_tokenizer.unk_token]
    features = ft.encode_tagged(english_tokenizer, [ft.TaggedSentence(words, ("B-ORG", "B-LOC"))], max_length=32)
    ids, labels = features["input_ids"][0].tolist(), features["labels"][0].tolist()
    assert ids[1] == english_tokenizer.unk_token_id
    assert labels[1] == ft.NER_LABELS.index("B-ORG")
    assert labels[2] == ft.NER_LABELS.index("B-LOC")


def test_truncation_cutting_a_word_keeps_only_labels_of_words_that_start_inside(english_tokenizer):
    sentence = ft.TaggedSentence(("부산", "하늘항공이", "강릉에"), ("B-LOC", "B-ORG", "B-LOC"))
    first = len(english_tokenizer.tokenize("부산"))
    max_length = 1 + first + 2 + 1  # [CLS], word 0, two pieces of word 1, [SEP]
    with pytest.warns(TruncationWarning, match=f"max_length={max_length}.*sentences\\[0\\]"):
        features = ft.encode_tagged(english_tokenizer, [sentence], max_length=max_length)
    labels = features["labels"][0].tolist()
    assert len(labels) == max_length
    assert [x for x in labels if x != ft.IGNORE_INDEX] == [ft.NER_LABELS.index("B-LOC"), ft.NER_LABELS.index("B-ORG")]
    assert ft.count_truncated(english_tokenizer, [sentence], max_length) == 1


def test_alignment_matches_word_ids_on_the_book_tokenizer(kcbert_tokenizer):
    sentences = ft.load_ner("test")
    features = ft.encode_tagged(kcbert_tokenizer, sentences, max_length=64)
    encoded = kcbert_tokenizer([list(s.words) for s in sentences], is_split_into_words=True,
                               padding=True, truncation=True, max_length=64)
    for i, s in enumerate(sentences):
        labels = features["labels"][i].tolist()
        firsts = _first_piece_positions(encoded.word_ids(i))
        assert [labels[p] for p in firsts] == [ft.NER_LABELS.index(t) for t in s.tags]
        assert sum(x != ft.IGNORE_INDEX for x in labels) == len(s.words)


def test_slow_tokenizer_is_refused_for_tagging(choice):
    from transformers import BertTokenizerLegacy

    slow = BertTokenizerLegacy.from_pretrained(choice.path, local_files_only=True)
    with pytest.raises(InputError, match="word_ids"):
        ft.encode_tagged(slow, ft.load_ner("test")[:1], max_length=16)


# --- heads --------------------------------------------------------------------------------------

def test_sequence_head_gives_batch_by_labels_and_matches_a_hand_written_linear(english_tokenizer, classifier):
    sentences, labels = ft.load_sentiment("test")
    features = ft.encode_sentences(english_tokenizer, sentences[:4], labels[:4], max_length=48)
    inputs = {k: v for k, v in features.items() if k != "labels"}
    with torch.no_grad():
        logits = classifier(**inputs).logits
        hidden = classifier.config.hidden_size
        head = nn.Linear(hidden, len(ft.SENTIMENT_LABELS))
        head.load_state_dict(classifier.classifier.state_dict())
        by_hand = head(classifier.bert(**inputs).pooler_output)
    assert logits.shape == (4, len(ft.SENTIMENT_LABELS))
    assert torch.allclose(by_hand, logits, atol=1e-5)
    assert classifier.config.id2label[0] == ft.SENTIMENT_LABELS[0]


def test_token_head_gives_batch_by_seq_by_labels_and_matches_a_hand_written_linear(english_tokenizer, tagger):
    features = ft.encode_tagged(english_tokenizer, ft.load_ner("test")[:3], max_length=40)
    inputs = {k: v for k, v in features.items() if k != "labels"}
    with torch.no_grad():
        logits = tagger(**inputs).logits
        head = nn.Linear(tagger.config.hidden_size, len(ft.NER_LABELS))
        head.load_state_dict(tagger.classifier.state_dict())
        by_hand = head(tagger.bert(**inputs).last_hidden_state)
    assert logits.shape == (*inputs["input_ids"].shape, len(ft.NER_LABELS))
    assert torch.allclose(by_hand, logits, atol=1e-5)


def test_head_model_refuses_an_empty_label_set_and_a_folder_without_weights(choice, tmp_path):
    with pytest.raises(InputError, match="load_head_model\\(\\)의 label_set: 빈 값"):
        ft.load_head_model(choice, BertForSequenceClassification, [])
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    folder_choice = resolve_model(str(tmp_path))
    with pytest.raises(ModelNotAvailableError, match="가중치"):
        ft.load_head_model(folder_choice, BertForSequenceClassification, ft.SENTIMENT_LABELS)


def test_same_seed_gives_the_same_new_head(choice, classifier):
    again = ft.load_head_model(choice, BertForSequenceClassification, ft.SENTIMENT_LABELS)
    assert torch.equal(again.classifier.weight, classifier.classifier.weight)


# --- training and evaluation --------------------------------------------------------------------

def test_one_training_step_lowers_the_loss_on_a_fixed_batch(choice, english_tokenizer):
    model = ft.load_head_model(choice, BertForSequenceClassification, ft.SENTIMENT_LABELS, seed=1)
    sentences, labels = ft.load_sentiment("train")
    batch = ft.encode_sentences(english_tokenizer, sentences[:8], labels[:8], max_length=48)
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-2)
    model.eval()  # dropout off: the two losses differ only by the update
    before = ft.train_step(model, batch, optimizer)
    with torch.no_grad():
        after = float(model(**batch).loss)
    assert after < before


def test_labels_out_of_range_are_refused_naming_the_label_set(english_tokenizer, classifier):
    batch = ft.encode_sentences(english_tokenizer, ["좋아요"], ["긍정"], max_length=16)
    batch["labels"] = torch.tensor([3])
    optimizer = torch.optim.SGD(classifier.parameters(), lr=0.0)
    with pytest.raises(InputError, match="중립") as err:
        ft.train_step(classifier, batch, optimizer)
    assert "[3]" in str(err.value)


def test_unknown_label_name_and_length_mismatch_are_refused(english_tokenizer):
    with pytest.raises(InputError, match="긍정"):
        ft.encode_sentences(english_tokenizer, ["좋아요"], ["positive"], max_length=16)
    with pytest.raises(InputError, match="레이블 1개"):
        ft.encode_sentences(english_tokenizer, ["좋아요", "싫어요"], ["긍정"], max_length=16)
    with pytest.raises(InputError, match="비어"):
        ft.encode_tagged(english_tokenizer, [], max_length=16)


def test_train_returns_a_loss_per_step_and_leaves_eval_mode(choice, english_tokenizer):
    model = ft.load_head_model(choice, BertForSequenceClassification, ft.SENTIMENT_LABELS)
    sentences, labels = ft.load_sentiment("train")
    features = ft.encode_sentences(english_tokenizer, sentences[:6], labels[:6], max_length=48)
    losses = ft.train(model, features, epochs=1, batch_size=4, lr=1e-5, device="cpu")
    assert len(losses) == 2 and all(loss > 0 for loss in losses)
    assert model.training is False


def test_training_precision_chooses_by_its_own_timings_and_leaves_the_model_alone(classifier):
    before = {name: value.clone() for name, value in classifier.state_dict().items()}
    measured = ft.training_precision(classifier, batch_size=4, tokens=8, device="cpu")
    assert measured.precision in ("fp32", "bf16") and measured.device == "cpu"
    assert measured.fp32_ms > 0 and measured.bf16_ms > 0
    assert (measured.precision == "bf16") == (measured.bf16_ms * 1.3 <= measured.fp32_ms)
    assert all(torch.equal(before[name], value) for name, value in classifier.state_dict().items())
    assert all(p.grad is None for p in classifier.parameters())


def test_training_precision_refuses_a_model_without_layer_sizes_and_a_bad_batch_size(classifier):
    with pytest.raises(InputError, match=r"(?s)training_precision\(\)의 model.*config"):
        ft.training_precision(nn.Linear(4, 2), batch_size=4)
    with pytest.raises(InputError, match="batch_size"):
        ft.training_precision(classifier, batch_size=0)


def test_train_in_bf16_computes_in_bf16_and_keeps_fp32_weights(choice, english_tokenizer):
    sentences, labels = ft.load_sentiment("train")
    features = ft.encode_sentences(english_tokenizer, sentences[:8], labels[:8], max_length=48)
    runs = {}
    for precision in ("fp32", "bf16"):
        model = ft.load_head_model(choice, BertForSequenceClassification, ft.SENTIMENT_LABELS, seed=1)
        runs[precision] = (ft.train(model, features, epochs=1, batch_size=4, lr=1e-4, device="cpu",
                                    precision=precision), model)
    (fp32_losses, fp32_model), (bf16_losses, bf16_model) = runs["fp32"], runs["bf16"]
    assert fp32_losses != bf16_losses  # the products were rounded to bf16 ...
    assert fp32_losses[0] == pytest.approx(bf16_losses[0], rel=0.02)  # ... and only rounded
    assert all(p.dtype == torch.float32 for p in bf16_model.parameters())
    with pytest.raises(InputError, match="precision"):
        ft.train(bf16_model, features, epochs=1, batch_size=4, lr=1e-4, precision="fp16")


@pytest.mark.parametrize("slip", ["BF16", "bfloat16", torch.bfloat16, " bf16"])
def test_a_near_spelling_of_bf16_is_answered_with_the_right_one(english_tokenizer, classifier, slip):
    features = ft.encode_sentences(english_tokenizer, ["good", "bad"], ["긍정", "부정"], max_length=8)
    with pytest.raises(InputError, match=r"(?s)train\(\)의 precision.*precision='bf16' 로 쓰세요"):
        ft.train(classifier, features, epochs=1, batch_size=2, lr=1e-4, precision=slip)


def test_the_whole_measurement_where_its_precision_goes_is_answered_with_the_field(english_tokenizer, classifier):
    features = ft.encode_sentences(english_tokenizer, ["good", "bad"], ["긍정", "부정"], max_length=8)
    measured = ft.training_precision(classifier, batch_size=2, tokens=4)
    with pytest.raises(InputError, match=r"(?s)PrecisionChoice 전체가 아니라.*precision=<그 변수>\.precision"):
        ft.train(classifier, features, epochs=1, batch_size=2, lr=1e-4, precision=measured)


def test_train_and_predict_refuse_a_model_without_a_head_and_features_without_labels(english_tokenizer,
                                                                                      english_model, classifier):
    features = ft.encode_sentences(english_tokenizer, ["good", "bad"], ["긍정", "부정"], max_length=8)
    for call in (lambda: ft.train(english_model, features, epochs=1, batch_size=2, lr=1e-4),
                 lambda: ft.predict(english_model, features)):
        with pytest.raises(InputError, match="load_head_model") as info:
            call()
        assert "분류층" in str(info.value) and "model" in str(info.value)
    unlabelled = dict(english_tokenizer(["good", "bad"], return_tensors="pt"))
    with pytest.raises(InputError, match=r"(?s)train\(\)의 features.*labels.*encode_sentences"):
        ft.train(classifier, unlabelled, epochs=1, batch_size=2, lr=1e-4)


def test_batches_cover_every_example_once_and_shuffle_by_seed():
    features = {"input_ids": torch.arange(10).unsqueeze(1), "labels": torch.arange(10)}
    seen = torch.cat([b["labels"] for b in ft.batches(features, 3, seed=0)])
    assert sorted(seen.tolist()) == list(range(10))
    assert seen.tolist() != list(range(10))
    assert torch.equal(seen, torch.cat([b["labels"] for b in ft.batches(features, 3, seed=0)]))


def test_accuracy_and_entity_f1_ignore_special_positions():
    ig = ft.IGNORE_INDEX
    gold = torch.tensor([[ig, 1, 2, 0, ig], [ig, 3, 0, ig, ig]])  # B-PER I-PER O / B-LOC O
    exact = torch.tensor([[0, 1, 2, 0, 5], [6, 3, 0, 1, 1]])  # wrong only where ignored
    assert ft.accuracy(exact, gold) == 1.0
    assert ft.entity_f1(exact, gold) == 1.0
    half = torch.tensor([[0, 1, 0, 0, 0], [0, 3, 0, 0, 0]])  # PER span cut short: wrong entity
    assert ft.entity_f1(half, gold) == pytest.approx(0.5)
    pred, gold_tags = ft.word_tags(exact, gold)
    assert gold_tags == [["B-PER", "I-PER", "O"], ["B-LOC", "O"]] and pred == gold_tags


def test_tokenization_stats_count_pieces_and_unknown_words(english_tokenizer):
    stats = ft.tokenization_stats(english_tokenizer, ["서울에 산다"], ["🙂", "서울에"])
    assert stats["[UNK] 가 된 어절 수"] == 1
    assert stats["어절당 토큰 수(평균)"] == (1 + len(english_tokenizer.tokenize("서울에"))) / 2
    assert stats["문장당 토큰 수(평균)"] == len(english_tokenizer("서울에 산다")["input_ids"])
    with pytest.raises(InputError):
        ft.tokenization_stats(english_tokenizer, [], ["서울"])


def test_book_tokenizer_needs_fewer_pieces_than_the_embedded_one_on_the_bundled_data(kcbert_tokenizer,
                                                                                      english_tokenizer):
    sentences, _ = ft.load_sentiment("train")
    words = [w for s in ft.load_ner("train") for w in s.words]
    book = ft.tokenization_stats(kcbert_tokenizer, sentences, words)
    embedded = ft.tokenization_stats(english_tokenizer, sentences, words)
    assert book["문장당 토큰 수(평균)"] < embedded["문장당 토큰 수(평균)"]
    assert book["[UNK] 가 된 어절 수"] < embedded["[UNK] 가 된 어절 수"]


def test_alignment_table_has_a_row_per_word_with_the_label_on_the_first_piece(english_tokenizer):
    sentence = ft.TaggedSentence(("김민수는", "🙂", "갔다"), ("B-PER", "B-ORG", "O"))
    table = ft.alignment_table(english_tokenizer, sentence, max_length=32)
    assert list(table["어절"]) == ["[CLS]", *sentence.words, "[SEP]"]
    for word, tag, labels in zip(table["어절"][1:-1], table["태그"][1:-1], table["토큰별 레이블"][1:-1]):
        ids = [int(x) for x in labels.split()]
        assert ids[0] == ft.NER_LABELS.index(tag)
        assert ids[1:] == [ft.IGNORE_INDEX] * len(english_tokenizer.tokenize(word)[1:])


# --- bad input fails early, in Korean (issue 6) ---------------------------------------------------

@pytest.mark.parametrize("encode", ["sentences", "tagged"])
def test_max_length_above_the_limit_is_refused_before_tokenizing(english_tokenizer, encode):
    limit = english_tokenizer.model_max_length
    with pytest.raises(InputError, match=f"max_length=1000, max_position_embeddings={limit}"):
        if encode == "sentences":
            ft.encode_sentences(english_tokenizer, ["a"], ["긍정"], max_length=1000)
        else:
            ft.encode_tagged(english_tokenizer, [ft.TaggedSentence(("a",), ("O",))], max_length=1000)


def test_max_length_is_checked_against_the_model_config_when_given(english_tokenizer, english_model):
    config = english_model.config
    with pytest.raises(InputError, match=f"max_position_embeddings={config.max_position_embeddings}"):
        ft.encode_sentences(english_tokenizer, ["a"], ["긍정"], max_length=config.max_position_embeddings + 1,
                            model_config=config)


@pytest.mark.parametrize("bad", [0, 2, "16", 16.0, None])
def test_bad_max_length_values_are_refused_for_both_encoders(english_tokenizer, bad):
    with pytest.raises(InputError, match="max_length"):
        ft.encode_sentences(english_tokenizer, ["a"], ["긍정"], max_length=bad)
    with pytest.raises(InputError, match="max_length"):
        ft.encode_tagged(english_tokenizer, [ft.TaggedSentence(("a",), ("O",))], max_length=bad)


def test_encode_sentences_warns_how_many_tokens_truncation_dropped(english_tokenizer):
    long_one = "hello " * 50
    dropped = len(english_tokenizer(long_one)["input_ids"]) - 8
    with pytest.warns(TruncationWarning, match=f"max_length=8 .*sentences\\[0\\] {dropped}개"):
        features = ft.encode_sentences(english_tokenizer, [long_one, "짧다"], ["긍정", "부정"], max_length=8)
    assert features["input_ids"].shape == (2, 8)


def test_encode_sentences_within_the_limit_gives_no_warning(english_tokenizer):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", TruncationWarning)
        ft.encode_sentences(english_tokenizer, ["좋아요"], ["긍정"], max_length=16)


def test_encoders_refuse_a_model_or_a_name_in_the_tokenizer_place(english_model):
    with pytest.raises(InputError, match="tokenizer 자리에 모델"):
        ft.encode_sentences(english_model, ["a"], ["긍정"], max_length=16)
    with pytest.raises(InputError, match="tokenizer 자리에 객체가 아니라 이름"):
        ft.encode_tagged("beomi/kcbert-base", [ft.TaggedSentence(("a",), ("O",))], max_length=16)


def test_encode_tagged_refuses_plain_strings_naming_the_position(english_tokenizer):
    with pytest.raises(InputError, match="0번째 항목이 TaggedSentence 가 아니라 str 'a b'"):
        ft.encode_tagged(english_tokenizer, ["a b"], max_length=8)
    with pytest.raises(InputError, match="리스트로 감싸"):
        ft.encode_tagged(english_tokenizer, ft.TaggedSentence(("a",), ("O",)), max_length=8)


def test_encode_tagged_refuses_words_and_tags_of_different_length(english_tokenizer):
    good = ft.TaggedSentence(("서울",), ("B-LOC",))
    bad = ft.TaggedSentence(("a", "b"), ("O",))
    with pytest.raises(InputError, match="1번째 문장의 어절과 태그 수가 다릅니다: 어절 2개, 태그 1개"):
        ft.encode_tagged(english_tokenizer, [good, bad], max_length=8)
    with pytest.raises(InputError, match="어절 2개, 태그 1개"):
        ft.alignment_table(english_tokenizer, bad, max_length=8)


def test_encode_tagged_refuses_empty_words(english_tokenizer):
    with pytest.raises(InputError, match="0번째 문장에 비어 있거나 문자열이 아닌 어절"):
        ft.encode_tagged(english_tokenizer, [ft.TaggedSentence((), ())], max_length=8)
    with pytest.raises(InputError, match="0번째 문장에 비어 있거나 문자열이 아닌 어절"):
        ft.encode_tagged(english_tokenizer, [ft.TaggedSentence(("a", " "), ("O", "O"))], max_length=8)


def test_accuracy_refuses_shapes_that_differ():
    with pytest.raises(InputError, match=r"예측과 정답의 셰이프가 다릅니다: \(2,\), \(1,\)"):
        ft.accuracy(torch.tensor([1, 2]), torch.tensor([1]))


def test_accuracy_accepts_plain_lists_of_label_ids():
    assert ft.accuracy([1, 2], [1, 2]) == 1.0
    assert ft.accuracy([1, 0], [1, 2]) == 0.5


def test_accuracy_reads_whole_floats_as_label_ids():
    """Ids that passed through a float column (pandas with a gap, numpy) are still ids; fractions are not."""
    assert ft.accuracy(torch.tensor([1.0, 0.0, 2.0]), torch.tensor([1, 0, 1])) == pytest.approx(2 / 3)
    with pytest.raises(InputError, match="dtype"):
        ft.accuracy(torch.tensor([1.0, 0.5]), torch.tensor([1, 0]))


@pytest.mark.parametrize("predicted, gold, match", [
    (torch.tensor([0.2, 0.8]), torch.tensor([1, 0]), "dtype"),
    (["긍정", "부정"], [1, 0], "레이블 ID"),
    (torch.tensor([1]), torch.tensor([ft.IGNORE_INDEX]), "평가할 자리가 없습니다"),
])
def test_accuracy_refuses_logits_names_and_nothing_to_score(predicted, gold, match):
    with pytest.raises(InputError, match=match):
        ft.accuracy(predicted, gold)


def test_entity_f1_refuses_shapes_that_differ():
    with pytest.raises(InputError, match=r"셰이프가 다릅니다: \(1, 3\), \(1, 4\)"):
        ft.entity_f1(torch.zeros(1, 3, dtype=torch.long), torch.zeros(1, 4, dtype=torch.long))


def test_entity_f1_refuses_one_dimensional_labels_and_ids_outside_the_label_set():
    with pytest.raises(InputError, match="batch, seq"):
        ft.entity_f1(torch.tensor([0, 1]), torch.tensor([0, 1]))
    with pytest.raises(InputError, match="범위 밖"):
        ft.entity_f1(torch.tensor([[0, 9]]), torch.tensor([[0, 1]]))


def test_entity_f1_and_word_tags_take_nested_lists_and_name_a_label_set_too_short():
    ig = ft.IGNORE_INDEX
    gold = torch.tensor([[ig, 1, 2, 0, ig], [ig, 3, 0, ig, ig]])
    pred = torch.tensor([[0, 1, 0, 0, 0], [0, 3, 0, 0, 0]])
    assert ft.entity_f1(pred.tolist(), gold.tolist()) == ft.entity_f1(pred, gold) == pytest.approx(0.5)
    assert ft.word_tags(pred.tolist(), gold.tolist()) == ft.word_tags(pred, gold)
    for helper in (ft.word_tags, ft.entity_f1):
        with pytest.raises(InputError, match=rf"{helper.__name__}\(\)의 labels에 label_set") as info:
            helper(pred, gold, ft.NER_LABELS[:3])
        assert "label_set" in info.value.fix and "num_labels" not in str(info.value)


@pytest.mark.parametrize("bad", [0, -1, 2.5, "8", True])
def test_batches_refuse_a_bad_batch_size(bad):
    features = {"input_ids": torch.arange(4).unsqueeze(1)}
    with pytest.raises(InputError, match="batch_size"):
        next(ft.batches(features, bad))


def test_batches_refuse_something_that_is_not_features():
    with pytest.raises(InputError, match="input_ids"):
        next(ft.batches([[101, 102]], 2))


def test_train_refuses_bad_batch_size_and_epochs_before_touching_the_model(english_tokenizer, classifier):
    features = ft.encode_sentences(english_tokenizer, ["좋아요"], ["긍정"], max_length=16)
    before = classifier.classifier.weight.clone()
    with pytest.raises(InputError, match="batch_size"):
        ft.train(classifier, features, epochs=1, batch_size=0, lr=1e-3)
    with pytest.raises(InputError, match="epochs"):
        ft.train(classifier, features, epochs=0, batch_size=1, lr=1e-3)
    assert torch.equal(before, classifier.classifier.weight)


def test_count_truncated_refuses_a_bare_string_and_a_model(english_tokenizer, english_model):
    with pytest.raises(InputError, match="리스트로 감싸"):
        ft.count_truncated(english_tokenizer, "hello world", 8)
    with pytest.raises(InputError, match="tokenizer 자리에 모델"):
        ft.count_truncated(english_model, ["hello world"], 8)


# --- the self-check after training (issue: strict baselines) ------------------------------------

def test_check_learned_fails_when_training_predicts_one_label_for_everything():
    gold = torch.tensor([0, 1, 2, 2, 1, 0])
    constant = torch.full_like(gold, 2)
    score, baseline = ft.accuracy(constant, gold), ft.majority_baseline(["c"] * 3, ["a", "b", "c"])[1]
    with pytest.raises(AssertionError, match="같은 레이블만"):
        ft.check_learned(max(score, 1.0), baseline, margin=0.15, what="정확도", predictions=constant)


def test_check_learned_fails_on_a_tie_with_the_baseline():
    """The float32 0.33333334 > float64 0.33333333 trap: accuracy is exact, and a tie fails."""
    gold = torch.tensor([0, 1, 2])
    predicted = torch.tensor([0, 2, 1])
    score = ft.accuracy(predicted, gold)
    _, baseline = ft.majority_baseline(["a"], ["a", "b", "c"])
    assert score == baseline == 1 / 3 and type(score) is type(baseline)
    with pytest.raises(AssertionError, match="< 기준"):
        ft.check_learned(score, baseline, margin=0.0001, what="정확도", predictions=predicted)


def test_check_learned_passes_a_real_improvement_and_says_so():
    line = ft.check_learned(0.9, 0.33, margin=0.15, what="정확도", predictions=torch.tensor([0, 1, 1]))
    assert "통과" in line and "0.900" in line


def test_check_learned_is_skipped_only_for_the_random_weight_test_checkpoint(tmp_path):
    from safetensors.torch import save_file

    from helpers import resolve_model
    from helpers.loading import TEST_CHECKPOINT_KEY, ModelChoice

    save_file({"w": torch.zeros(1)}, str(tmp_path / "model.safetensors"), metadata={TEST_CHECKPOINT_KEY: "random"})
    marked = ModelChoice("beomi/kcbert-base", str(tmp_path), "explicit", "test")
    line = ft.check_learned(0.0, 1.0, margin=0.5, what="정확도", choice=marked)
    assert "건너뜁니다" in line and "무작위" in line
    with pytest.raises(AssertionError):
        ft.check_learned(0.0, 1.0, margin=0.5, what="정확도", choice=resolve_model("embedded"))


# --- what the tagging split measures ------------------------------------------------------------

def test_ner_template_blanks_entities_and_keeps_other_words():
    sentence = ft.TaggedSentence(("솔빛", "도서관에", "김민수가", "갔다"), ("B-ORG", "I-ORG", "B-PER", "O"))
    assert ft.ner_template(sentence) == ("<ORG>", "<PER>", "갔다")
    other = ft.TaggedSentence(("바다일보에", "이서연이", "갔다"), ("B-ORG", "B-PER", "O"))
    assert ft.ner_template(other) == ft.ner_template(sentence)
    two_people = ft.TaggedSentence(("민수와", "서연이", "갔다"), ("B-PER", "B-PER", "O"))
    assert ft.ner_template(two_people) == ("<PER>", "<PER>", "갔다")


def test_template_overlap_counts_test_sentences_whose_frame_was_trained():
    seen = ft.TaggedSentence(("민수가", "왔다"), ("B-PER", "O"))
    same_frame = ft.TaggedSentence(("서연이", "왔다"), ("B-PER", "O"))
    new_frame = ft.TaggedSentence(("서울에", "왔다"), ("B-LOC", "O"))
    assert ft.template_overlap([seen], [same_frame, new_frame]) == 0.5
    with pytest.raises(InputError):
        ft.template_overlap([seen], "민수가 왔다")


def test_bundled_ner_split_shares_no_template():
    train, test = ft.load_ner("train"), ft.load_ner("test")
    assert ft.template_overlap(train, test) == 0.0
    assert {t[2:] for s in test for t in s.tags if t != "O"} == {"PER", "LOC", "ORG"}


# --- notebook 06 part 1: linear probe, then fine-tuning from it -----------------------------

@pytest.fixture(scope="module")
def nsmc_small(choice):
    from helpers import load_model, load_tokenizer
    from helpers import korean_data as kd
    from helpers.sentence_vectors import embed

    train, test = kd.nsmc_split(60, 40)
    tokenizer, model = load_tokenizer(choice), load_model(choice)
    vectors = [embed(part["document"].tolist(), model, tokenizer, normalize=True, max_length=64) for part in (train, test)]
    return tokenizer, train, test, vectors


def test_fit_probe_separates_separable_vectors_and_repeats():
    generator = torch.Generator().manual_seed(1)
    vectors = torch.randn(40, 8, generator=generator)
    labels = (vectors[:, 0] > 0).long()
    first, second = ft.fit_probe(vectors, labels.tolist()), ft.fit_probe(vectors.numpy(), labels)
    with torch.no_grad():
        assert ft.accuracy(first(vectors).argmax(-1), labels) == 1.0
    assert torch.equal(first.weight, second.weight) and (first.in_features, first.out_features) == (8, 2)


@pytest.mark.parametrize("labels", [["부정", "긍정"] * 20, [0] * 40, [0, 1] * 19])
def test_fit_probe_refuses_names_one_class_and_a_length_mismatch(labels):
    with pytest.raises(InputError):
        ft.fit_probe(torch.randn(40, 8), labels)


def test_fit_probe_refuses_ids_with_a_gap_and_fractions_and_takes_whole_floats():
    import pandas as pd

    vectors = torch.randn(4, 8, generator=torch.Generator().manual_seed(2))
    with pytest.raises(InputError, match=r"(?s)fit_probe\(\)의 label_ids.*빠진 번호.*\[3, 4\]"):
        ft.fit_probe(vectors, [1, 0, 2, 5])
    with pytest.raises(InputError, match=r"fit_probe\(\)의 label_ids.*정수가 아닌"):
        ft.fit_probe(vectors, [1.0, 0.5, 1.0, 0.0])
    as_ints = ft.fit_probe(vectors, [1, 0, 1, 0])
    for floats in ([1.0, 0.0, 1.0, 0.0], pd.Series([1.0, 0.0, 1.0, 0.0]), torch.tensor([1.0, 0.0, 1.0, 0.0])):
        head = ft.fit_probe(vectors, floats)
        assert head.out_features == 2 and torch.equal(head.weight, as_ints.weight)


def test_mean_classifier_starts_where_the_probe_is_and_leaves_the_probe_alone(choice, nsmc_small):
    from helpers import korean_data as kd

    tokenizer, train, test, (train_vectors, test_vectors) = nsmc_small
    probe = ft.fit_probe(train_vectors, train["label"].tolist())
    before = probe.weight.detach().clone()
    classifier = ft.load_mean_classifier(choice, probe, kd.NSMC_LABELS)
    assert classifier.config.id2label == {0: "부정", 1: "긍정"}
    names = [kd.NSMC_LABELS[i] for i in test["label"]]
    features = ft.encode_sentences(tokenizer, test["document"].tolist(), names, max_length=64, label_set=kd.NSMC_LABELS)
    inputs = {key: value for key, value in features.items() if key != "labels"}
    with torch.no_grad():
        expected, logits = probe(torch.as_tensor(test_vectors)), classifier(**inputs).logits
    torch.testing.assert_close(logits, expected, atol=1e-4, rtol=1e-4)
    losses = ft.train(classifier, features, epochs=1, batch_size=8, lr=1e-4, seed=0, by_length=True)
    assert len(losses) == 5 and all(loss > 0 for loss in losses)
    assert torch.equal(probe.weight, before), "training the classifier must not change the probe it started from"
    assert not torch.equal(classifier.classifier.weight, before)


def test_mean_classifier_refuses_a_head_of_another_shape(choice):
    from helpers import korean_data as kd

    with pytest.raises(InputError, match="분류층의 모양"):
        ft.load_mean_classifier(choice, nn.Linear(7, 2), kd.NSMC_LABELS)
    with pytest.raises(InputError, match="분류층의 모양"):
        ft.load_mean_classifier(choice, nn.Linear(384, 3), kd.NSMC_LABELS)
