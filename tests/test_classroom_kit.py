"""The offline classroom kit (scripts/classroom_kit.py), end to end on a tiny made-up package.

No network: the "index" is a folder holding one wheel built here by hand, `prepare` copies it
into a kit (the hub check says offline and skips the model), then `install` puts it into a
brand-new virtual environment with `--no-index`, and the package imports there.
"""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "classroom_kit.py"
sys.path.insert(0, str(ROOT / "scripts"))
import classroom_kit  # noqa: E402

PROBE = "bertvec_kit_probe"


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def make_wheel(folder: Path, version: str = "0.1") -> Path:
    """A minimal pure-Python wheel of `bertvec_kit_probe` (module with VALUE = 42)."""
    info = f"{PROBE}-{version}.dist-info"
    files = {
        f"{PROBE}/__init__.py": b"VALUE = 42\n",
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: bertvec-kit-probe\nVersion: {version}\n".encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: hand\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = "\n".join(_record_line(n, d) for n, d in files.items()) + f"\n{info}/RECORD,,\n"
    path = folder / f"{PROBE}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as wheel:
        for name, data in files.items():
            wheel.writestr(name, data)
        wheel.writestr(f"{info}/RECORD", record)
    return path


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "HF_HUB_OFFLINE": "1", **env}
    return subprocess.run(args, capture_output=True, text=True, timeout=120, env=environment)


@pytest.fixture(scope="module")
def kit(tmp_path_factory) -> Path:
    """A kit prepared from a local 'index' folder holding only the probe wheel."""
    tmp = tmp_path_factory.mktemp("kit")
    index = tmp / "index"
    index.mkdir()
    make_wheel(index)
    requirements = tmp / "requirements.txt"
    requirements.write_text("bertvec-kit-probe==0.1\n", encoding="utf-8")
    kit = tmp / "kit"
    result = _run([sys.executable, str(SCRIPT), "prepare", "--kit", str(kit), "--requirements", str(requirements),
                   "--constraints", str(tmp / "no-constraints.txt"),
                   "--pip-args", f"--no-index --find-links {index}"])
    assert result.returncode == 0, result.stdout + result.stderr
    kit.joinpath("prepare.log").write_text(result.stdout, encoding="utf-8")
    return kit


def test_prepare_collects_the_wheels_and_skips_the_model_when_offline(kit):
    assert [p.name for p in (kit / "wheels").iterdir()] == [f"{PROBE}-0.1-py3-none-any.whl"]
    assert (kit / "requirements.txt").read_text(encoding="utf-8") == "bertvec-kit-probe==0.1\n"
    log = (kit / "prepare.log").read_text(encoding="utf-8")
    assert "beomi/kcbert-base" in log and "건너뜁니다" in log
    assert not (kit / "models").exists()


def test_offline_install_into_a_fresh_venv(kit, tmp_path):
    env_dir = tmp_path / "lab-venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = str(env_dir / "bin" / "python")
    # no index at all: a download attempt would fail, so success means it came from the kit
    result = _run([python, str(SCRIPT), "install", "--kit", str(kit)], PIP_INDEX_URL="http://127.0.0.1:9/none")
    assert result.returncode == 0, result.stdout + result.stderr
    probe = _run([python, "-c", f"import {PROBE}; print({PROBE}.VALUE)"])
    assert probe.stdout.strip() == "42", probe.stderr


def test_install_refuses_a_package_missing_from_the_kit(kit, tmp_path):
    broken = tmp_path / "kit"
    (broken / "wheels").mkdir(parents=True)
    (broken / "requirements.txt").write_text("bertvec-kit-probe==0.1\n", encoding="utf-8")
    result = _run([sys.executable, str(SCRIPT), "install", "--kit", str(broken)])
    assert result.returncode != 0
    assert "키트에 없는 패키지" in result.stderr


def test_install_without_a_kit_says_how_to_make_one(tmp_path):
    result = _run([sys.executable, str(SCRIPT), "install", "--kit", str(tmp_path / "nothing")])
    assert result.returncode == 2 and "prepare" in result.stderr


def test_the_real_download_command_uses_the_projects_pins():
    command = classroom_kit.download_command(Path("kit"), ROOT / "requirements.txt", ROOT / "constraints.txt", [])
    assert command[1:4] == ["-m", "pip", "download"]
    assert command[command.index("-r") + 1] == str(ROOT / "requirements.txt")
    assert command[command.index("-c") + 1] == str(ROOT / "constraints.txt")
    assert command[command.index("--dest") + 1] == str(Path("kit") / "wheels")


def test_the_install_command_never_reaches_an_index(kit):
    command = classroom_kit.install_command(kit)
    assert "--no-index" in command and "--isolated" in command
    assert command[command.index("--find-links") + 1] == str(kit / "wheels")


def test_source_only_packages_are_found_for_building_into_wheels(tmp_path):
    make_wheel(tmp_path)
    (tmp_path / "seqeval-1.2.2.tar.gz").write_bytes(b"")
    assert [p.name for p in classroom_kit.source_archives(tmp_path)] == ["seqeval-1.2.2.tar.gz"]
