"""helpers/compat.py: the one transformers message the project silences, and nothing else."""

from __future__ import annotations

import logging

import helpers  # noqa: F401  (importing helpers installs the filter)

SPURIOUS = ("The tokenizer you are loading from '/x/kcbert-base' with an incorrect regex pattern: https://example."
            " This will lead to incorrect tokenization. You should set the `fix_mistral_regex=True` flag when"
            " loading this tokenizer to fix this issue.")


def test_the_mistral_regex_warning_of_transformers_5_15_is_dropped_and_others_are_kept(caplog):
    logger = logging.getLogger("transformers.tokenization_utils_tokenizers")
    with caplog.at_level(logging.WARNING, logger=logger.name):
        logger.warning(SPURIOUS)
        logger.warning("Some other tokenizer warning")
    messages = [r.getMessage() for r in caplog.records]
    assert messages == ["Some other tokenizer warning"]


def test_the_filter_is_installed_once_however_often_helpers_is_imported():
    import importlib

    from helpers import compat

    importlib.reload(helpers)
    compat.silence_known_spurious_warnings()
    filters = logging.getLogger("transformers.tokenization_utils_tokenizers").filters
    assert sum(isinstance(f, compat._DropMistralRegexWarning) for f in filters) == 1
