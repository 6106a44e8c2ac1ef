"""The main job: execute every notebook offline, keep the executed copies, print a table.

    python scripts/run_notebooks.py [--model embedded] [--out build] [notebooks/02_*.ipynb ...]

Each notebook runs in a fresh kernel from the `notebooks/` folder with `HF_HUB_OFFLINE=1`
and `BERTVEC_MODEL` set to the embedded default (unless you set `BERTVEC_MODEL` yourself or
pass --model). The executed copies go to `build/notebooks/`, HTML pages to `build/html/`
(git ignores `build/`). Exit status 1 if any notebook fails.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_one(path: Path, out: Path, timeout: int) -> tuple[str, float, str]:
    """Execute one notebook; returns (status, seconds, model that ran)."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from jupyter_client.manager import KernelManager
    from nbconvert import HTMLExporter

    nb = nbformat.read(path, as_version=4)
    fd, report_name = tempfile.mkstemp(suffix=".jsonl")
    os.close(fd)
    report = Path(report_name)
    os.environ["BERTVEC_RUN_REPORT"] = str(report)
    started = time.perf_counter()
    status = "ok"
    # The kernel talks over local unix sockets (no TCP port, no "running over TCP" warning).
    sockets = tempfile.mkdtemp(prefix="bertvec-kernel-")
    km = KernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(sockets, "kernel"))
    try:
        NotebookClient(nb, km=km, timeout=timeout,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    except CellExecutionError as exc:
        status = "FAILED"
        print(f"\n--- {path.name} 실패 ---\n{str(exc)[-3000:]}\n", file=sys.stderr)
    finally:
        if km.has_kernel:  # we passed our own kernel manager, so nbclient leaves the kernel to us
            km.shutdown_kernel(now=True)
        shutil.rmtree(sockets, ignore_errors=True)
    seconds = time.perf_counter() - started
    (out / "notebooks").mkdir(parents=True, exist_ok=True)
    (out / "html").mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out / "notebooks" / path.name)
    html, _ = HTMLExporter().from_notebook_node(nb)
    (out / "html" / path.with_suffix(".html").name).write_text(html, encoding="utf-8")
    models = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines() if line]
    report.unlink()
    model = ", ".join(sorted({f"{m['name']} ({m['source']})" for m in models})) or "-"
    return status, seconds, model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--model", default=None, help="BERTVEC_MODEL for this run (default: embedded)")
    parser.add_argument("--out", type=Path, default=ROOT / "build")
    parser.add_argument("--timeout", type=int, default=600, help="seconds a cell may take")
    args = parser.parse_args(argv)

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.model:
        os.environ["BERTVEC_MODEL"] = args.model
    os.environ.setdefault("BERTVEC_MODEL", "embedded")
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    print(f"노트북 {len(paths)}개 실행: BERTVEC_MODEL={os.environ['BERTVEC_MODEL']}, "
          f"HF_HUB_OFFLINE={os.environ['HF_HUB_OFFLINE']}, 결과: {args.out}")
    rows = []
    for path in paths:
        status, seconds, model = run_one(path.resolve(), args.out, args.timeout)
        rows.append((path.name, status, seconds, model))
        print(f"  {path.name:<32} {status:<6} {seconds:6.1f}s  {model}", flush=True)

    width = max(len(r[0]) for r in rows)
    print()
    print(f"{'notebook':<{width}}  {'status':<6}  {'seconds':>7}  model")
    print(f"{'-' * width}  {'-' * 6}  {'-' * 7}  {'-' * 40}")
    for name, status, seconds, model in rows:
        print(f"{name:<{width}}  {status:<6}  {seconds:7.1f}  {model}")
    failed = [r[0] for r in rows if r[1] != "ok"]
    total = sum(r[2] for r in rows)
    print(f"\n{len(rows) - len(failed)}/{len(rows)} 성공, 합계 {total:.1f}s. "
          f"실행된 노트북: {args.out / 'notebooks'}, HTML: {args.out / 'html'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
