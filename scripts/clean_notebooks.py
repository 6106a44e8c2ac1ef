"""Clear outputs and normalize metadata of notebooks, so that git diffs show only real edits.

    python scripts/clean_notebooks.py notebooks/*.ipynb          # rewrite in place
    python scripts/clean_notebooks.py --check notebooks/*.ipynb  # exit 1 if any is not clean

Clean means: no outputs, no execution counts, cell metadata limited to `tags`, cell ids
numbered in order, notebook metadata reduced to the kernelspec and language name, and the
JSON written with one-space indentation and a final newline (as Jupyter writes it).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
KEEP_CELL_METADATA = ("tags",)


def clean(nb: dict) -> dict:
    """A cleaned copy of a notebook's JSON (see the module docstring)."""
    cells = []
    for number, cell in enumerate(nb.get("cells", []), start=1):
        source = cell.get("source", "")
        out = {
            "cell_type": cell["cell_type"],
            "id": f"c{number:03d}",
            "metadata": {k: v for k, v in cell.get("metadata", {}).items() if k in KEEP_CELL_METADATA},
            "source": source if isinstance(source, list) else source.splitlines(keepends=True),
        }
        if cell["cell_type"] == "code":
            out["execution_count"] = None
            out["outputs"] = []
        cells.append(out)
    return {
        "cells": cells,
        "metadata": {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def dumps(nb: dict) -> str:
    """Notebook JSON text in Jupyter's own layout."""
    return json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def problems(path: Path) -> list[str]:
    """Why `path` is not clean (empty list when it is)."""
    text = path.read_text(encoding="utf-8")
    nb = json.loads(text)
    found = []
    dirty = [c.get("id", "?") for c in nb.get("cells", [])
             if c.get("outputs") or c.get("execution_count") is not None]
    if dirty:
        found.append(f"{path}: {len(dirty)}개 셀에 출력이나 실행 번호가 남아 있습니다")
    if text != dumps(clean(nb)):
        found.append(f"{path}: 메타데이터나 형식이 정규화되지 않았습니다")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report; exit 1 if anything is not clean")
    parser.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args(argv)
    bad = []
    for path in args.paths:
        if args.check:
            bad += problems(path)
        else:
            path.write_text(dumps(clean(json.loads(path.read_text(encoding="utf-8")))), encoding="utf-8")
    for line in bad:
        print(line)
    if bad:
        print("고치려면: make clean-notebooks")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
