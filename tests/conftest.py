"""Shared fixtures: the real kcbert-base tokenizer files and the embedded default model.

The kcbert files (vocab.txt + config.json, no weights) live outside the project, found through
`BERTVEC_KCBERT_DIR`, `../shared/kcbert-base` or the HF cache (helpers.tokenizer.find_kcbert_tokenizer_dir);
tests that need them skip when absent (a BERTVEC_KCBERT_DIR naming a wrong folder is an error). The
embedded model is loaded once per session (no mocks of transformers anywhere).

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


def pytest_unconfigure(config: pytest.Config) -> None:
    if socket.getaddrinfo is _loopback_only_getaddrinfo:
        socket.getaddrinfo = _real_getaddrinfo


@pytest.fixture(scope="session")
def kcbert_dir() -> Path:
    # The same lookup the notebooks use: BERTVEC_KCBERT_DIR, ../shared/kcbert-base, the HF cache.
    from helpers.tokenizer import KCBERT_DIR_ENV_VAR, find_kcbert_tokenizer_dir

    folder = find_kcbert_tokenizer_dir()
    if folder is None:
        pytest.skip(f"kcbert-base tokenizer files not found (set {KCBERT_DIR_ENV_VAR} or provide ../shared/kcbert-base)")
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


@pytest.fixture(scope="session")
def eager_model():
    """The embedded model with attention as plain matmuls: attention maps (output_attentions) and
    torch's FLOP counter both need it (neither sees the CPU flash-attention kernel of sdpa)."""
    from helpers import EMBEDDED, load_model

    return load_model(EMBEDDED, attn_implementation="eager")
