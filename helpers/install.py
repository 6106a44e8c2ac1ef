"""Step 01 (install): what environment this is, and whether it matches the tested one.

Used by `notebooks/01_install.ipynb`. Nothing here installs anything; it reports.
"""

from __future__ import annotations

import os
import platform
import re
import sys
from importlib import metadata
from pathlib import Path

from .hub import hub_reachable, offline_reason
from .loading import ENV_VAR, short_path
from .door import door

PROJECT_ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = PROJECT_ROOT / "requirements.txt"
PYPROJECT = PROJECT_ROOT / "pyproject.toml"

_PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s#;]+)")

def where_am_i() -> str:
    """'colab', 'ci' or 'local': where this notebook is running."""
    if "google.colab" in sys.modules or os.environ.get("COLAB_RELEASE_TAG"):
        return "colab"
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        return "ci"
    return "local"


def read_pins(path: Path = REQUIREMENTS) -> dict[str, str]:
    """The exact pins of a requirements file as {normalized name: version}.

    Raises FileNotFoundError if the file is missing, ValueError for a line that names a
    package without an exact `==` pin.
    """
    pins: dict[str, str] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        match = _PIN.match(line)
        if not match:
            raise ValueError(f"{path.name}:{number}: 정확한 버전(==)으로 고정되어 있지 않습니다: '{line}'")
        pins[normalize_name(match.group(1))] = match.group(2)
    return pins


def normalize_name(name: str) -> str:
    """PEP 503 normalized package name (`Huggingface_Hub` -> `huggingface-hub`)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def installed_version(name: str) -> str | None:
    """Installed version of a distribution, or None if it is not installed."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def supported_ranges(path: Path = PYPROJECT) -> dict[str, str]:
    """{normalized name: version range} of pyproject.toml's dependencies (`>=5.15,<6`)."""
    import tomllib

    from packaging.requirements import Requirement

    data = tomllib.loads(path.read_text(encoding="utf-8"))
    found = (Requirement(line) for line in data["project"]["dependencies"])
    return {normalize_name(r.name): ",".join(sorted(map(str, r.specifier), key=lambda s: not s.startswith(">")))
            for r in found}


@door
def compare_with_pins(names: list[str] | None = None) -> list[dict[str, str]]:
    """Rows (package, tested, supported, installed, status) comparing this environment with the
    locked versions (`tested`, requirements.txt) and the supported ranges (pyproject.toml).

    `status` is 'ok' (the locked version), 'different' (another version inside the supported
    range: Colab's, for instance), 'outside' (outside the range) or 'missing'. A local build tag
    (`2.13.0+cpu`) counts as the same version. `names` limits the rows; by default every pinned
    package. Introduced in notebook 01.
    """
    from packaging.specifiers import SpecifierSet

    pins, ranges = read_pins(), supported_ranges()
    rows = []
    for name in names or list(pins):
        key = normalize_name(name)
        tested, supported = pins[key], ranges.get(key, "")
        found = installed_version(name)
        if found is None:
            status = "missing"
        elif found.split("+", 1)[0] == tested:
            status = "ok"
        else:
            status = "different" if SpecifierSet(supported).contains(found, prereleases=True) else "outside"
        rows.append({"package": name, "tested": tested, "supported": supported or "-",
                     "installed": found or "-", "status": status})
    return rows


def device_summary() -> str:
    """'GPU: <name>' when CUDA is usable, else 'CPU (<n> cores)'."""
    import torch

    if torch.cuda.is_available():
        return f"GPU: {torch.cuda.get_device_name(0)}"
    return f"CPU ({os.cpu_count()} cores, torch threads {torch.get_num_threads()})"


@door
def environment_report() -> dict[str, str]:
    """One dictionary a notebook shows as a table: where, versions, device, network, model choice.
    Introduced in notebook 01."""
    import torch
    import transformers

    online = hub_reachable()
    return {
        "실행 위치": where_am_i(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "장치": device_summary(),
        "HF_HUB_OFFLINE": offline_row(),
        "허브 연결": "됨" if online else "안 됨",
        ENV_VAR: os.environ.get(ENV_VAR, "") or "설정 안 됨",
        "HF 캐시 폴더": _hf_cache_dir(),
    }


def offline_row() -> str:
    """The report's HF_HUB_OFFLINE row: the variable's value, or which other way (TRANSFORMERS_OFFLINE,
    the library's constant) put the Hugging Face stack offline, or '설정 안 됨'."""
    value = os.environ.get("HF_HUB_OFFLINE")
    reason = offline_reason()
    if reason is None:
        return "설정 안 됨" if not value else f"{value} (오프라인 모드 아님)"
    if reason.endswith(f"HF_HUB_OFFLINE={value}"):
        return f"{value} (오프라인 모드)"
    return f"오프라인 모드 ({reason.split(': ', 1)[-1]})"


def _hf_cache_dir() -> str:
    """The Hugging Face cache folder, with the home folder written as `~`, and any other place
    shortened to its last two parts (no user names or machine layout in outputs)."""
    from huggingface_hub import constants

    folder = Path(constants.HF_HUB_CACHE).expanduser()
    try:
        return str(Path("~") / folder.relative_to(Path.home()))
    except ValueError:
        return short_path(folder)


@door
def model_folder(choice) -> Path | None:
    """The local folder of the model `choice` names: its own folder, or its snapshot in the
    Hugging Face cache once it has been downloaded (None before that). Introduced in notebook 03."""
    from .hub import cached_snapshot

    folder = Path(choice.path)
    return folder if folder.is_dir() else cached_snapshot(choice.name)


@door
def model_files(choice) -> list[str]:
    """Names of the files in `model_folder(choice)` (empty before a download). Introduced in notebook 01."""
    folder = model_folder(choice)
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) if folder else []
