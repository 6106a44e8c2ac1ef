"""Step 02: the tokenizer - WordPiece pieces and ids, `do_lower_case`, and which vocabulary.

Used by `notebooks/02_tokenizer.ipynb`. The book's tokenizer is KcBERT's (`beomi/kcbert-base`,
a cased Korean WordPiece vocabulary of 30,000 pieces). Its files (no weights) ship with this
project (`helpers.book.BOOK_TOKENIZER_DIR`), so the book's exact pieces and ids can be shown
offline; `find_kcbert_tokenizer_dir` says where they are.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping, Sequence

import pandas as pd

from .book import BOOK_IDS, BOOK_MODEL, BOOK_TOKENIZER_DIR, KCBERT_SPECIAL_IDS  # noqa: F401 - re-exported
from .checks import check_sentences, check_tokenizer
from .errors import InputError, ModelNotAvailableError
from .hub import cached_snapshot
from .door import door

KCBERT_DIR_ENV_VAR = "BERTVEC_KCBERT_DIR"
"""Environment variable naming another folder with KcBERT's `vocab.txt` and `config.json`."""


def _is_tokenizer_dir(folder: Path) -> bool:
    return (folder / "vocab.txt").is_file() and (folder / "config.json").is_file()


@door
def find_kcbert_tokenizer_dir() -> Path:
    """The folder holding KcBERT's tokenizer files (`vocab.txt`, `config.json`, `tokenizer_config.json`).

    Looks, in order, at the folder named by `BERTVEC_KCBERT_DIR`, at the project's own copy
    (package data), and at the Hugging Face cache snapshot of `beomi/kcbert-base`. Makes no
    network call. Raises ModelNotAvailableError when `BERTVEC_KCBERT_DIR` is set but does not
    name such a folder (you asked for it, so it is not silently skipped), or when even the
    project's copy is gone (a broken installation). Introduced in notebook 02.
    """
    from_env = os.environ.get(KCBERT_DIR_ENV_VAR, "").strip()
    if from_env:
        folder = Path(from_env).expanduser()
        if not _is_tokenizer_dir(folder):
            raise ModelNotAvailableError(
                f"환경 변수가 가리키는 폴더에서 KcBERT 토크나이저 파일을 찾지 못했습니다: {KCBERT_DIR_ENV_VAR}={from_env}",
                "그 폴더에 vocab.txt 와 config.json 이 함께 있지 않습니다.",
                f"두 파일이 든 폴더를 지정하거나, 환경 변수를 지우세요: unset {KCBERT_DIR_ENV_VAR}",
            )
        return folder.resolve()
    if _is_tokenizer_dir(BOOK_TOKENIZER_DIR):
        return BOOK_TOKENIZER_DIR
    snapshot = cached_snapshot(BOOK_MODEL)
    if snapshot is not None and _is_tokenizer_dir(snapshot):
        return snapshot
    raise ModelNotAvailableError("책의 토크나이저 파일(kcbert-base)을 찾으려 했습니다.",
                                 "프로젝트에 들어 있어야 할 helpers/data/kcbert-base 폴더가 없습니다(설치가 불완전함).",
                                 "저장소를 다시 받거나 `pip install -e .` 로 다시 설치하세요.")


@door
def load_book_tokenizer(*, do_lower_case: bool = False):
    """The book's tokenizer (KcBERT's vocabulary, from the project's copy), `do_lower_case=False`
    as the book loads it unless asked otherwise. Introduced in notebook 02."""
    from .loading import load_tokenizer

    return load_tokenizer(str(find_kcbert_tokenizer_dir()), do_lower_case=do_lower_case)


def _one_sentence(sentence: str) -> str:
    return check_sentences([sentence])[0]


@door
def pieces_table(tokenizer, sentence: str) -> pd.DataFrame:
    """One row per token of `sentence` (with [CLS] and [SEP]): piece, id, is-continuation.

    `continuation` is True for WordPiece pieces that glue onto the previous one (`##...`);
    `special` is True for the tokens the tokenizer adds ([CLS], [SEP], [PAD], [MASK]);
    `unknown` is True for [UNK] (a word the vocabulary cannot build). Refuses an empty or
    non-string sentence. Introduced in notebook 02.
    """
    check_tokenizer(tokenizer)
    sentence = _one_sentence(sentence)
    ids = tokenizer(sentence)["input_ids"]
    pieces = tokenizer.convert_ids_to_tokens(ids)
    special = set(tokenizer.all_special_ids) - {tokenizer.unk_token_id}
    return pd.DataFrame({
        "piece": pieces,
        "id": ids,
        "continuation": [p.startswith("##") for p in pieces],
        "special": [i in special for i in ids],
        "unknown": [i == tokenizer.unk_token_id for i in ids],
    })


@door
def special_token_ids(tokenizer) -> dict[str, int]:
    """The ids of [PAD], [UNK], [CLS], [SEP] and [MASK] in `tokenizer`'s vocabulary. Introduced in notebook 02."""
    tokens = {"[PAD]": tokenizer.pad_token, "[UNK]": tokenizer.unk_token, "[CLS]": tokenizer.cls_token,
              "[SEP]": tokenizer.sep_token, "[MASK]": tokenizer.mask_token}
    return {name: tokenizer.convert_tokens_to_ids(token) for name, token in tokens.items()}


@door
def unk_rate(tokenizer, sentences: Sequence[str]) -> float:
    """Share of tokens that are [UNK] across `sentences` (0.0-1.0), special tokens not counted.

    Raises InputError if `sentences` is empty, a bare string, or holds a non-string or blank item.
    Introduced in notebook 02.
    """
    check_tokenizer(tokenizer)
    sentences = check_sentences(sentences)
    encoded = tokenizer(sentences, add_special_tokens=False)["input_ids"]
    total = sum(len(ids) for ids in encoded)
    unknown = sum(ids.count(tokenizer.unk_token_id) for ids in encoded)
    return unknown / total if total else 0.0


@door
def normalized_text(tokenizer, text: str) -> str:
    """What `tokenizer`'s normalizer makes of `text` before splitting it into pieces.

    With `do_lower_case=True` the BERT normalizer also strips accents, which decomposes each
    Hangul syllable into its jamo (e.g. 5 syllables of 안녕하세요 become 12 characters). Introduced in notebook 02.
    """
    text = _one_sentence(text)
    return tokenizer.backend_tokenizer.normalizer.normalize_str(text)


@door
def compare_tokenizers(tokenizers: Mapping[str, object], sentence: str) -> pd.DataFrame:
    """One row per named tokenizer: how it splits `sentence` (pieces, count, [UNK]s, ids).

    `tokenizers` maps a label (say which model/setting) to a tokenizer. Tokenizers that split
    the sentence identically share one row, labelled with all their names joined by " = ".
    Refuses an empty mapping and an empty or non-string sentence. Introduced in notebook 02.
    """
    sentence = _one_sentence(sentence)
    if not tokenizers:
        raise InputError("비교할 토크나이저를 하나도 받지 못했습니다.", "빈 사전에는 비교할 대상이 없습니다.",
                         "{'이름': 토크나이저} 모양의 사전을 넘겨 주세요.")
    rows: list[dict] = []
    for label, tok in tokenizers.items():
        ids = tok(sentence, add_special_tokens=False)["input_ids"]
        pieces = " ".join(tok.convert_ids_to_tokens(ids))
        same = next((row for row in rows if row["pieces"] == pieces and row["ids"] == ids), None)
        if same is not None:
            same["tokenizer"] += f" = {label}"
            continue
        rows.append({"tokenizer": label, "pieces": pieces, "n_pieces": len(ids),
                     "n_unk": ids.count(tok.unk_token_id), "ids": ids})
    return pd.DataFrame(rows).set_index("tokenizer")
