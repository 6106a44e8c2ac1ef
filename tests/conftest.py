"""Shared fixtures: the real kcbert-base tokenizer files and the embedded default model.

The kcbert files (vocab.txt + config.json, no weights) live outside the project, found through
`BERTVEC_KCBERT_DIR` or `../shared/kcbert-base`; tests that need them skip when absent. The
embedded model is loaded once per session (no mocks of transformers anywhere).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
KCBERT_ENV_VAR = "BERTVEC_KCBERT_DIR"


def kcbert_dir_or_none() -> Path | None:
    """The kcbert-base tokenizer folder, or None when it is not on this machine."""
    folder = Path(os.environ.get(KCBERT_ENV_VAR) or ROOT.parent / "shared" / "kcbert-base")
    return folder if (folder / "vocab.txt").exists() and (folder / "config.json").exists() else None


@pytest.fixture(scope="session")
def kcbert_dir() -> Path:
    folder = kcbert_dir_or_none()
    if folder is None:
        pytest.skip(f"kcbert-base tokenizer files not found (set {KCBERT_ENV_VAR} or provide ../shared/kcbert-base)")
    return folder


@pytest.fixture(scope="session")
def kcbert_tokenizer(kcbert_dir):
    from helpers import load_tokenizer

    return load_tokenizer(str(kcbert_dir))


@pytest.fixture(scope="session")
def kcbert_config(kcbert_dir):
    from transformers import BertConfig

    return BertConfig.from_pretrained(str(kcbert_dir))


@pytest.fixture(scope="session")
def embedded_tokenizer():
    from helpers import EMBEDDED, load_tokenizer

    return load_tokenizer(EMBEDDED)


@pytest.fixture(scope="session")
def embedded_model():
    from helpers import EMBEDDED, load_model

    return load_model(EMBEDDED)
