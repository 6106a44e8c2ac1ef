"""Give every notebook an "Open in Colab" link and the Colab-only setup cell (idempotent).

    python scripts/colab.py notebooks/*.ipynb          # insert or update, in place
    python scripts/colab.py --check notebooks/*.ipynb  # exit 1 if any notebook would change

Both cells come from one setting, `[project.urls] Repository` in pyproject.toml (a GitHub URL).
The link cell (tag `colab-link`) goes first; the setup cell (tag `colab-setup`) is the first
code cell. Cells already there, found by their tag or by their content (the setup cell's
`if "google.colab" in sys.modules:` line), are rewritten in place, so running the script twice
changes nothing, and the notebook stays clean in the sense of scripts/clean_notebooks.py.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from clean_notebooks import clean, dumps  # noqa: E402

LINK_TAG = "colab-link"
SETUP_TAG = "colab-setup"
SETUP_GUARD = 'if "google.colab" in sys.modules:'
BRANCH = "main"


def repository_url(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """`[project.urls] Repository` of pyproject.toml, without a trailing slash or `.git`."""
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    try:
        url = data["project"]["urls"]["Repository"]
    except KeyError as exc:
        raise ValueError(f"{pyproject}: [project.urls] 에 Repository 주소가 없습니다.") from exc
    return url.rstrip("/").removesuffix(".git")


def github_path(repo_url: str) -> str:
    """'owner/name' of a GitHub repository URL; ValueError for any other host or shape."""
    parsed = urlparse(repo_url)
    parts = [p for p in parsed.path.split("/") if p]
    if parsed.netloc != "github.com" or len(parts) != 2:
        raise ValueError(f"Colab 링크는 https://github.com/OWNER/NAME 모양의 저장소 주소로만 만듭니다: {repo_url!r}")
    return "/".join(parts)


def colab_url(notebook: str, repo_url: str, branch: str = BRANCH) -> str:
    """The Colab address that opens notebooks/`notebook` straight from GitHub."""
    return f"https://colab.research.google.com/github/{github_path(repo_url)}/blob/{branch}/notebooks/{notebook}"


BUNDLE_GLOB = "bertvec-notebooks*.zip"


def link_source(notebook: str, repo_url: str) -> str:
    """Markdown of the link cell (text only: a badge picture would load from another host)."""
    return (f"**[Colab에서 열기 (Open in Colab)]({colab_url(notebook, repo_url)})**: "
            "Colab에서는 아래 첫 코드 셀이 저장소를 받고, Colab에 없는 패키지만 설치합니다 "
            "(Colab에 이미 있는 `torch`, `transformers` 등은 그대로 씁니다). 저장소를 받을 수 없으면 "
            "책에서 내려받은 학습 꾸러미(zip)를 왼쪽 파일 창에 올린 뒤 그 셀을 다시 실행하세요. "
            "내 컴퓨터에서는 그 셀이 `helpers` 폴더가 있는지만 확인합니다.")


def setup_source(repo_url: str) -> str:
    """Code of the setup cell. In Colab: get the project (the uploaded learner bundle, else a
    clone), install only what Colab lacks (scripts/colab_setup.py), work from its notebooks/.
    Elsewhere: fail at once, in Korean, when `helpers` cannot be imported (a lone notebook)."""
    name = github_path(repo_url).split("/")[1]
    return "\n".join([
        "# 코랩 노트북 초기화: Colab에서는 저장소와 빠진 패키지를 준비하고, 다른 곳에서는 helpers가 있는지만 확인합니다",
        "import importlib.util, os, pathlib, subprocess, sys, zipfile",
        "",
        f"{SETUP_GUARD}",
        f'    repo = pathlib.Path("/content/{name}")',
        f'    bundles = sorted(pathlib.Path("/content").glob("{BUNDLE_GLOB}"))',
        "    if not repo.is_dir() and bundles:  # 책에서 받은 학습 꾸러미(zip)를 올렸다면 그것을 풉니다",
        '        zipfile.ZipFile(bundles[-1]).extractall("/content")',
        f'    if not repo.is_dir() and subprocess.run(["git", "clone", "-q", "--depth", "1", "{repo_url}.git", str(repo)], capture_output=True).returncode:',
        f'        raise RuntimeError("무엇이: 저장소({repo_url})를 받지 못했습니다.\\n원인: 네트워크가 없거나 저장소 주소가 바뀌었습니다.\\n"',
        f'                           "해결: 책의 첫 페이지에서 학습 꾸러미(zip)를 내려받아 왼쪽 파일 창(/content)에 올리고 이 셀을 다시 실행하세요.")',
        '    setup = subprocess.run([sys.executable, str(repo / "scripts" / "colab_setup.py")], capture_output=True, text=True)',
        "    print(setup.stdout + setup.stderr)  # 무엇을 설치했는지(또는 왜 못 했는지) 보여 줍니다",
        "    if setup.returncode:",
        '        raise RuntimeError("패키지를 설치하지 못했습니다. 바로 위의 무엇이/원인/해결을 보세요.")',
        "    sys.path.insert(0, str(repo))",
        '    os.chdir(repo / "notebooks")',
        'elif importlib.util.find_spec("helpers") is None:',
        '    raise RuntimeError("무엇이: 이 노트북이 쓰는 도우미 코드(helpers)를 찾지 못했습니다.\\n"',
        '                       "원인: 노트북 파일만 따로 받았습니다. 노트북은 저장소의 helpers 폴더와 함께 있어야 합니다.\\n"',
        '                       "해결: 책의 첫 페이지에서 학습 꾸러미(zip)를 받아 풀고 그 안의 README 대로 실행하거나, Colab에서 여세요.")',
    ])


def _text(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _tagged(cell: dict, tag: str) -> bool:
    return tag in cell.get("metadata", {}).get("tags", [])


def _cell(kind: str, source: str, tag: str) -> dict:
    cell = {"cell_type": kind, "metadata": {"tags": [tag]}, "source": source}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def with_colab_cells(nb: dict, notebook: str, repo_url: str) -> dict:
    """A clean copy of `nb` with the link cell first and the setup cell as first code cell."""
    cells = [c for c in nb["cells"]
             if not _tagged(c, LINK_TAG) and not (c["cell_type"] == "markdown" and "colab.research.google.com/github" in _text(c))]
    setup_at = next((i for i, c in enumerate(cells)
                     if c["cell_type"] == "code" and (_tagged(c, SETUP_TAG) or SETUP_GUARD in _text(c))), None)
    first_code = next((i for i, c in enumerate(cells) if c["cell_type"] == "code"), len(cells))
    setup = _cell("code", setup_source(repo_url), SETUP_TAG)
    if setup_at is None or setup_at > first_code:
        if setup_at is not None:
            cells.pop(setup_at)
        cells.insert(first_code, setup)
    else:
        cells[setup_at] = setup
    cells.insert(0, _cell("markdown", link_source(notebook, repo_url), LINK_TAG))
    return clean({**nb, "cells": cells})


def update(path: Path, repo_url: str, check: bool = False) -> bool:
    """Rewrite `path` with the Colab cells; returns True if it changed (or would, with check)."""
    before = path.read_text(encoding="utf-8")
    after = dumps(with_colab_cells(json.loads(before), path.name, repo_url))
    if after != before and not check:
        path.write_text(after, encoding="utf-8")
    return after != before


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report; exit 1 if a notebook would change")
    parser.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args(argv)
    repo_url = repository_url()
    changed = [p for p in args.paths if update(p, repo_url, check=args.check)]
    for path in changed:
        print(f"{path}: Colab 링크/설정 셀이 {'맞지 않습니다' if args.check else '갱신되었습니다'}")
    if args.check and changed:
        print("고치려면: python scripts/colab.py notebooks/*.ipynb")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
