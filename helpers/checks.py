"""Input checks shared by every step: bad input gets a clear Korean message, early.

Each check either returns the value in the form the next step needs, or raises an error
from `helpers.errors` that says what was wrong (with the offending value), why it matters,
and what to do - instead of a long traceback from inside torch or a silently wrong result.
"""

from __future__ import annotations

import contextlib
import functools
import json
import numbers
import unicodedata
import warnings
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np
import torch

from .errors import (SAME_SOURCE_FIX, InputError, MismatchError, TrainModeWarning,
                     UnknownWordWarning)
from .door import door


MODEL_INPUT_KEYS = ("input_ids", "token_type_ids", "attention_mask")


def short_repr(value: Any, limit: int = 60) -> str:
    """`repr(value)`, cut to `limit` characters: how a message quotes a value the learner passed."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"}  # nothing a reader sees


def _is_table(value: Any) -> bool:
    return type(value).__name__ == "DataFrame" and hasattr(value, "columns")


def _as_sequence(sentences: Any) -> Any:
    """A pandas Series or a 1-D NumPy array of strings, as the list it holds (other values as they are)."""
    if type(sentences).__name__ == "Series" and hasattr(sentences, "tolist"):
        return sentences.tolist()
    if isinstance(sentences, np.ndarray) and sentences.ndim == 1:
        return sentences.tolist()
    return sentences


def _refuse_not_a_list(sentences: Any) -> None:
    if isinstance(sentences, str):
        raise InputError(f"문장 목록 대신 문자열 하나를 받았습니다: {short_repr(sentences)}",
                         "문자열을 그대로 넘기면 글자 하나하나가 문장으로 취급됩니다.",
                         f"리스트로 감싸 주세요: [{short_repr(sentences)}]")
    if _is_table(sentences):
        columns = list(sentences.columns)[:4]
        raise InputError(f"문장 목록 대신 표(DataFrame, 열 {columns})를 받았습니다.",
                         "표를 그대로 넘기면 문장이 아니라 열 이름이 문장으로 쓰입니다.",
                         f"문장이 든 열 하나를 넘기세요. 예: df[{str(columns[0])!r}]" if columns else "문장이 든 열 하나를 넘기세요.")
    if isinstance(sentences, Mapping):
        raise InputError(f"문장 목록 대신 사전(dict, 키 {short_repr(list(sentences)[:3])})을 받았습니다.",
                         "사전을 그대로 넘기면 값이 아니라 키가 문장으로 쓰입니다.",
                         "list(d.values()) 처럼 문장 목록을 꺼내 넘기세요.")


def check_sentences(sentences: Any, *, tokenizer=None) -> list[str]:
    """A non-empty list of sentences a reader can see, returned as a new list (order kept).

    Refuses a bare string (wrap it in a list), None, a table or a dict (their column names or
    keys would become the sentences), an empty list, and any item that is not a string, cannot
    be written as UTF-8 (a lone surrogate) or shows nothing (empty, spaces, control or
    zero-width characters, lone combining marks) - naming the position of the first bad item.
    A pandas Series or a 1-D array of strings is accepted. With `tokenizer`, warns when a word
    is longer than a WordPiece vocabulary can split (it silently becomes one [UNK]).
    """
    _refuse_not_a_list(sentences)
    sentences = _as_sequence(sentences)
    if sentences is None or isinstance(sentences, bytes) or not isinstance(sentences, Sequence):
        raise InputError(f"문장 목록 자리에 받은 값: {type(sentences).__name__} {short_repr(sentences)}",
                         "문장(str)들의 리스트가 필요합니다.",
                         "예: ['첫 문장', '두 번째 문장']")
    if len(sentences) == 0:
        raise InputError("빈 문장 목록을 받았습니다.", "벡터로 바꿀 문장이 하나도 없습니다.",
                         "문장을 하나 이상 넣어 주세요.")
    for i, item in enumerate(sentences):
        _check_one_sentence(i, item)
    if tokenizer is not None:
        warn_if_words_become_unknown(tokenizer, sentences)
    return list(sentences)


def _check_one_sentence(i: int, item: Any) -> None:
    if isinstance(item, bytes):
        raise InputError(f"{i}번째 항목이 bytes {short_repr(item)} 입니다.", "토크나이저는 str 만 받습니다.",
                         "item.decode('utf-8') 로 문자열로 바꿔 주세요.")
    if not isinstance(item, str):
        raise InputError(f"{i}번째 항목이 문자열이 아니라 {type(item).__name__} {short_repr(item)} 입니다.",
                         "문장 목록에는 문자열만 들어갈 수 있습니다(중첩 리스트, 숫자, None 은 안 됩니다).",
                         "str(...) 로 바꾸거나 그 항목을 빼 주세요.")
    if not item.strip():
        raise InputError(f"{i}번째 문장이 비어 있거나 공백뿐입니다: {short_repr(item)}",
                         "빈 문장은 [CLS][SEP] 만 남아 의미 있는 벡터가 되지 않습니다.",
                         "빈 문장을 빼고 다시 실행하세요.")
    try:
        item.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = item[exc.start]
        raise InputError(f"{i}번째 문장의 {exc.start}번째 글자({bad!r})를 UTF-8 로 쓸 수 없습니다.",
                         "짝이 없는 서로게이트 문자입니다. 파일을 잘못된 인코딩으로 읽었거나 이모지가 반쪽만 남은 경우입니다.",
                         "파일을 encoding='utf-8' 로 다시 읽거나, text.encode('utf-8', 'replace').decode() 로 고치세요.") from None
    if all(unicodedata.category(ch) in _INVISIBLE for ch in item):
        shown = " ".join(f"U+{ord(ch):04X}" for ch in item[:6]) + (" ..." if len(item) > 6 else "")
        raise InputError(f"{i}번째 문장에는 보이는 글자가 없습니다({shown}).",
                         "제어 문자, 폭 없는 공백, 홀로 남은 결합 기호는 토크나이저가 지워서 [CLS][SEP] 만 남습니다. "
                         "그런 문장은 모두 같은 벡터가 됩니다.",
                         "그 문장을 빼거나, 원래 글자가 남아 있는지 데이터를 확인하세요.")


def warn_if_words_become_unknown(tokenizer, sentences: Sequence[str]) -> None:
    """One UnknownWordWarning when WordPiece turns whole words into a single [UNK] because they are
    longer than `max_input_chars_per_word` (100 characters after normalisation, where lower
    casing splits a Hangul syllable into 2-3 jamo): different texts, identical vectors."""
    backend = getattr(tokenizer, "backend_tokenizer", None)
    limit = getattr(getattr(backend, "model", None), "max_input_chars_per_word", None)
    if not limit or backend.normalizer is None and backend.pre_tokenizer is None:
        return
    hits = []
    for i, sentence in enumerate(sentences):
        if max((len(w) for w in sentence.split()), default=0) * 4 <= limit:
            continue  # no word can grow past the limit (normalisation at most triples a character)
        text = backend.normalizer.normalize_str(sentence) if backend.normalizer else sentence
        words = backend.pre_tokenizer.pre_tokenize_str(text) if backend.pre_tokenizer else [(text, None)]
        if any(len(word) > limit for word, _ in words):
            hits.append(i)
    if hits:
        warnings.warn(UnknownWordWarning(
            f"문장 {len(hits)}개에서 {limit}글자가 넘는 단어가 통째로 [UNK] 하나가 되었습니다 "
            f"({', '.join(f'sentences[{i}]' for i in hits[:5])}{' ...' if len(hits) > 5 else ''}).",
            f"WordPiece 는 한 단어가 {limit}글자(정규화한 뒤, 소문자 변환이면 한글은 자모로 셉니다)를 넘으면 나누지 않고 "
            "[UNK] 로 바꿉니다. 그런 단어는 무엇이었든 같은 벡터가 됩니다.",
            "띄어쓰기가 없는 긴 글이라면 단어 사이를 띄우거나 문장을 나누세요."), stacklevel=3)


def check_sentence_stream(sentences: Any) -> None:
    """InputError unless `sentences` can be a stream of sentences (a list, a file, a generator):
    a string, bytes, None, a number, a table or a dict is refused at once, with what to pass."""
    _refuse_not_a_list(sentences)
    if sentences is None or isinstance(sentences, bytes):
        check_sentences(sentences)  # raises the usual message
    try:
        iter(sentences)
    except TypeError:
        raise InputError(f"문장 스트림 자리에 받은 값: {type(sentences).__name__} {short_repr(sentences)}",
                         "embed_stream 은 문장을 하나씩 꺼낼 수 있는 것(리스트, 파일, 제너레이터)을 받습니다.",
                         "예: embed_stream(open('corpus.txt', encoding='utf-8'), model, tokenizer)") from None


def check_max_length(max_length: Any, config) -> int:
    """`max_length` as an int between 3 and the model's `max_position_embeddings`.

    A longer `max_length` would make torch fail deep inside the position embedding with an
    index error; this says so before anything runs.
    """
    limit = int(config.max_position_embeddings)
    if isinstance(max_length, numbers.Integral) and not isinstance(max_length, bool):
        max_length = int(max_length)  # np.int64 from array arithmetic is the same number
    if isinstance(max_length, bool) or not isinstance(max_length, int):
        raise InputError(f"max_length 에 정수가 아닌 값을 받았습니다: {type(max_length).__name__} {short_repr(max_length)}",
                         "max_length 는 토큰 개수(정수)입니다.", f"예: max_length=128 (최대 {limit})")
    if max_length < 3:
        raise InputError(f"max_length 가 너무 작습니다: max_length={max_length}",
                         "[CLS] 와 [SEP] 를 넣으면 실제 토큰이 들어갈 자리가 없습니다.", "3 이상으로 정하세요.")
    if max_length > limit:
        raise InputError(f"max_length 가 이 모델의 위치 수보다 큽니다: max_length={max_length}, max_position_embeddings={limit}",
                         f"BERT 는 위치 0~{limit - 1} 의 벡터만 배웠습니다. 더 긴 입력은 모델 안에서 텐서 크기가 맞지 않는다는 RuntimeError 가 납니다.",
                         f"max_length 를 {limit} 이하로 정하세요.")
    return max_length


def _is_tokenizer(value: Any) -> bool:
    from transformers import PreTrainedTokenizerBase

    return isinstance(value, PreTrainedTokenizerBase)


def _is_model(value: Any) -> bool:
    return isinstance(value, torch.nn.Module) and hasattr(value, "config")


def refuse_misplaced(role: str, value: Any, loader: str) -> None:
    """Raise InputError when `value`, given as `role` ('model' or 'tokenizer'), is the other
    object (arguments swapped) or a name instead of a loaded object."""
    other = "tokenizer" if role == "model" else "model"
    if (_is_tokenizer if role == "model" else _is_model)(value):
        kind = "토크나이저" if role == "model" else "모델"
        raise InputError(f"{role} 자리에 {kind}({type(value).__name__})가 들어왔습니다.",
                         f"model 과 tokenizer 인자의 순서가 바뀐 것 같습니다({role} 자리에 {other} 가 들어옴).",
                         "함수의 인자 순서를 확인하세요. 예: embed(sentences, model, tokenizer)")
    if isinstance(value, (str, Path)):
        raise InputError(f"{role} 자리에 객체가 아니라 이름이 들어왔습니다: {short_repr(str(value))}",
                         "이름이 아니라 불러온 객체가 필요합니다.",
                         f"{role} = {loader}(choice) 로 먼저 불러오세요.")


def check_tokenizer(tokenizer: Any) -> None:
    """Raise InputError unless `tokenizer` is a loaded Hugging Face tokenizer with a real vocabulary.

    A 5-token tokenizer (what `BertTokenizer(vocab_file=...)` builds in transformers 5.x) raises
    BrokenTokenizerError. Names the two usual slips: a model passed where the tokenizer goes (arguments swapped), and
    a model name (a string) passed instead of the tokenizer loaded from it.
    """
    if _is_tokenizer(tokenizer):
        from .loading import check_tokenizer_size

        check_tokenizer_size(tokenizer, None, asked=getattr(tokenizer, "name_or_path", "") or None)
        return
    refuse_misplaced("tokenizer", tokenizer, "load_tokenizer")
    raise InputError(f"tokenizer 자리에 받은 값: {type(tokenizer).__name__} {short_repr(tokenizer)}",
                     "Hugging Face 토크나이저가 필요합니다.", "tokenizer = load_tokenizer(choice) 로 불러오세요.")


def check_model(model: Any) -> None:
    """Raise InputError unless `model` has a BERT `config` (a loaded model).

    Names the two usual slips: a tokenizer passed where the model goes (arguments swapped), and
    a model name (a string) passed instead of the model loaded from it.
    """
    refuse_misplaced("model", model, "load_model")
    config = getattr(model, "config", None)
    if config is None or not hasattr(config, "vocab_size"):
        raise InputError(f"model 자리에 받은 값: {type(model).__name__} {short_repr(model)}",
                         "config(vocab_size, max_position_embeddings 등)를 가진 BERT 모델이 필요합니다.",
                         "model = load_model(choice) 로 불러오세요.")
    prefix = getattr(model, "base_model_prefix", "")
    inner = getattr(model, prefix, None) if prefix else None
    if isinstance(inner, torch.nn.Module) and inner is not model and not hasattr(model, "encoder"):
        raise InputError(f"model 자리에 분류층이 얹힌 모델이 들어왔습니다: {type(model).__name__}",
                         "이 도우미는 토큰 벡터(last_hidden_state)를 내는 BERT 본체가 필요합니다. 분류 모델의 출력은 로짓입니다.",
                         f"본체를 넘기세요: model.{prefix}")
    if isinstance(model, torch.nn.Module) and any(p.device.type == "meta" for p in model.parameters()):
        raise InputError("model 의 가중치가 meta 장치에 있습니다(셰이프만 있고 숫자가 없음).",
                         "torch.device('meta') 안에서 만든 모델은 틀만 있어 계산할 수 없습니다.",
                         "load_model(choice) 로 가중치를 불러온 모델을 쓰세요.")


def _model_folder(model) -> Path | None:
    """The local folder `model` was loaded from (its own choice, or the path transformers kept)."""
    from .hub import cached_snapshot

    choice = getattr(model, "bertvec_choice", None)
    for candidate in (getattr(choice, "path", None), getattr(model.config, "_name_or_path", None),
                      getattr(model, "name_or_path", None)):
        if not candidate or not isinstance(candidate, (str, Path)):
            continue
        if Path(candidate).is_dir():
            return Path(candidate)
        if "/" in str(candidate) and not str(candidate).startswith(("/", ".")):
            snapshot = cached_snapshot(str(candidate))
            if snapshot is not None:
                return snapshot
    return None


@functools.lru_cache(maxsize=8)
def _folder_tokens(folder: str, mtime: float) -> tuple[str, ...] | None:
    """The tokens of a model folder's vocabulary in id order (vocab.txt or tokenizer.json)."""
    path = Path(folder)
    if (path / "vocab.txt").is_file():
        return tuple(path.joinpath("vocab.txt").read_text(encoding="utf-8").splitlines())
    if (path / "tokenizer.json").is_file():
        model = json.loads(path.joinpath("tokenizer.json").read_text(encoding="utf-8")).get("model", {})
        vocab = model.get("vocab")
        if isinstance(vocab, list):  # Unigram: [[piece, score], ...]
            return tuple(entry[0] for entry in vocab)
        if isinstance(vocab, dict):  # WordPiece / BPE: {token: id}
            return tuple(sorted(vocab, key=vocab.__getitem__))
    return None


def reference_tokens(model) -> tuple[str, ...] | None:
    """The vocabulary that came with `model` (from the folder it was loaded from), or None when
    that folder is unknown or holds no tokenizer files."""
    folder = _model_folder(model)
    if folder is None:
        return None
    files = [folder / name for name in ("vocab.txt", "tokenizer.json") if (folder / name).is_file()]
    return _folder_tokens(str(folder.resolve()), files[0].stat().st_mtime) if files else None


def _vocabulary_agrees(tokenizer, tokens: Sequence[str]) -> bool:
    """True when `tokenizer` gives every token of `tokens` the id it has there (a sample of ids
    spread over the whole vocabulary, plus the first 1,000)."""
    n = len(tokens)
    ids = sorted(set(range(min(n, 1000))) | set(range(0, n, max(1, n // 2000))))
    return tokenizer.convert_ids_to_tokens(ids) == [tokens[i] for i in ids]


@door
def check_pair(tokenizer, model) -> None:
    """Raise MismatchError when `tokenizer` and `model` do not belong together.

    Where the folder the model came from has its own vocabulary, the tokenizer must give the
    same ids to the same pieces (same size but other words is caught too); a model may have more
    embedding rows than the tokenizer has pieces, never fewer. Where the model's vocabulary is
    unknown, the sizes must be equal. Also compares the [PAD] id with `config.pad_token_id`. A
    mismatched pair gives garbage vectors or an index error. A tokenizer far smaller than a real
    vocabulary (transformers 5.x builds a 5-token one from `BertTokenizer(vocab_file=...)`)
    raises BrokenTokenizerError first; swapped arguments or a name instead of a loaded object
    raise InputError (see `check_model`, `check_tokenizer`). Introduced in notebook 01.
    """
    from .loading import check_tokenizer_size

    check_model(model)
    config = model.config
    if _is_tokenizer(tokenizer) and len(tokenizer) < 100:  # the 5-token tokenizer: say what was expected
        check_tokenizer_size(tokenizer, config.vocab_size, asked=getattr(tokenizer, "name_or_path", "") or None)
    check_tokenizer(tokenizer)
    size, rows = len(tokenizer), config.vocab_size
    tokens = reference_tokens(model)
    agrees = _vocabulary_agrees(tokenizer, tokens[:min(size, len(tokens))]) if tokens is not None else None
    if size > rows and agrees:
        raise MismatchError(f"토크나이저 어휘 수({size:,})가 모델의 vocab_size({rows:,})보다 큽니다.",
                            "토크나이저에 새 토큰을 더했지만(add_tokens) 모델의 임베딩 표는 그대로라, 새 토큰의 ID 는 "
                            "표 밖을 가리킵니다.",
                            "model.resize_token_embeddings(len(tokenizer)) 로 표를 늘린 뒤 파인튜닝하세요.")
    if agrees is False or (agrees is None and size != rows) or size > rows:
        first = (f"토크나이저 어휘 수({size:,})와 모델의 vocab_size({rows:,})가 다릅니다." if size != rows else
                 f"토크나이저와 모델의 어휘 수({size:,})는 같지만, 같은 ID 가 다른 조각을 뜻합니다.")
        raise MismatchError(first, "다른 모델의 토크나이저를 쓰면 같은 ID 가 다른 단어를 뜻해 벡터가 엉터리가 됩니다.",
                            SAME_SOURCE_FIX)
    if getattr(tokenizer, "pad_token_id", None) is None:
        raise MismatchError("토크나이저에 [PAD] 토큰이 없습니다.",
                            "여러 문장을 한 텐서로 묶으려면 짧은 문장을 [PAD] 로 채워야 합니다.",
                            "토크나이저와 모델을 같은 곳에서 불러오세요.")
    pad = getattr(config, "pad_token_id", None)
    if pad is not None and tokenizer.pad_token_id != pad:
        raise MismatchError(f"[PAD] ID 가 다릅니다: 토크나이저 {tokenizer.pad_token_id}, 모델 {pad}.",
                            "패딩 위치를 모델이 다른 토큰으로 읽게 됩니다.",
                            "토크나이저와 모델을 같은 곳에서 불러오세요.")


@door
def check_model_inputs(features: Mapping[str, Any], model, *, caller: str = "check_model_inputs") -> dict[str, torch.Tensor]:
    """The model inputs of `features` as a dict of 2-D integer tensors, checked against `model`.

    Refuses Python lists (transformers 5.x models need tensors: use `return_tensors="pt"` or
    `torch.tensor`), float tensors, tensors that are not [batch, seq], keys whose shapes
    disagree, ids outside the vocabulary and sequences longer than the position limit; a
    tokenizer of another model is named as coming from `caller` (the helper the learner called).
    Introduced in notebook 04.
    """
    config = model.config
    if not isinstance(features, Mapping) or "input_ids" not in features:
        raise InputError(f"모델 입력 자리에 받은 값: {type(features).__name__}",
                         "input_ids 가 든 사전(토크나이저의 결과)이 필요합니다.",
                         "features = tokenizer(문장들, return_tensors='pt') 로 만드세요.")
    tensors: dict[str, torch.Tensor] = {}
    for key in MODEL_INPUT_KEYS:
        if key not in features:
            continue
        value = features[key]
        if isinstance(value, (list, tuple)):
            raise InputError(f"{key} 가 텐서가 아니라 파이썬 리스트입니다.",
                             "transformers 5.x 의 모델은 리스트를 받지 않습니다 ('list' object has no attribute 'size').",
                             "tokenizer(..., return_tensors='pt') 를 쓰거나 torch.tensor(...) 로 바꾸세요.")
        if not isinstance(value, torch.Tensor):
            raise InputError(f"{key} 자리에 받은 값: {type(value).__name__}", "torch 텐서가 필요합니다.",
                             "tokenizer(..., return_tensors='pt') 를 쓰세요.")
        if value.is_floating_point() or value.dtype == torch.bool:
            raise InputError(f"{key} 의 dtype 이 {value.dtype} 입니다.", "ID 와 마스크는 정수여야 합니다.",
                             f"{key}.long() 으로 바꾸세요.")
        if value.dim() != 2:
            raise InputError(f"{key} 의 셰이프가 {tuple(value.shape)} 입니다.",
                             "모델은 [batch, seq] 셰이프의 2차원 텐서를 받습니다.",
                             "문장 하나라도 리스트로 감싸 토크나이저에 넣거나 .unsqueeze(0) 을 쓰세요.")
        tensors[key] = value
    shapes = {key: tuple(t.shape) for key, t in tensors.items()}
    if len(set(shapes.values())) > 1:
        raise InputError(f"입력들의 셰이프가 서로 다릅니다: {shapes}.",
                         "input_ids 와 attention_mask 는 문장 수와 길이가 같아야 합니다.",
                         "같은 토크나이저 호출에서 나온 결과를 그대로 쓰세요.")
    ids = tensors["input_ids"]
    if ids.numel() and (int(ids.max()) >= config.vocab_size or int(ids.min()) < 0):
        raise InputError(f"input_ids 에 어휘 밖의 ID 가 있습니다: {int(ids.min())}~{int(ids.max())}",
                         f"이 모델의 어휘는 0~{config.vocab_size - 1} 입니다. 다른 모델의 토크나이저를 쓴 것 같습니다.",
                         "토크나이저와 모델을 같은 이름으로 불러오세요.")
    if ids.shape[1] > config.max_position_embeddings:
        raise InputError(f"입력이 모델의 위치 수보다 깁니다: 길이 {ids.shape[1]}, max_position_embeddings={config.max_position_embeddings}",
                         "BERT 는 그보다 긴 위치를 모릅니다.",
                         f"tokenizer(..., truncation=True, max_length={config.max_position_embeddings}) 로 자르세요.")
    check_features_fit(tensors, model, caller)
    return tensors


def check_right_padded(attention_mask: Any, caller: str) -> None:
    """InputError when a row of `attention_mask` [batch, seq] has a 0 (padding) before a 1 (a token)."""
    if not isinstance(attention_mask, torch.Tensor) or attention_mask.dim() != 2:
        return
    on = attention_mask != 0
    left = (~on[:, :-1] & on[:, 1:]).any(dim=1).nonzero().flatten().tolist()
    if left:
        raise InputError(f"{caller}(): attention_mask의 {left[:5]}번째 행에서 0(패딩) 뒤에 1(토큰)이 옵니다.",
                         "패딩이 문장 앞(왼쪽)에 있습니다. 이 시리즈는 BERT처럼 패딩이 문장 뒤(오른쪽)에 있다고 보고 "
                         "[CLS]를 0번 자리에서 읽고, 쓰지 않는 뒤쪽 열을 잘라 냅니다.",
                         "tokenizer.padding_side = 'right' 로 바꾼 뒤 features를 다시 만드세요.")


def check_features_tokenizer(features: Mapping[str, Any], tokenizer, caller: str) -> None:
    """MismatchError when `features` were not made by `tokenizer`: its [PAD] id must sit where the
    mask is 0, its [CLS] id first, every id inside its vocabulary (a table read with the other
    tokenizer shows wrong pieces)."""
    ids, mask = features.get("input_ids"), features.get("attention_mask")
    if not hasattr(ids, "tolist"):
        return
    ids = torch.as_tensor(ids)
    mask = torch.as_tensor(mask) if hasattr(mask, "tolist") else None
    if ids.dim() != 2 or not ids.numel():
        return
    fix = "features를 만든 그 토크나이저를 함께 넘기세요."
    on = mask != 0 if mask is not None and mask.shape == ids.shape else None
    _check_special_ids(ids, on, getattr(tokenizer, "pad_token_id", None), getattr(tokenizer, "cls_token_id", None),
                       "이 토크나이저", caller, fix)
    if int(ids.max()) >= len(tokenizer):
        raise MismatchError(f"{caller}(): features에 이 토크나이저의 어휘({len(tokenizer):,}개) 밖의 ID {int(ids.max())}가 있습니다.",
                            "다른 토크나이저의 ID를 이 토크나이저로 읽으면 엉뚱한 토큰이 보입니다.", fix)


def _check_special_ids(ids: torch.Tensor, on: torch.Tensor | None, pad: int | None, cls: int | None, owner: str,
                       caller: str, fix: str) -> None:
    """MismatchError when the padded positions (`on` False) hold another id than `pad`, or every row
    starts with one id that is not `cls`: the features came from another tokenizer. `owner` names
    whose ids these are ("이 모델", "이 토크나이저")."""
    why = ("features를 다른 모델의 토크나이저로 만든 것 같습니다. 두 어휘의 ID는 대부분 서로의 범위 안에 있어서, "
           "오류 없이 엉뚱한 조각을 읽게 됩니다(특수 토큰의 번호는 모델마다 다릅니다).")
    seen = ids[~on] if on is not None else ids[:0]
    if pad is not None and seen.numel() and bool((seen != pad).any()):
        raise MismatchError(f"{caller}(): 패딩 자리(attention_mask 0)의 ID가 {sorted(set(seen.tolist()))[:5]}인데, "
                            f"{owner}의 [PAD] ID는 {pad}입니다.", why, fix)
    first = sorted(set(ids[:, 0].tolist()))
    if cls is not None and len(first) == 1 and first != [cls]:
        raise MismatchError(f"{caller}(): 문장이 ID {first[0]}로 시작하는데, {owner}의 [CLS] ID는 {cls}입니다.", why, fix)


_CLS_PIECES = ("[CLS]", "<s>")  # BERT's WordPiece vocabularies and XLM-R/e5's SentencePiece one


def check_features_fit(features: Mapping[str, Any], model, caller: str) -> None:
    """Meaning checks that types cannot make: `features` padded on the right (the helpers read [CLS]
    at position 0 and cut unused columns off the end), and made by this model's own tokenizer - its
    [PAD] id at the padded positions, its [CLS] id first. Ids of another model's tokenizer are
    mostly valid here too (the book's KcBERT tokenizer beside the embedded model), so only the
    special ids can tell; a silent wrong answer becomes a MismatchError naming `caller`. Also a
    mask with 1 on [PAD] tokens and token_type_ids that do not start at 0 or pass the model's kinds."""
    ids, mask = features.get("input_ids"), features.get("attention_mask")
    if not isinstance(ids, torch.Tensor) or ids.dim() != 2 or not ids.numel():
        return
    config = getattr(model, "config", None)
    pad = getattr(config, "pad_token_id", None)
    on = mask != 0 if isinstance(mask, torch.Tensor) and mask.shape == ids.shape else None
    if on is not None:
        check_right_padded(mask, caller)
    tokens = reference_tokens(model) if config is not None else None
    cls = next((tokens.index(piece) for piece in _CLS_PIECES if tokens and piece in tokens), None)
    _check_special_ids(ids, on, pad, cls, "이 모델", caller, SAME_SOURCE_FIX)
    if on is not None:
        _check_padding_ids(ids, on, pad, caller)
    _check_token_types(features.get("token_type_ids"), getattr(config, "type_vocab_size", None), caller)


def _check_padding_ids(ids: torch.Tensor, on: torch.Tensor, pad: int | None, caller: str) -> None:
    """InputError when a [PAD] token sits where the mask says 1 (a mask rebuilt by hand)."""
    if pad is not None and bool((ids[on] == pad).any()):
        rows = sorted(set((on & (ids == pad)).nonzero()[:, 0].tolist()))
        raise InputError(f"{caller}(): [PAD] 토큰(ID {pad})인데 attention_mask가 1인 자리가 있습니다(행 {rows[:5]}).",
                         "attention_mask는 진짜 토큰에 1, 패딩에 0을 둡니다. 패딩에 1이 있으면 모델이 [PAD]까지 읽어 "
                         "벡터가 달라집니다(마스크를 새로 만들거나 torch.ones로 채운 경우).",
                         "토크나이저가 돌려준 attention_mask를 그대로 쓰세요.")


def _check_token_types(types: Any, kinds: int | None, caller: str) -> None:
    if not isinstance(types, torch.Tensor) or types.dim() != 2 or not types.numel():
        return
    fix = "토크나이저가 돌려준 token_type_ids를 그대로 쓰거나, 빼고 넘기세요."
    if bool((types[:, 0] != 0).any()):
        raise InputError(f"{caller}(): token_type_ids가 0이 아닌 값으로 시작하는 행이 있습니다"
                         f"(행 {(types[:, 0] != 0).nonzero().flatten().tolist()[:5]}).",
                         "token_type_ids는 첫 문장(0)과 둘째 문장(1)을 나눕니다. 첫 문장에 속하는 [CLS]는 언제나 0입니다. "
                         "모두 1로 채우면 모델이 한 문장을 둘째 문장으로 읽어 벡터가 달라집니다.", fix)
    if isinstance(kinds, int) and int(types.max()) >= kinds:
        raise InputError(f"{caller}(): token_type_ids에 {int(types.max())}이(가) 있는데, 이 모델의 문장 구분 종류는 "
                         f"{kinds}개(0~{kinds - 1})입니다.",
                         "모델에 없는 문장 구분 번호는 임베딩 표 밖을 가리킵니다.", fix)


_DEVICES = {"cuda": "NVIDIA GPU", "mps": "Apple GPU(Metal)", "xpu": "Intel GPU"}


def _device_available(kind: str) -> bool:
    if kind == "cuda":
        return torch.cuda.is_available()
    backend = getattr(torch.backends, kind, None) if kind == "mps" else getattr(torch, kind, None)
    return bool(backend is not None and getattr(backend, "is_available", lambda: False)())


def check_device(device: str | torch.device = "auto") -> torch.device:
    """The torch device to use: 'auto' picks CUDA when available, else CPU.

    Asking for 'cuda', 'mps' or 'xpu' on a machine without that device raises InputError (not
    torch's long 'Torch not compiled with ...' traceback); so does 'meta' (shapes only: no
    numbers to compute with) and a name torch does not know.
    """
    if str(device) == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        chosen = torch.device(device)
    except (RuntimeError, TypeError) as exc:
        raise InputError(f"알 수 없는 장치 이름입니다: device={short_repr(device)}", str(exc).splitlines()[0][:160],
                         "'auto', 'cpu', 'cuda' 중 하나를 쓰세요.") from None
    if chosen.type == "meta":
        raise InputError("device='meta' 로는 계산할 수 없습니다.",
                         "meta 장치의 텐서에는 셰이프만 있고 숫자가 없습니다(모델의 틀만 만들 때 씁니다).",
                         "device='auto' 나 'cpu' 를 쓰세요.")
    if chosen.type in _DEVICES and not _device_available(chosen.type):
        raise InputError(f"이 컴퓨터에는 요청한 장치가 없습니다: device={short_repr(device)} ({_DEVICES[chosen.type]})",
                         f"torch 가 {chosen.type} 장치를 찾지 못했습니다(그 장치용 빌드가 아니거나 장치가 없음).",
                         "device='auto' 나 'cpu' 를 쓰세요. Colab 이라면 런타임 유형을 GPU 로 바꾸세요.")
    return chosen


def refuse_unknown_keywords(caller: str, keywords: Mapping[str, Any], *, instead: Mapping[str, str]) -> None:
    """InputError naming a keyword argument `caller` does not have - a 2021-era one such as
    `pad_to_max_length` (transformers 4.x) or a typo - with what to write instead when
    `instead` knows the name, else where to look."""
    if not keywords:
        return
    name = next(iter(keywords))
    known = instead.get(name)
    raise InputError(f"{caller} 에 없는 인자를 받았습니다: {name}={short_repr(keywords[name])}",
                     "transformers 4.x 시절의 예제에 나오는 인자입니다." if known else
                     f"{caller} 에는 이 이름의 인자가 없습니다(오타일 수도 있습니다).",
                     f"대신 이렇게 쓰세요: {known}" if known else f"help({caller}) 로 받는 인자를 확인하세요.")


def check_positive_int(name: str, value: Any, *, example: int, meaning: str = "") -> int:
    """`value` as a plain int of at least 1, or InputError in the one shape every count uses.

    NumPy integers (`np.int64(128)`, what arithmetic on arrays returns) are accepted as the
    number they are; bools, floats, strings and numbers below 1 are refused. `meaning` says in a
    few Korean words what the count is ("한 번에 모델에 넣는 문장 수").
    """
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        what = f"{meaning}(1 이상의 정수)" if meaning else "1 이상의 정수"
        raise InputError(f"{name} 에 쓸 수 없는 값을 받았습니다: {short_repr(value)}",
                         f"{name}: {what}가 필요합니다.", f"예: {name}={example}")
    return value


def check_batch_size(batch_size: Any) -> int:
    """`batch_size` as a positive int (how many sentences run through the model at once)."""
    return check_positive_int("batch_size", batch_size, example=32, meaning="한 번에 모델에 넣는 문장 수")


@contextlib.contextmanager
def eval_mode(model, caller: str):
    """Run the block with `model` in eval mode (dropout off, the same vectors every call).

    A model left in train mode (after fine-tuning, say) would give different vectors on every
    call: it is switched to eval mode for the block, with a TrainModeWarning, and put back in
    train mode afterwards.
    """
    if not getattr(model, "training", False):
        yield model
        return
    warnings.warn(TrainModeWarning(
        f"모델이 학습 모드(model.train())여서 {caller} 동안 평가 모드로 바꿔 계산했습니다.",
        "학습 모드에서는 드롭아웃 때문에 같은 문장도 부를 때마다 다른 벡터가 나옵니다.",
        "벡터를 뽑기 전에 model.eval() 을 부르세요(계산이 끝나면 다시 학습 모드로 돌려놓았습니다)."), stacklevel=4)
    modes = [(module, module.training) for module in model.modules()]
    model.eval()
    try:
        yield model
    finally:
        for module, training in modes:  # exactly as it was: train() would also switch eval submodules
            module.training = training

