"""Offline classroom kit: prepare it once while online, install from it on lab machines offline.

    # instructor, online, in the project folder (with `make env` done):
    .venv/bin/python scripts/classroom_kit.py prepare            # -> kit/wheels, kit/models/kcbert-base

    # each lab machine, no network: copy the project folder with kit/ in it, then
    python3.11 -m venv .venv
    .venv/bin/python scripts/classroom_kit.py install            # pip --no-index from kit/wheels
    BERTVEC_MODEL=kit/models/kcbert-base make run                # or leave it out: embedded model

`prepare` runs `pip download -r requirements.txt -c constraints.txt -d kit/wheels` (then the
build backend, setuptools, for the project's own `pip install -e .`), copies both requirement
files into the kit, and downloads `beomi/kcbert-base` into kit/models/kcbert-base when the hub
answers (a quick check first: offline it says so and goes on, it never hangs). Packages that
PyPI has only as source (seqeval) are built into wheels there and then, so that the lab
machine installs wheels only and never needs a build tool from the network. `install`
runs `pip install --isolated --no-index --find-links kit/wheels -r kit/requirements.txt`
with the Python that runs it: no index, no pip configuration of the lab machine, no network.
It needs nothing but the standard library, so a bare new venv can run it.
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BOOK_MODEL = "beomi/kcbert-base"
MODEL_FILES = ["*.json", "*.txt", "*.safetensors"]
"""What `prepare` fetches of the model: config, vocabulary, safetensors weights (no pickles)."""
BUILD_REQUIREMENTS = ["setuptools>=68"]
"""pyproject.toml's [build-system] requires, so `pip install -e .` also works offline."""


def download_command(kit: Path, requirements: Path, constraints: Path, pip_args: list[str]) -> list[str]:
    """The `pip download` command that fills kit/wheels with every pinned package."""
    command = [sys.executable, "-m", "pip", "download", "--dest", str(kit / "wheels"), "-r", str(requirements)]
    if constraints.exists():
        command += ["-c", str(constraints)]
    return command + pip_args


def install_command(kit: Path, python: str = sys.executable) -> list[str]:
    """The offline `pip install` command: only kit/wheels, no index, no pip config or env vars."""
    command = [python, "-m", "pip", "install", "--isolated", "--no-index",
               "--find-links", str(kit / "wheels"), "-r", str(kit / "requirements.txt")]
    for extra, flag in (("build-requirements.txt", "-r"), ("constraints.txt", "-c")):
        if (kit / extra).exists():
            command += [flag, str(kit / extra)]
    return command


def source_archives(wheels: Path) -> list[Path]:
    """Packages that PyPI ships only as source (seqeval): they would need a build on the lab machine."""
    return sorted(p for p in wheels.iterdir() if p.name.endswith((".tar.gz", ".zip")))


def build_wheels(wheels: Path, pip_args: list[str]) -> int:
    """Turn every source archive in `wheels` into a wheel (online, now), so installing needs no build."""
    for archive in source_archives(wheels):
        status = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(wheels),
                       str(archive), *pip_args])
        if status != 0:
            return status
        archive.unlink()
    return 0


def _run(command: list[str]) -> int:
    print("$", shlex.join(command), flush=True)
    return subprocess.run(command).returncode


def _folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def download_model(target: Path, repo_id: str = BOOK_MODEL) -> bool:
    """Download `repo_id` (config, vocabulary, safetensors) into `target`; False when offline."""
    sys.path.insert(0, str(ROOT))
    from helpers.hub import hub_reachable

    if not hub_reachable():
        print(f"허브에 연결할 수 없어 {repo_id} 은(는) 건너뜁니다. 실습실에서는 내장 기본 모델로 모든 노트북이 돌아갑니다.")
        return False
    from huggingface_hub import list_repo_files, snapshot_download

    patterns = list(MODEL_FILES)
    if not any(name.endswith(".safetensors") for name in list_repo_files(repo_id)):
        # helpers.load_model reads a .bin with torch's weights_only loader and refuses anything else
        patterns.append("pytorch_model.bin")
    snapshot_download(repo_id, local_dir=str(target), allow_patterns=patterns)
    print(f"{repo_id} -> {target} ({_folder_size(target) / 1e6:.0f} MB)")
    return True


def prepare(kit: Path, requirements: Path, constraints: Path, pip_args: list[str], model: bool) -> int:
    """Fill `kit` with wheels (and the book's model when reachable); returns an exit status."""
    started = time.perf_counter()
    (kit / "wheels").mkdir(parents=True, exist_ok=True)
    shutil.copy2(requirements, kit / "requirements.txt")
    if constraints.exists():
        shutil.copy2(constraints, kit / "constraints.txt")
    status = _run(download_command(kit, requirements, constraints, pip_args))
    if status != 0:
        print("휠을 모두 받지 못했습니다. 인터넷 연결과 위의 pip 메시지를 확인하세요.", file=sys.stderr)
        return status
    if build_wheels(kit / "wheels", pip_args) != 0:
        print("소스로만 배포되는 패키지의 휠을 만들지 못했습니다(위 pip 메시지).", file=sys.stderr)
        return 1
    build = [sys.executable, "-m", "pip", "download", "--dest", str(kit / "wheels"), *BUILD_REQUIREMENTS, *pip_args]
    if _run(build) == 0:
        (kit / "build-requirements.txt").write_text("\n".join(BUILD_REQUIREMENTS) + "\n", encoding="utf-8")
    else:
        print("setuptools 휠은 받지 못했습니다: 실습실에서 `pip install -e .` 에는 그 컴퓨터의 setuptools 를 씁니다.")
    if model:
        download_model(kit / "models" / BOOK_MODEL.split("/")[1])
    wheels = list((kit / "wheels").iterdir())
    print(f"준비 완료: 휠 {len(wheels)}개, 전체 {_folder_size(kit) / 1e6:.0f} MB, "
          f"{time.perf_counter() - started:.0f}초. 실습실에서: python scripts/classroom_kit.py install --kit {kit}")
    return 0


def install(kit: Path) -> int:
    """Install the kit's requirements into the running Python with no network; exit status."""
    requirements = kit / "requirements.txt"
    if not (kit / "wheels").is_dir() or not requirements.exists():
        print(f"{kit} 에 준비된 키트가 없습니다(wheels/, requirements.txt). "
              "인터넷이 되는 곳에서 먼저 `python scripts/classroom_kit.py prepare` 를 실행하세요.", file=sys.stderr)
        return 2
    status = _run(install_command(kit))
    if status != 0:
        print("키트에 없는 패키지가 있습니다(위 메시지의 이름). 같은 운영체제와 Python 3.11 에서 prepare 를 다시 실행하세요.",
              file=sys.stderr)
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="step", required=True)
    ready = sub.add_parser("prepare", help="online: download every wheel (and the book's model) into the kit")
    ready.add_argument("--kit", type=Path, default=ROOT / "kit")
    ready.add_argument("--requirements", type=Path, default=ROOT / "requirements.txt")
    ready.add_argument("--constraints", type=Path, default=ROOT / "constraints.txt")
    ready.add_argument("--pip-args", default="", help="more arguments for pip download, e.g. '--platform ...'")
    ready.add_argument("--no-model", action="store_true", help=f"skip {BOOK_MODEL}")
    offline = sub.add_parser("install", help="offline: install from the kit into the Python running this")
    offline.add_argument("--kit", type=Path, default=ROOT / "kit")
    args = parser.parse_args(argv)
    if args.step == "prepare":
        return prepare(args.kit, args.requirements, args.constraints, shlex.split(args.pip_args), not args.no_model)
    return install(args.kit)


if __name__ == "__main__":
    sys.exit(main())
