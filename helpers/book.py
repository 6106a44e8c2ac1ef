"""What the textbook chapter uses: its model, its tokenizer files, the numbers it prints.

The book runs `beomi/kcbert-base` (KcBERT). Its tokenizer files ship with this project
(`helpers/data/kcbert-base/`, MIT, no weights), so the book's pieces and ids can be shown and
checked offline. `is_book_model_folder` recognises the book's model by its files - the same
vocabulary and the same architecture - wherever it sits (a cache snapshot, a classroom kit).
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

BOOK_MODEL = "beomi/kcbert-base"
"""The model the textbook chapter uses (Korean BERT, 12 layers, hidden 768, 30,000 pieces)."""

BOOK_TOKENIZER_DIR = Path(__file__).resolve().parent / "data" / "kcbert-base"
"""The project's copy of kcbert-base's vocab.txt, config.json and tokenizer_config.json."""

BOOK_IDS: dict[str, list[int]] = {
    "안녕하세요": [2, 19017, 8482, 3],
    "하이!": [2, 15830, 5, 3],
}
"""Ids the book prints for KcBERT's tokenizer (with [CLS]=2 and [SEP]=3)."""

BOOK_PADDED_IDS: list[list[int]] = [[2, 19017, 8482, 3, 0, 0, 0, 0, 0, 0], [2, 15830, 5, 3, 0, 0, 0, 0, 0, 0]]
"""The book's `input_ids` for both sentences at `max_length=10`, `padding="max_length"`."""

KCBERT_SPECIAL_IDS: dict[str, int] = {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "[MASK]": 4}
"""KcBERT's special-token ids (the first five lines of its vocab.txt)."""

_ARCHITECTURE = ("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads",
                 "intermediate_size", "max_position_embeddings", "type_vocab_size")


@functools.lru_cache(maxsize=None)
def _sha256(path: Path, size: int, mtime: float) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _file_hash(path: Path) -> str | None:
    if not path.is_file():
        return None
    stat = path.stat()
    return _sha256(path.resolve(), stat.st_size, stat.st_mtime)


def _architecture(folder: Path) -> tuple | None:
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return tuple(config.get(field) for field in _ARCHITECTURE) if isinstance(config, dict) else None


def is_book_model_folder(folder: str | Path) -> bool:
    """True when `folder` holds the book's vocabulary (byte for byte) and its architecture.

    Recognises KcBERT by its files, not by a name field: the hub's `config.json` carries no
    `_name_or_path`, and a snapshot or a copied folder has an arbitrary path.
    """
    folder = Path(folder)
    book_vocab = _file_hash(BOOK_TOKENIZER_DIR / "vocab.txt")
    return (book_vocab is not None and _file_hash(folder / "vocab.txt") == book_vocab
            and _architecture(folder) == _architecture(BOOK_TOKENIZER_DIR))
