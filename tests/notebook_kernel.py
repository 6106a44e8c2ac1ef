"""Test harness: execute a notebook in a fresh kernel (no TCP ports: the kernel talks over unix
sockets), and read its text outputs. Used by the tests that run notebooks themselves."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path


class NotebookFailed(AssertionError):
    """A cell of the executed notebook raised; the message names the cell and the error."""


def execute(path: Path, cwd: Path, *, timeout: int = 600):
    """`path` executed in a fresh kernel started in `cwd`; returns the executed nbformat notebook.
    Raises NotebookFailed (an AssertionError) naming the first cell that failed."""
    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    sockets = tempfile.mkdtemp(prefix="bv-")  # short: unix socket paths are limited to ~100 bytes
    km = KernelManager(kernel_name="python3", transport="ipc", ip=str(Path(sockets) / "k"))
    try:
        NotebookClient(nb, km=km, timeout=timeout, resources={"metadata": {"path": str(cwd)}}).execute()
    except CellExecutionError as exc:
        raise NotebookFailed(f"{path.name}: {str(exc)[-2500:]}") from None
    finally:
        if km.has_kernel:
            km.shutdown_kernel(now=True)
        shutil.rmtree(sockets, ignore_errors=True)
    return nb


def text_lines(nb) -> list[str]:
    """Every line of text the code cells printed or returned (stdout, stderr, text/plain)."""
    lines = []
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            text = output.get("text") or output.get("data", {}).get("text/plain", "")
            lines.extend(str(text).splitlines())
    return lines
