"""Notebooks run anywhere and say the same thing twice.

Notebook 04 (token ids) and 05 (vectors, cosine similarities: floats) are each executed twice
in fresh kernels:
- the CI way: another working directory, `HF_HUB_OFFLINE=1`, `BERTVEC_MODEL=embedded`;
- the unprepared way: yet another working directory, neither variable set, an empty Hugging Face
  cache and the kernel's network blocked (a `sitecustomize` refuses every non-loopback
  connection and name lookup), so `resolve_model` must find out on its own, quickly, that the
  hub is unreachable and fall back to the embedded default.
Both runs must succeed and print the same text (model-source lines and timings aside): the
helpers do not depend on the working directory, and the lessons are deterministic.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from notebook_kernel import execute, text_lines

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ("04_features.ipynb", "05_embeddings.ipynb")
pytestmark = pytest.mark.slow

# Lines that may differ between runs on purpose: how the model was chosen, and timings.
VOLATILE = re.compile(r"^출처:|\d+(\.\d+)?\s*(초|ms|s|sec|seconds)\b|0x[0-9a-f]{6,}")

BLOCK_NETWORK = textwrap.dedent('''
    """Loaded by the kernel at start-up (PYTHONPATH): no network except loopback and unix sockets."""
    import ipaddress
    import os
    import socket

    _connect, _connect_ex, _getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo


    def _local(host):
        if isinstance(host, bytes):
            host = host.decode()
        if host in (None, "", "localhost"):
            return True
        try:
            return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
        except ValueError:
            return False


    def _refuse(what):
        raise OSError(f"network blocked in this test kernel: {what!r}")


    def connect(self, address):
        if self.family == getattr(socket, "AF_UNIX", None) or _local(address[0]):
            return _connect(self, address)
        _refuse(address)


    def connect_ex(self, address):
        if self.family == getattr(socket, "AF_UNIX", None) or _local(address[0]):
            return _connect_ex(self, address)
        _refuse(address)


    def getaddrinfo(host, *args, **kwargs):
        return _getaddrinfo(host, *args, **kwargs) if _local(host) else _refuse(host)


    socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo = connect, connect_ex, getaddrinfo
    open(os.environ["BERTVEC_TEST_BLOCK_MARKER"], "w").close()
''')


def run_notebook(path: Path, cwd: Path) -> list[str]:
    """Execute `path` in a fresh kernel started in `cwd`; its text outputs, line by line."""
    return text_lines(execute(path, cwd, timeout=300))


def comparable(lines: list[str]) -> list[str]:
    return [line for line in lines if not VOLATILE.search(line)]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_from_any_directory_with_or_without_the_offline_flag(name, tmp_path, monkeypatch):
    notebook = ROOT / "notebooks" / name
    if not notebook.exists():
        pytest.skip(f"{name} does not exist yet")
    ci_dir, plain_dir, site_dir, cache = (tmp_path / name for name in ("ci", "plain", "site", "hf"))
    for folder in (ci_dir, plain_dir, site_dir, cache):
        folder.mkdir()

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("BERTVEC_MODEL", "embedded")
    monkeypatch.delenv("BERTVEC_RUN_REPORT", raising=False)
    ci_run = run_notebook(notebook, ci_dir)

    (site_dir / "sitecustomize.py").write_text(BLOCK_NETWORK, encoding="utf-8")
    marker = tmp_path / "network-was-blocked"
    monkeypatch.setenv("PYTHONPATH", str(site_dir))
    monkeypatch.setenv("BERTVEC_TEST_BLOCK_MARKER", str(marker))
    monkeypatch.setenv("HF_HOME", str(cache))
    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.delenv("BERTVEC_MODEL")
    monkeypatch.delenv("HF_ENDPOINT", raising=False)
    plain_run = run_notebook(notebook, plain_dir)

    assert marker.exists(), "the kernel did not load the network block"
    sources = [line for line in plain_run if line.startswith("출처:")]
    assert sources and all(line.startswith("출처: embedded") and "허브에 연결할 수 없" in line for line in sources)
    assert comparable(ci_run) == comparable(plain_run)
    assert len(comparable(ci_run)) > 5, "too little output to compare"
