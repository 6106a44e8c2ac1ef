"""Fine-tuning in miniature (notebook 06): a sentence classifier and a token tagger.

Two shapes of fine-tuning: a sentence vector [batch, hidden] feeds a linear layer that sorts a
whole sentence into classes (the book's `BertForSequenceClassification` reads `pooler_output`;
`MeanPoolingClassifier` reads the mean vector of notebook 05), and `last_hidden_state`
[batch, seq, hidden] feeds a linear layer that tags every token (`BertForTokenClassification`).
This module holds the plumbing for a run small enough for a classroom CPU: the bundled tagging
data (`helpers/data/`), a linear probe on fixed sentence vectors, turning word tags into token
labels, a plain PyTorch training loop, and the evaluation (accuracy, entity-level F1 with `seqeval`)."""

from __future__ import annotations

import random
import time
import warnings
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Literal, Sequence

import numpy as np
import torch

from .checks import (check_batch_size, check_device, check_features_fit, check_positive_int, check_sentences,
                     check_tokenizer, short_repr)
from .errors import InputError, TruncationWarning
from .features import checked_max_length, count_dropped, warn_if_truncated
from .door import door

DATA_DIR = Path(__file__).resolve().parent / "data"
"""Folder of the bundled data sets (package data, UTF-8)."""

SENTIMENT_LABELS: tuple[str, ...] = ("부정", "중립", "긍정")
"""The three sentiment classes, in label-id order (부정=0, 중립=1, 긍정=2)."""

NER_LABELS: tuple[str, ...] = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG")
"""BIO tags for person / location / organisation, in label-id order."""

IGNORE_INDEX = -100
"""Label of tokens the loss skips ([CLS], [SEP], padding, 2nd and later pieces of a word)."""

Split = Literal["train", "test"]


@dataclass(frozen=True)
class TaggedSentence:
    """One sentence of the tagging data: whitespace words and one BIO tag per word."""

    words: tuple[str, ...]
    tags: tuple[str, ...]


# --- data -----------------------------------------------------------------------------------

def _data_file(stem: str, split: str, suffix: str) -> Path:
    if split not in ("train", "test"):
        raise InputError(f"없는 나눔입니다: split={split!r}", "데이터는 train 과 test 두 부분으로 나뉘어 있습니다.",
                         "split='train' 또는 split='test' 를 쓰세요.")
    return DATA_DIR / f"{stem}_{split}.{suffix}"


def _content_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line) for every line that is not a '#' comment; blank lines kept."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            yield number, line.rstrip("\r")


def parse_sentiment(text: str, labels: Sequence[str] = SENTIMENT_LABELS) -> tuple[list[str], list[str]]:
    """(sentences, labels) from TSV text `label<TAB>sentence` ('#' lines and blank lines skipped).

    Raises InputError naming the line for a line without a tab, an empty sentence, or a label
    outside `labels`, and when no example is left.
    """
    sentences, found = [], []
    for number, line in _content_lines(text):
        if not line.strip():
            continue
        label, tab, sentence = line.partition("\t")
        if not tab or not sentence.strip():
            raise InputError(f"{number}번째 줄을 읽지 못했습니다: {line!r}",
                             "한 줄에 '레이블<TAB>문장' 이 있어야 합니다.", "탭 문자로 레이블과 문장을 나눠 주세요.")
        check_label_names([label], labels)
        sentences.append(sentence.strip())
        found.append(label)
    _check_not_empty(sentences)
    return sentences, found


def parse_tagged(text: str, labels: Sequence[str] = NER_LABELS) -> list[TaggedSentence]:
    """Sentences from CoNLL-style text: `word<TAB>tag` a line, a blank line between sentences.

    Raises InputError naming the line for a line that is not `word<TAB>tag` or a tag outside
    `labels`, and when the text holds no sentence.
    """
    sentences: list[TaggedSentence] = []
    words: list[str] = []
    tags: list[str] = []
    for number, line in [*_content_lines(text), (0, "")]:
        if not line.strip():
            if words:
                sentences.append(TaggedSentence(tuple(words), tuple(tags)))
                words, tags = [], []
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0].strip():
            raise InputError(f"{number}번째 줄을 읽지 못했습니다: {line!r}",
                             "한 줄에 '단어<TAB>태그' 하나씩, 문장 사이에는 빈 줄이 있어야 합니다.",
                             "단어와 태그를 탭 문자 하나로 나눠 주세요.")
        check_label_names([parts[1]], labels)
        words.append(parts[0].strip())
        tags.append(parts[1])
    _check_not_empty(sentences)
    return sentences


@door
def load_sentiment(split: Split) -> tuple[list[str], list[str]]:
    """The bundled 3-class sentiment data (`helpers/data/sentiment_{split}.tsv`): sentences, labels.
    Templated sentences for quick checks of the plumbing (notebook 06 trains on real NSMC reviews)."""
    return parse_sentiment(_data_file("sentiment", split, "tsv").read_text(encoding="utf-8"))


@door
def load_ner(split: Split) -> list[TaggedSentence]:
    """The bundled BIO-tagged sentences (`helpers/data/ner_{split}.txt`). Introduced in notebook 06."""
    return parse_tagged(_data_file("ner", split, "txt").read_text(encoding="utf-8"))


def _check_not_empty(items: Sequence) -> None:
    if len(items) == 0:
        raise InputError("데이터가 비어 있습니다: 예제가 하나도 없습니다.",
                         "학습하거나 평가할 문장이 없으면 손실도 정확도도 계산할 수 없습니다.",
                         "파일 경로와 내용을 확인하세요('#' 로 시작하는 줄은 주석이라 건너뜁니다).")


def check_label_names(names: Sequence[str], label_set: Sequence[str]) -> list[int]:
    """Label ids of `names` in `label_set`; InputError names the label set for an unknown name."""
    ids = []
    for name in names:
        if name not in label_set:
            raise InputError(f"레이블 목록에 없는 레이블입니다: {name!r}",
                             f"이 데이터의 레이블은 {list(label_set)} 뿐입니다.",
                             "오타를 고치거나, 레이블 목록과 모델의 num_labels 를 함께 늘리세요.")
        ids.append(label_set.index(name))
    return ids


def check_label_ids(label_ids: torch.Tensor, num_labels: int, label_set: Sequence[str] | None = None) -> None:
    """Refuse label ids outside 0..num_labels-1 (IGNORE_INDEX allowed) before the loss sees them.

    Without this check, cross-entropy fails deep in torch ("Target 3 is out of bounds").
    """
    bad = label_ids[(label_ids != IGNORE_INDEX) & ((label_ids < 0) | (label_ids >= num_labels))]
    if bad.numel():
        names = f" {list(label_set)}" if label_set is not None else ""
        raise InputError(f"범위 밖의 레이블 ID 가 있습니다: {sorted(set(bad.tolist()))} (범위 0~{num_labels - 1})",
                         f"모델의 분류기는 레이블 {num_labels}개{names} 만 압니다.",
                         "레이블을 레이블 목록의 번호로 바꾸었는지, 모델을 만들 때 num_labels 가 맞는지 확인하세요.")


@door
def majority_baseline(train_labels: Sequence[str] | Sequence[int], test_labels: Sequence[str] | Sequence[int]
                      ) -> tuple[str | int, float]:
    """The most frequent training label and the test accuracy of always answering it; labels as names
    or as ids (a 0/1 column), the same kind on both sides. Introduced in notebook 06."""
    _check_not_empty(train_labels)
    _check_not_empty(test_labels)
    kinds = {isinstance(value, str) for value in list(train_labels) + list(test_labels)}
    if len(kinds) > 1:
        raise InputError("majority_baseline()의 train_labels와 test_labels: 한쪽은 레이블 이름(문자열), 다른 쪽은 ID(정수)입니다.",
                         "이름 '긍정'과 ID 1은 같은 레이블이어도 서로 같지 않아, 정확도가 0으로 나옵니다.",
                         "두 목록을 같은 종류로 넘기세요: 둘 다 reviews['label'](ID) 또는 둘 다 이름 목록.")
    label, _ = Counter(train_labels).most_common(1)[0]
    return label, sum(t == label for t in test_labels) / len(test_labels)


# --- tokens and labels ----------------------------------------------------------------------

@door
def encode_sentences(tokenizer, sentences: Sequence[str], labels: Sequence[str], *, max_length: int,
                     label_set: Sequence[str] = SENTIMENT_LABELS, model_config=None) -> dict[str, torch.Tensor]:
    """Tensors for a sentence classifier: the tokenizer's inputs plus `labels` [batch] (ids).

    Sentences longer than `max_length` tokens are cut (truncation=True) with a
    TruncationWarning naming each and how many tokens it lost. `max_length` is checked against
    `model_config.max_position_embeddings` (else the tokenizer's limit, else 512) before
    anything runs. Raises InputError for unknown labels, mismatched lengths, a bad
    `max_length`, and a model or name passed as `tokenizer`. Introduced in notebook 06.
    """
    max_length = checked_max_length(tokenizer, max_length, model_config, caller="encode_sentences")
    sentences = check_sentences(sentences)
    if isinstance(labels, str) or len(labels) != len(sentences):
        count = "문자열 하나" if isinstance(labels, str) else f"{len(labels)}개"
        raise InputError(f"문장 수와 레이블 수가 다릅니다: 문장 {len(sentences)}개, 레이블 {count}",
                         "문장마다 레이블이 하나씩 있어야 합니다.", "두 목록의 길이를 맞춰 주세요. 예: ['긍정']")
    warn_if_truncated(count_dropped(tokenizer, sentences, max_length), max_length)
    features = dict(tokenizer(sentences, padding=True, truncation=True, max_length=max_length,
                              return_tensors="pt"))
    features["labels"] = torch.tensor(check_label_names(labels, label_set))
    return features


def align_labels(word_ids: Sequence[int | None], word_label_ids: Sequence[int]) -> list[int]:
    """Token labels from word labels: the first piece of each word gets the word's label.

    `word_ids` is what a fast tokenizer's `encoding.word_ids(i)` returns (None for [CLS],
    [SEP] and padding). Special tokens and the 2nd, 3rd, ... pieces of a word get
    IGNORE_INDEX, so each word is counted once by the loss and the evaluation. A word that
    truncation cut off entirely simply has no token; a word cut in the middle keeps its
    first piece. Raises InputError (naming align_labels) for the method `enc.word_ids` not
    called, input_ids where word ids go, label names where ids go, and a word without a label.
    """
    _check_alignment_inputs(word_ids, word_label_ids)
    aligned, previous = [], None
    for word in word_ids:
        if word is None or word == previous:
            aligned.append(IGNORE_INDEX)
        else:
            aligned.append(word_label_ids[word])
        previous = word
    return aligned


def _check_alignment_inputs(word_ids, word_label_ids) -> None:
    """The mistakes `align_labels` refuses before aligning (see there)."""
    where = "align_labels()의"
    if callable(word_ids):
        raise InputError(f"{where} word_ids에 호출하지 않은 메서드({short_repr(word_ids)})를 받았습니다.",
                         "word_ids는 enc.word_ids(0)처럼 호출한 결과입니다: 토큰마다 단어 번호(특수 토큰은 None)가 든 리스트.",
                         "괄호와 문장 번호를 붙여 enc.word_ids(0) 을 넘기세요.")
    for name, value in (("word_ids", word_ids), ("word_label_ids", word_label_ids)):
        if isinstance(value, torch.Tensor):
            value = value.tolist()
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
            raise InputError(f"{where} {name}에 받은 값: {type(value).__name__} {short_repr(value)}",
                             f"{name} 인자에는 리스트가 필요합니다.",
                             "align_labels(enc.word_ids(0), [단어마다 레이블 ID]) 처럼 넘기세요.")
    names = [label for label in word_label_ids if isinstance(label, str)]
    if names:
        raise InputError(f"{where} word_label_ids에 레이블 ID 대신 레이블 이름을 받았습니다: {short_repr(list(word_label_ids))}",
                         "토큰 레이블은 레이블 목록의 번호(정수 ID)입니다. 이름을 그대로 두면 숫자와 이름이 섞입니다.",
                         "[NER_LABELS.index(tag) for tag in tags] 처럼 ID로 바꿔 넘기세요.")
    bad = [label for label in word_label_ids if isinstance(label, bool) or not isinstance(label, (int, np.integer))]
    if bad:
        raise InputError(f"{where} word_label_ids에 정수가 아닌 값이 있습니다: {short_repr(bad)}",
                         "단어마다 레이블 ID(정수) 하나가 필요합니다.",
                         "[NER_LABELS.index(tag) for tag in tags] 처럼 ID로 바꿔 넘기세요.")
    words = [w for w in word_ids if w is not None]
    if any(isinstance(w, bool) or not isinstance(w, (int, np.integer)) or w < 0 for w in words):
        raise InputError(f"{where} word_ids에 단어 번호가 아닌 값이 있습니다: {short_repr(list(word_ids))}",
                         "word_ids는 enc.word_ids(0)처럼 호출한 결과입니다: 0 이상의 단어 번호와 None.",
                         "tokenizer(words, is_split_into_words=True) 의 결과 enc 에서 enc.word_ids(0) 을 넘기세요.")
    if words and max(words) >= len(word_label_ids):
        if None not in word_ids:
            raise InputError(f"{where} word_ids에 단어 번호 대신 토큰 ID 같은 값이 있습니다: {short_repr(list(word_ids))}",
                             "word_ids는 enc.word_ids(0)처럼 호출한 결과입니다. input_ids 는 단어 번호가 아니라 어휘의 토큰 번호입니다"
                             " ([CLS]·[SEP] 자리에 None 이 없습니다).",
                             "enc['input_ids'] 대신 enc.word_ids(0) 을 넘기세요.")
        raise InputError(f"{where} word_ids에 단어 번호 {max(words)}가 있는데 word_label_ids는 {len(word_label_ids)}개뿐입니다.",
                         "단어마다 레이블 ID가 하나씩 있어야 합니다(단어 번호는 0부터).",
                         "같은 문장의 단어 수만큼 레이블 ID를 넘기세요. 예: 단어 3개면 [0, 3, 0].")


def check_tagged(sentences: Sequence[TaggedSentence]) -> list[TaggedSentence]:
    """`sentences` as a list, each a TaggedSentence with one tag per word (InputError otherwise).

    Names the first bad sentence: not a TaggedSentence (a plain string, say), no words, a word
    that is not a non-empty string, or a different number of words and tags.
    """
    if isinstance(sentences, (str, TaggedSentence)) or not isinstance(sentences, Sequence):
        raise InputError(f"태그 문장 목록 자리에 받은 값: {type(sentences).__name__} {short_repr(sentences)}",
                         "TaggedSentence 들의 리스트가 필요합니다.",
                         "리스트로 감싸 주세요. 예: [TaggedSentence(('서울에', '가요'), ('B-LOC', 'O'))]")
    _check_not_empty(sentences)
    for i, sentence in enumerate(sentences):
        if not isinstance(sentence, TaggedSentence):
            raise InputError(f"{i}번째 항목이 TaggedSentence 가 아니라 {type(sentence).__name__} {short_repr(sentence)} 입니다.",
                             "태깅에는 어절마다 태그가 붙은 문장이 필요합니다(문자열에는 태그가 없습니다).",
                             "TaggedSentence(words=('서울에', '가요'), tags=('B-LOC', 'O')) 처럼 만들거나 "
                             "load_ner(split) 의 결과를 쓰세요.")
        words, tags = tuple(sentence.words), tuple(sentence.tags)
        if not words or not all(isinstance(w, str) and w.strip() for w in words):
            raise InputError(f"{i}번째 문장에 비어 있거나 문자열이 아닌 어절이 있습니다: {short_repr(words)}",
                             "어절마다 토큰이 하나 이상 있어야 태그를 붙일 수 있습니다.",
                             "빈 어절을 빼고, 어절은 문자열로 넣어 주세요.")
        if len(words) != len(tags):
            raise InputError(f"{i}번째 문장의 어절과 태그 수가 다릅니다: 어절 {len(words)}개, 태그 {len(tags)}개 {short_repr(words)}",
                             "태그는 어절마다 하나씩 있어야 합니다.",
                             "어절과 태그의 수를 맞춰 주세요(개체가 아닌 어절에는 'O').")
    return list(sentences)


@door
def encode_tagged(tokenizer, sentences: Sequence[TaggedSentence], *, max_length: int,
                  label_set: Sequence[str] = NER_LABELS, model_config=None) -> dict[str, torch.Tensor]:
    """Tensors for a token tagger: the tokenizer's inputs plus `labels` [batch, seq].

    Words are tokenized as given (`is_split_into_words=True`) and their tags aligned to the
    pieces with `align_labels`. Needs a fast tokenizer (for `word_ids`). `max_length` is
    checked as in `encode_sentences`; a sentence cut by it gives a TruncationWarning (the
    words past the cut get no label). Bad sentences are refused by `check_tagged`. Introduced in notebook 06.
    """
    max_length = checked_max_length(tokenizer, max_length, model_config, caller="encode_tagged")
    sentences = check_tagged(sentences)
    if not getattr(tokenizer, "is_fast", False):
        raise InputError("느린(파이썬) 토크나이저를 받았습니다.",
                         "어절과 토큰을 잇는 word_ids() 는 빠른 토크나이저에만 있습니다.",
                         "helpers.load_tokenizer(choice) 로 불러온 토크나이저를 쓰세요.")
    warn_if_truncated(count_dropped(tokenizer, [s.words for s in sentences], max_length, is_split_into_words=True),
                      max_length)
    encoded = tokenizer([list(s.words) for s in sentences], is_split_into_words=True, padding=True,
                        truncation=True, max_length=max_length, return_tensors="pt")
    labels = [align_labels(encoded.word_ids(i), check_label_names(s.tags, label_set))
              for i, s in enumerate(sentences)]
    features = dict(encoded)
    features["labels"] = torch.tensor(labels)
    return features


@door
def alignment_table(tokenizer, sentence: TaggedSentence, *, max_length: int,
                    label_set: Sequence[str] = NER_LABELS):
    """One row per word of `sentence` (plus [CLS] / [SEP]): its tag, its pieces, their labels.

    Shows what `encode_tagged` does: the first piece carries the word's label id, the other
    pieces IGNORE_INDEX. Words cut off by `max_length` do not appear (a TruncationWarning says how
    many). Introduced in notebook 06.
    """
    import pandas as pd

    max_length = checked_max_length(tokenizer, max_length)
    sentence = check_tagged([sentence])[0]
    encoded = tokenizer([list(sentence.words)], is_split_into_words=True, truncation=True, max_length=max_length)
    pieces = tokenizer.convert_ids_to_tokens(encoded["input_ids"][0])
    word_ids = encoded.word_ids(0)
    shown = len({word for word in word_ids if word is not None})
    if shown < len(sentence.words):
        warnings.warn(TruncationWarning(
            f"alignment_table(): max_length={max_length}에 맞추느라 어절 {len(sentence.words) - shown}개가 표에서 빠졌습니다: "
            f"{' '.join(sentence.words[shown:])[:60]}",
            "잘린 어절은 토큰이 없어서 레이블도 받지 못합니다(학습에서도 빠집니다).",
            "일부러 자른 것이 아니라면 max_length를 늘리세요."), stacklevel=3)
    labels = align_labels(word_ids, check_label_names(sentence.tags, label_set))
    rows: list[dict] = []
    for piece, word, label in zip(pieces, word_ids, labels):
        if word is None or not rows or rows[-1]["_word"] != word:
            rows.append({"_word": word, "어절": piece if word is None else sentence.words[word],
                         "태그": "" if word is None else sentence.tags[word], "토큰": [], "토큰별 레이블": []})
        rows[-1]["토큰"].append(piece)
        rows[-1]["토큰별 레이블"].append(label)
    table = pd.DataFrame(rows).drop(columns="_word")
    table["토큰"] = table["토큰"].map(" ".join)
    table["토큰별 레이블"] = table["토큰별 레이블"].map(lambda ids: " ".join(map(str, ids)))
    return table


@door
def count_truncated(tokenizer, sentences: Sequence[str] | Sequence[TaggedSentence], max_length: int) -> int:
    """How many sentences have more than `max_length` tokens (with [CLS] and [SEP]), i.e. get cut.
    Introduced in notebook 06."""
    check_tokenizer(tokenizer)
    if isinstance(sentences, str):
        check_sentences(sentences)  # raises the "wrap it in a list" message
    texts = [" ".join(s.words) if isinstance(s, TaggedSentence) else s for s in sentences]
    return sum(len(ids) > max_length for ids in tokenizer(check_sentences(texts), verbose=False)["input_ids"])


def tokenization_stats(tokenizer, sentences: Sequence[str], words: Sequence[str]) -> dict[str, float | int]:
    """How a tokenizer sees the data: mean tokens per sentence (with [CLS]/[SEP]), mean pieces
    per word, and how many of `words` become a single [UNK] (the word's content is lost)."""
    check_tokenizer(tokenizer)
    sentences = check_sentences(sentences)
    _check_not_empty(words)
    lengths = [len(ids) for ids in tokenizer(sentences)["input_ids"]]
    pieces = [tokenizer.tokenize(w) for w in words]
    return {
        "문장당 토큰 수(평균)": sum(lengths) / len(lengths),
        "어절당 토큰 수(평균)": sum(map(len, pieces)) / len(pieces),
        "[UNK] 가 된 어절 수": sum(p == [tokenizer.unk_token] for p in pieces),
    }


# --- models ---------------------------------------------------------------------------------

@door
def load_head_model(choice, model_class, label_set: Sequence[str], *, seed: int = 0):
    """`model_class` (e.g. BertForSequenceClassification) on the pretrained BERT of `choice`.

    The encoder weights come from the checkpoint, loaded the safe way
    (`helpers.loading.load_pretrained`); a checkpoint whose encoder is incomplete is refused.
    The new classifier layer (hidden -> len(label_set)) - and the pooler, where the checkpoint
    has none - are initialised randomly with `seed`, so runs repeat. The label names are stored
    in `config.id2label`. Returned in eval mode; `model.bertvec_new_weights` lists the weights
    that started at random (the checkpoint did not have them). Introduced in notebook 00.
    """
    from .loading import check_complete, load_pretrained

    label_set = list(label_set)
    if not label_set:
        raise InputError("레이블 목록이 비어 있습니다.", "분류기의 출력 개수(num_labels)를 정할 수 없습니다.",
                         "예: ['부정', '중립', '긍정']")
    kwargs: dict = {"num_labels": len(label_set), "id2label": dict(enumerate(label_set)),
                    "label2id": {name: i for i, name in enumerate(label_set)}}
    torch.manual_seed(seed)
    model, info = load_pretrained(model_class, choice, **kwargs)
    model.bertvec_new_weights = check_complete(model, info, getattr(choice, "shown", str(choice)))
    return model


@door
def freeze_embeddings(model) -> int:
    """Keep the word-embedding table of `model` as pretrained (no gradient); returns how many
    numbers that freezes. Multilingual vocabularies make that table most of the model (a
    quarter of a million rows), and a small data set would not move it usefully anyway.
    Introduced in notebook 06."""
    table = model.get_input_embeddings().weight
    table.requires_grad_(False)
    return table.numel()


class MeanPoolingClassifier(torch.nn.Module):
    """A sentence classifier: a BERT encoder, its sentence vector - the attention-mask-weighted
    mean of the last hidden states, L2-normalised, the vector `embed(..., normalize=True)` gives -
    and one linear layer on top. Called like `BertForSequenceClassification`: `.logits`
    [batch, classes] and, given `labels`, the cross-entropy `.loss`."""

    def __init__(self, encoder, head: torch.nn.Linear):
        super().__init__()
        self.bert = encoder
        self.classifier = head

    @property
    def config(self):
        return self.bert.config

    @property
    def base_model(self):
        return self.bert

    @property
    def device(self) -> torch.device:
        return next(self.parameters()).device

    def get_input_embeddings(self):
        return self.bert.get_input_embeddings()

    def forward(self, input_ids, attention_mask, token_type_ids=None, labels=None):
        from transformers.modeling_outputs import SequenceClassifierOutput
        from .sentence_vectors import mean_pool

        hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                           token_type_ids=token_type_ids).last_hidden_state
        vectors = torch.nn.functional.normalize(mean_pool(hidden, attention_mask), dim=-1)
        logits = self.classifier(vectors)
        loss = None if labels is None else torch.nn.functional.cross_entropy(logits, labels)
        return SequenceClassifierOutput(loss=loss, logits=logits)


@door
def fit_probe(vectors: np.ndarray | torch.Tensor, label_ids: Sequence[int] | Sequence[float] | torch.Tensor, *,
              weight_decay: float = 1e-3) -> torch.nn.Linear:
    """A linear layer trained on fixed sentence vectors (a "linear probe"): BERT stays as it is,
    only hidden x classes weights and a bias are fitted - all rows at once with L-BFGS, plus an L2
    penalty `weight_decay` on the weights. The same input gives the same layer.

    `label_ids` are 0, 1, ... (whole-number floats such as a pandas column read as 1.0 are taken
    as ints); a fraction, or ids with a gap (0, 1, 5: the head would get classes no label has),
    raise InputError. Introduced in notebook 06."""
    inputs = torch.as_tensor(np.asarray(vectors), dtype=torch.float32)
    targets = _whole_label_ids(label_ids)
    if inputs.dim() != 2 or targets.shape != (inputs.shape[0],):
        raise InputError(f"vectors {tuple(inputs.shape)} 와 label_ids {tuple(targets.shape)} 의 모양이 맞지 않습니다.",
                         "문장 벡터 한 줄마다 레이블 ID 하나가 있어야 합니다([문장 수, hidden] 과 [문장 수]).",
                         "embed(...) 로 만든 벡터와, 같은 문장들의 레이블 ID 목록을 넘기세요.")
    if targets.min() < 0 or len(set(targets.tolist())) < 2 or weight_decay < 0:
        raise InputError(f"레이블 ID {sorted(set(targets.tolist()))[:5]}, weight_decay={weight_decay} 로는 분류층을 학습할 수 없습니다.",
                         "레이블 ID 는 0 이상이어야 하고 두 종류 이상 있어야 하며, weight_decay 는 0 이상입니다.",
                         "레이블 이름이 아니라 번호(0, 1, ...)를 넘기고, 두 레이블이 모두 있는지 확인하세요.")
    missing = sorted(set(range(int(targets.max()) + 1)) - set(targets.tolist()))
    if missing:
        raise InputError(f"fit_probe()의 label_ids에 빠진 번호가 있습니다: {missing} "
                         f"(받은 번호 {sorted(set(targets.tolist()))})",
                         f"분류층은 0부터 가장 큰 번호 {int(targets.max())}까지 {int(targets.max()) + 1}개 레이블을 만듭니다. "
                         "빠진 번호의 레이블은 예제가 없어 학습되지 않는 칸이 됩니다.",
                         "레이블 이름을 label_set.index(이름) 처럼 0, 1, 2, ... 로 빈틈없이 바꿔 넘기세요.")
    torch.manual_seed(0)
    head = torch.nn.Linear(inputs.shape[1], int(targets.max()) + 1)
    optimizer = torch.optim.LBFGS(head.parameters(), max_iter=200, line_search_fn="strong_wolfe")

    def objective() -> torch.Tensor:
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(head(inputs), targets) + weight_decay * head.weight.pow(2).sum()
        loss.backward()
        return loss

    optimizer.step(objective)
    return head.requires_grad_(True)


def _whole_label_ids(label_ids) -> torch.Tensor:
    """`label_ids` as a long tensor; whole-number floats are converted, fractions refused."""
    array = label_ids.detach().cpu().numpy() if isinstance(label_ids, torch.Tensor) else np.asarray(label_ids)
    if array.dtype.kind == "f":
        fractions = array[array != np.round(array)]
        if fractions.size:
            raise InputError(f"fit_probe()의 label_ids에 정수가 아닌 값이 있습니다: {fractions[:5].tolist()}",
                             "레이블 ID 는 0, 1, 2 같은 번호입니다. 소수가 있으면 어느 레이블인지 정할 수 없습니다.",
                             "레이블 이름이나 번호 열(예: df['label'])을 넘기세요. 확률이나 점수를 넘긴 것은 아닌지 확인하세요.")
    elif array.dtype.kind not in "iub":
        raise InputError(f"fit_probe()의 label_ids에 받은 값: {short_repr(label_ids)}",
                         "label_ids 인자에는 레이블 번호(0, 1, ...)들이 필요합니다.",
                         "label_set.index(이름) 으로 번호로 바꿔 넘기세요.")
    return torch.as_tensor(array.astype(np.int64))


@door
def load_mean_classifier(choice, head: torch.nn.Linear, label_set: Sequence[str]) -> MeanPoolingClassifier:
    """The pretrained BERT of `choice` (`load_model`) with `head` on its mean sentence vector - a copy
    of `head`, so the probe it came from stays as it was. Before any training it answers exactly
    what `head` answers on `embed(..., normalize=True)` vectors. The label names go into
    `config.id2label`. Introduced in notebook 06."""
    from .loading import load_model

    label_set = list(label_set)
    encoder = load_model(choice)
    if head.in_features != encoder.config.hidden_size or head.out_features != len(label_set):
        raise InputError(f"load_mean_classifier()의 head: 분류층의 모양 {head.in_features} -> {head.out_features} 가 "
                         f"이 모델과 label_set({len(label_set)}개)에 맞지 않습니다.",
                         f"이 모델의 문장 벡터는 {encoder.config.hidden_size}차원이고 레이블은 {len(label_set)}개입니다.",
                         "같은 모델로 만든 문장 벡터로 fit_probe 를 다시 실행하고, 레이블 목록을 확인하세요.")
    encoder.config.id2label = dict(enumerate(label_set))
    encoder.config.label2id = {name: i for i, name in enumerate(label_set)}
    copied = torch.nn.Linear(head.in_features, head.out_features)
    copied.load_state_dict(head.state_dict())
    return MeanPoolingClassifier(encoder, copied).eval()


# --- training and evaluation ----------------------------------------------------------------

def batches(features: dict[str, torch.Tensor], batch_size: int, *, seed: int | None = None,
            by_length: bool = False) -> Iterator[dict[str, torch.Tensor]]:
    """Mini-batches of `features` (every tensor sliced on dim 0); shuffled when `seed` is given.

    Padding columns that no sentence in the batch needs are cut off (right padding assumed).
    `by_length=True` puts sentences of similar length together (sorted within shuffled groups of
    50 batches, then the batches shuffled), so less padding is computed; with `seed=None` the
    batches come in order of length. Raises InputError for a `batch_size` that is not a positive
    int and for `features` without `input_ids`.
    """
    batch_size = check_batch_size(batch_size)
    _check_features(features)
    for index in _batch_order(features, batch_size, seed=seed, by_length=by_length):
        yield _trim_padding({key: value[index] for key, value in features.items()})


def _check_features(features) -> None:
    if not hasattr(features, "keys") or "input_ids" not in features:
        raise InputError(f"features 자리에 받은 값: {type(features).__name__}",
                         "input_ids 가 든 사전(encode_sentences 나 encode_tagged 의 결과)이 필요합니다.",
                         "features = encode_sentences(tokenizer, 문장들, 레이블들, max_length=...) 로 만드세요.")


def _batch_order(features: dict[str, torch.Tensor], batch_size: int, *, seed: int | None = None,
                by_length: bool = False) -> list[torch.Tensor]:
    """The row numbers of each mini-batch `batches` makes (see there)."""
    size = len(features["input_ids"])
    _check_not_empty(range(size))
    order = list(range(size))
    rng = random.Random(seed)
    if seed is not None:
        rng.shuffle(order)
    if by_length and "attention_mask" in features:
        lengths = features["attention_mask"].sum(dim=1).tolist()
        group = batch_size * 50
        order = [i for start in range(0, size, group)
                 for i in sorted(order[start:start + group], key=lengths.__getitem__)]
    chunks = [torch.tensor(order[start:start + batch_size]) for start in range(0, size, batch_size)]
    if by_length and seed is not None:
        rng.shuffle(chunks)
    return chunks


def _trim_padding(batch: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Drop the padding columns that no sentence of this batch needs (less compute, same result)."""
    if "attention_mask" not in batch:
        return batch
    width = int(batch["attention_mask"].sum(dim=1).max())
    seq = batch["attention_mask"].shape[1]
    return {key: value[:, :width].contiguous() if value.dim() == 2 and value.shape[1] == seq else value
            for key, value in batch.items()}


def _check_head(model, caller: str) -> None:
    """Refuse a bare encoder (`load_model`'s BertModel): it has no classifier, so no loss and no logits."""
    if getattr(model, "base_model", model) is model:
        raise InputError(f"{caller}()의 model에 분류층이 없는 모델({type(model).__name__})을 받았습니다.",
                         f"{caller}() 는 레이블을 고르는 분류층(헤드)이 달린 모델이 필요합니다. load_model 로 불러온 "
                         "BERT 본체는 벡터만 내놓고 손실(loss)도 로짓(logits)도 없습니다.",
                         "model = ft.load_head_model(choice, BertForSequenceClassification, label_set) 이나 "
                         "ft.load_mean_classifier(choice, head, label_set) 로 만든 모델을 넘기세요.")


def _check_labelled(features, caller: str, argument: str = "features") -> None:
    """Refuse features without `labels` (the tokenizer's output alone): training needs the answers."""
    if hasattr(features, "keys") and "labels" not in features:
        raise InputError(f"{caller}()의 {argument}에 정답 'labels' 가 없습니다: 키 {sorted(features.keys())}",
                         "학습에는 문장마다(개체명은 토큰마다) 정답 레이블 ID가 필요합니다. 토크나이저의 결과에는 정답이 없습니다.",
                         "features = ft.encode_sentences(tokenizer, 문장들, 레이블들, max_length=...) 나 "
                         "ft.encode_tagged(tokenizer, 문장들, max_length=...) 로 만드세요.")


Precision = Literal["fp32", "bf16"]


def _autocast(device: torch.device, precision: str):
    """bf16 autocast on `device` for 'bf16', nothing for 'fp32' (wraps forward passes only: the
    backward pass follows the dtypes the forward pass chose)."""
    if precision == "bf16":
        return torch.autocast(device_type=device.type, dtype=torch.bfloat16)
    return nullcontext()


@door
def train_step(model, batch: dict[str, torch.Tensor], optimizer: torch.optim.Optimizer, *,
               precision: Precision = "fp32") -> float:
    """One update: forward with labels (the model computes the cross-entropy), backward, step.

    `precision="bf16"` runs the forward pass under bf16 autocast (see `train`). Returns the loss
    before the update. Label ids outside the model's classes raise InputError.
    Introduced in notebook 06.
    """
    _check_head(model, "train_step")
    _check_labelled(batch, "train_step", "batch")
    check_label_ids(batch["labels"], model.config.num_labels,
                    list(model.config.id2label.values()) if model.config.id2label else None)
    device = next(model.parameters()).device
    with _autocast(device, precision):
        outputs = model(**{key: value.to(device) for key, value in batch.items()})
    optimizer.zero_grad()
    outputs.loss.backward()
    optimizer.step()
    return float(outputs.loss.detach())


_BF16_GAIN = 1.3
"""How much faster bf16 must measure before `training_precision` gives up fp32's exact sums."""


@dataclass(frozen=True)
class PrecisionChoice:
    """What `training_precision` measured on this machine, and the precision it chose."""
    precision: Precision
    fp32_ms: float
    bf16_ms: float
    device: str


@door
def training_precision(model, *, batch_size: int, tokens: int = 32, device: str = "auto") -> PrecisionChoice:
    """Measure whether training `model` in bf16 (`torch.autocast`) is worth it on this machine.

    One feed-forward layer of the model's own shape (hidden_size -> intermediate_size, the
    largest matmul of an encoder layer) runs forward and backward on `batch_size` x `tokens`
    token vectors in fp32 and under bf16 autocast, taking turns, best of 3. bf16 is chosen
    only where it is clearly faster: a CPU or GPU that multiplies bf16 in hardware (AVX512-BF16,
    AMX, recent GPUs). Elsewhere bf16 is emulated and much slower, and the measurement stops
    early. The weights stay fp32 either way; bf16 rounds the products, so a run in bf16 ends
    with slightly different weights than one in fp32. Introduced in notebook 06.
    """
    batch_size = check_batch_size(batch_size)
    tokens = check_positive_int("tokens", tokens, example=32, meaning="측정에 쓸 문장 하나의 토큰 수")
    chosen = check_device(device)
    config = getattr(model, "config", None)
    hidden, inner = getattr(config, "hidden_size", None), getattr(config, "intermediate_size", None)
    if not isinstance(hidden, int) or not isinstance(inner, int):
        raise InputError(f"training_precision()의 model 에서 hidden_size/intermediate_size 를 찾지 못했습니다: "
                         f"{type(model).__name__}",
                         "층의 모양을 모델 설정(config)에서 읽어 측정합니다.",
                         "load_mean_classifier 나 load_head_model 로 만든 모델을 넘기세요.")
    generator = torch.Generator().manual_seed(0)
    layer = torch.nn.Linear(hidden, inner).to(chosen)
    inputs = torch.randn(batch_size * tokens, hidden, generator=generator).to(chosen).requires_grad_(True)

    def step(precision: str) -> float:
        sync = torch.cuda.synchronize if chosen.type == "cuda" else (lambda: None)
        sync()
        start = time.perf_counter()
        with _autocast(chosen, precision):
            output = layer(inputs)
        output.float().sum().backward()
        sync()
        layer.zero_grad(set_to_none=True)
        inputs.grad = None
        return time.perf_counter() - start

    best = {"fp32": float("inf"), "bf16": float("inf")}
    step("fp32")  # warm up: the first calls allocate and pick kernels
    best["fp32"] = step("fp32")
    try:
        first_bf16 = step("bf16")
    except RuntimeError:  # a device whose autocast has no bf16: fp32, and the row says bf16 could not run
        return PrecisionChoice("fp32", best["fp32"] * 1e3, float("inf"), chosen.type)
    if first_bf16 < 5 * best["fp32"]:  # emulated bf16 is far slower: no need to time it again
        for _ in range(3):
            for precision in best:
                best[precision] = min(best[precision], step(precision))
    else:
        best["bf16"] = first_bf16
    precision: Precision = "bf16" if best["bf16"] * _BF16_GAIN <= best["fp32"] else "fp32"
    return PrecisionChoice(precision, best["fp32"] * 1e3, best["bf16"] * 1e3, chosen.type)


@door
def train(model, features: dict[str, torch.Tensor], *, epochs: int, batch_size: int, lr: float,
          seed: int = 0, device: str = "auto", by_length: bool = False, precision: Precision = "fp32") -> list[float]:
    """Fine-tune the whole `model` (encoder and head) with AdamW; returns the loss of every step.

    Plain PyTorch: for each epoch, shuffle, and `train_step` every mini-batch (`by_length=True`:
    mini-batches of similar lengths, see `batches`). Dropout is on
    while training (`model.train()`); the model is back in eval mode when this returns. On a
    machine with a GPU, device='auto' uses it - the same code as on a CPU. `precision="bf16"`
    computes under bf16 autocast (weights and optimizer stay fp32; see `training_precision` for
    when that is faster). Introduced in notebook 06.
    """
    check_batch_size(batch_size)
    epochs = check_positive_int("epochs", epochs, example=3, meaning="학습 데이터를 처음부터 끝까지 도는 횟수")
    _check_head(model, "train")
    _check_features(features)
    check_features_fit(features, model, "train")
    _check_labelled(features, "train")
    check_label_ids(features["labels"], model.config.num_labels)
    model.to(check_device(device))
    torch.manual_seed(seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    losses: list[float] = []
    model.train()
    try:
        for epoch in range(epochs):
            for batch in batches(features, batch_size, seed=seed * 1000 + epoch, by_length=by_length):
                losses.append(train_step(model, batch, optimizer, precision=precision))
    finally:
        model.eval()
    return losses


@door
@torch.inference_mode()
def predict(model, features: dict[str, torch.Tensor], *, batch_size: int = 64) -> torch.Tensor:
    """Predicted label ids (argmax of the logits): [batch] for a classifier, [batch, seq] for a tagger.

    Padding positions of a tagger's predictions hold IGNORE_INDEX. Sentences run in batches of
    similar length (less padding); the result is in input order. Introduced in notebook 06.
    """
    _check_head(model, "predict")
    _check_features(features)
    check_features_fit(features, model, "predict")
    return _run_by_length(model, features, batch_size, lambda out: out.logits.argmax(-1))


def _run_by_length(model, features: dict[str, torch.Tensor], batch_size: int, read) -> torch.Tensor:
    """`read(model(batch))` for every sentence, run in batches of similar length, rows in input order.
    Per-token results are padded back to the full width with IGNORE_INDEX."""
    model.eval()
    device = next(model.parameters()).device
    inputs = {k: v for k, v in features.items() if k != "labels"}
    width = inputs["input_ids"].shape[1]
    order = _batch_order(inputs, check_batch_size(batch_size), by_length=True)
    parts = []
    for index in order:
        batch = _trim_padding({key: value[index] for key, value in inputs.items()})
        part = read(model(**{key: value.to(device) for key, value in batch.items()})).cpu()
        if part.dim() == 2 and not part.is_floating_point():  # a tagger's ids: padding columns back
            part = torch.nn.functional.pad(part, (0, width - part.shape[1]), value=IGNORE_INDEX)
        parts.append(part)
    result = torch.cat(parts)
    restored = torch.empty_like(result)
    restored[torch.cat(order)] = result
    return restored


def _label_tensors(predicted, gold) -> tuple[torch.Tensor, torch.Tensor]:
    """`predicted` and `gold` as integer tensors of the same shape (lists are converted)."""
    pair = []
    for name, value in (("predicted", predicted), ("gold", gold)):
        try:
            tensor = torch.as_tensor(value)
        except (TypeError, ValueError, RuntimeError) as exc:
            raise InputError(f"{name} 자리에 받은 값: {type(value).__name__} {short_repr(value)}",
                             f"레이블 ID(정수)들의 텐서나 리스트가 필요합니다 ({exc}).",
                             "predict(model, features) 의 결과와 features['labels'] 를 넘기세요.") from None
        if tensor.is_floating_point() and bool(torch.isfinite(tensor).all()) and bool((tensor == tensor.round()).all()):
            tensor = tensor.long()  # ids that went through a float column (pandas, numpy) are still ids
        if tensor.is_floating_point() or tensor.dtype == torch.bool:
            raise InputError(f"{name} 의 dtype 이 {tensor.dtype} 입니다.",
                             "레이블 ID 는 정수입니다. 로짓(실수)을 넘긴 것 같습니다.",
                             "logits.argmax(-1) 이나 predict(model, features) 의 결과를 넘기세요.")
        pair.append(tensor)
    if pair[0].shape != pair[1].shape:
        raise InputError(f"예측과 정답의 셰이프가 다릅니다: {tuple(pair[0].shape)}, {tuple(pair[1].shape)}",
                         "자리마다 예측과 정답을 하나씩 비교합니다.",
                         "같은 features 로 만든 예측과 정답(features['labels'])을 넘기세요.")
    return pair[0], pair[1]


@door
def accuracy(predicted: torch.Tensor | Sequence[int], gold: torch.Tensor | Sequence[int]) -> float:
    """Share of positions where `predicted` equals `gold`, ignoring IGNORE_INDEX positions.

    Tensors or lists of label ids, of the same shape; InputError otherwise, and when every
    position is IGNORE_INDEX (nothing to score). Introduced in notebook 06.
    """
    predicted, gold = _label_tensors(predicted, gold)
    keep = gold != IGNORE_INDEX
    if not bool(keep.any()):
        raise InputError(f"정답 {tuple(gold.shape)} 에 평가할 자리가 없습니다 (모두 {IGNORE_INDEX} 이거나 비어 있음).",
                         f"{IGNORE_INDEX} 자리는 채점에서 빠지므로 정확도를 계산할 수 없습니다.",
                         "features['labels'] 를 정답으로 넘겼는지 확인하세요.")
    return int((predicted[keep] == gold[keep]).sum()) / int(keep.sum())  # exact, like majority_baseline


TagIds = torch.Tensor | Sequence[Sequence[int]]


@door
def word_tags(predicted: TagIds, labels: TagIds, label_set: Sequence[str] = NER_LABELS
              ) -> tuple[list[list[str]], list[list[str]]]:
    """(predicted tags, gold tags) per sentence, one per word: read at each word's first piece.

    Tensors or nested lists ([batch, seq] of label ids). Refuses (InputError) shapes that differ,
    tensors that are not [batch, seq], and label ids outside `label_set` (naming it).
    Introduced in notebook 06.
    """
    return _word_tags(predicted, labels, label_set, "word_tags")


def _word_tags(predicted, labels, label_set: Sequence[str], caller: str) -> tuple[list[list[str]], list[list[str]]]:
    predicted, labels = _label_tensors(predicted, labels)
    if labels.dim() != 2:
        raise InputError(f"정답의 셰이프가 {tuple(labels.shape)} 입니다.",
                         "개체명 평가는 토큰마다 레이블이 있는 [batch, seq] 셰이프를 받습니다.",
                         "encode_tagged 의 features['labels'] 와 predict(tagger, features) 를 넘기세요.")
    label_set = list(label_set)
    scored = labels != IGNORE_INDEX
    for name, ids in (("labels", labels[scored]), ("predicted", predicted[scored])):
        bad = sorted(set(ids[(ids < 0) | (ids >= len(label_set))].tolist()))
        if bad:
            raise InputError(f"{caller}()의 {name}에 label_set 범위 밖의 레이블 ID 가 있습니다: {bad} "
                             f"(label_set 은 {len(label_set)}개: 0~{len(label_set) - 1})",
                             f"label_set={label_set} 의 번호로 ID 를 태그 이름으로 바꿉니다. 모델을 만들 때 쓴 레이블 목록"
                             "(예: NER_LABELS)과 길이와 순서가 같아야 합니다.",
                             f"label_set 을 빼거나(기본값 NER_LABELS) 모델을 만들 때 쓴 레이블 목록 그대로를 "
                             f"{caller}(..., label_set=...) 로 넘기세요.")
    pred_tags, gold_tags = [], []
    for pred_row, gold_row in zip(predicted.tolist(), labels.tolist()):
        firsts = [i for i, g in enumerate(gold_row) if g != IGNORE_INDEX]
        pred_tags.append([label_set[pred_row[i]] for i in firsts])
        gold_tags.append([label_set[gold_row[i]] for i in firsts])
    return pred_tags, gold_tags


@door
def entity_f1(predicted: TagIds, labels: TagIds, label_set: Sequence[str] = NER_LABELS) -> float:
    """Entity-level F1 (seqeval, CoNLL rules): an entity counts only if its span and type are exact.
    Tensors or nested lists of label ids, as `word_tags`. Introduced in notebook 06."""
    from seqeval.metrics import f1_score

    pred_tags, gold_tags = _word_tags(predicted, labels, label_set, "entity_f1")
    return float(f1_score(gold_tags, pred_tags, zero_division=0))


@door
def check_learned(score: float, reference: float, *, margin: float, what: str, predictions=None,
                  choice=None) -> str:
    """The self-check after training: `score` must be at least `reference + margin`, and the
    `predictions` (label ids) must not be one label for everything - what a model that learned
    nothing usually answers. Raises AssertionError saying which failed; returns a line saying
    what passed. For the tests' random-weight copy of the book's model (`choice.test_checkpoint`)
    there is nothing to learn from: it returns a line saying the check was skipped, and why.
    Introduced in notebook 06.
    """
    if (score > 1) != (reference > 1):
        raise InputError(f"check_learned(): score={score!r}와 reference={reference!r}의 척도가 다릅니다.",
                         "한쪽은 0~1 비율, 다른 쪽은 백분율(0~100)로 보입니다. 척도가 다르면 비교가 늘 통과하거나 늘 실패합니다.",
                         "둘 다 ft.accuracy(...)나 ft.entity_f1(...)이 돌려준 0~1 값으로 넘기세요(백분율이면 100으로 나누세요).")
    if choice is not None and getattr(choice, "test_checkpoint", False):
        return f"{what} 확인은 건너뜁니다: 시험용 체크포인트(무작위 가중치)에는 배운 것이 없어 학습이 의미 있게 나아질 수 없습니다."
    if predictions is not None:
        ids = torch.as_tensor(predictions)
        classes = sorted(set(ids[ids != IGNORE_INDEX].tolist()))
        assert len(classes) > 1, f"{what}: 모든 자리에 같은 레이블만 답합니다(레이블 ID {classes}). 학습이 되지 않았습니다."
    assert score >= reference + margin, \
        f"{what}: 학습 후 {score:.3f} < 기준 {reference:.3f} + 여유 {margin}. 학습이 충분히 되지 않았습니다."
    return f"{what}: 학습 후 {score:.3f} ≥ 기준 {reference:.3f} + 여유 {margin} (통과)"



# --- how much the tagging split measures ----------------------------------------------------

def ner_template(sentence: TaggedSentence) -> tuple[str, ...]:
    """The sentence's frame: each entity (a B- word and its I- words) becomes `<TYPE>`, other words stay.

    Two sentences with the same template differ only in which names fill the slots, e.g.
    '송다은은 경주에서 태어났다' and '김민수는 부산에서 태어났다' both give ('<PER>', '<LOC>', '태어났다').
    """
    sentence = check_tagged([sentence])[0]
    frame: list[str] = []
    for word, tag in zip(sentence.words, sentence.tags):
        if tag == "O":
            frame.append(word)
        elif tag.startswith("B-") or not frame or frame[-1] != f"<{tag[2:]}>":
            frame.append(f"<{tag[2:]}>")
    return tuple(frame)


@door
def template_overlap(train: Sequence[TaggedSentence], test: Sequence[TaggedSentence]) -> float:
    """Share of `test` sentences whose `ner_template` also occurs in `train` (0 = no shared frame).

    A high share means the test mostly asks the tagger to fill frames it has seen, not to find
    entities in new sentences. Introduced in notebook 06.
    """
    seen = {ner_template(s) for s in check_tagged(train)}
    test = check_tagged(test)
    return sum(ner_template(s) in seen for s in test) / len(test)
