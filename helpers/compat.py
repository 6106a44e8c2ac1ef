"""What differs between the transformers versions the project supports (pyproject.toml's range).

`silence_known_spurious_warnings` runs when `helpers` is imported. It drops exactly one message:
from transformers 5.15 (still in Colab's runtime), loading *any* tokenizer from a local folder (or
offline) whose `config.json` has no `transformers_version` says it has "an incorrect regex pattern"
and should be loaded with `fix_mistral_regex=True`. That check is meant for Mistral's tokenizers;
the book's KcBERT files and the embedded multilingual-e5 folder have no such field and are not
Mistral tokenizers (WordPiece and Unigram, no Split regex), so the warning is false for every
model this series loads. Newer transformers releases skip the check for non-Mistral configs.
"""

from __future__ import annotations

import logging

_TOKENIZER_LOGGER = "transformers.tokenization_utils_tokenizers"


class _DropMistralRegexWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "fix_mistral_regex" not in record.getMessage()


_FILTER = _DropMistralRegexWarning()


def silence_known_spurious_warnings() -> None:
    """Install the filter above on transformers' tokenizer logger (idempotent)."""
    logging.getLogger(_TOKENIZER_LOGGER).addFilter(_FILTER)
