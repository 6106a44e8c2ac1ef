"""The main job's runner (scripts/run_notebooks.py): table, model column, exit status."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import run_notebooks  # noqa: E402


def _write(path: Path, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def test_runner_reports_each_notebook_its_model_and_fails_when_one_fails(tmp_path, capsys, monkeypatch):
    for name in ("BERTVEC_MODEL", "BERTVEC_RUN_REPORT"):  # the runner sets them; monkeypatch restores
        monkeypatch.delenv(name, raising=False)
    good = _write(tmp_path / "10_good.ipynb",
                  "from helpers import resolve_model, show_model_choice\n"
                  "show_model_choice(resolve_model(), notebook='10_good')")
    bad = _write(tmp_path / "11_bad.ipynb", "assert 1 + 1 == 3, 'self-check failed'")
    status = run_notebooks.main([str(good), str(bad), "--out", str(tmp_path / "build")])
    out = capsys.readouterr().out
    assert status == 1
    rows = {line.split()[0]: line for line in out.splitlines() if line.startswith(("10_good", "11_bad"))}
    assert "ok" in rows["10_good.ipynb"] and "intfloat/multilingual-e5-small (embedded)" in rows["10_good.ipynb"]
    assert "FAILED" in rows["11_bad.ipynb"]
    assert (tmp_path / "build" / "notebooks" / "10_good.ipynb").exists()
    assert (tmp_path / "build" / "html" / "11_bad.html").exists()
    executed = nbformat.read(tmp_path / "build" / "notebooks" / "10_good.ipynb", as_version=4)
    assert "실행한 모델" in executed.cells[0].outputs[0]["text"]
