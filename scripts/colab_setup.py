"""Install what the notebooks need and Colab lacks - and nothing else (the Colab setup cell runs this).

    python scripts/colab_setup.py            # install the missing packages into this Python
    python scripts/colab_setup.py --dry-run  # only say what would be installed

The requirements are `[project] dependencies` of pyproject.toml (ranges, not the exact lock).
A package that is installed inside its range is kept as it is: every installed distribution is
passed to pip as a constraint at its current version, so pip can add packages but never
upgrade, downgrade or replace one that is already there. Only a package that is missing, or
installed outside the supported range, is installed. No test, book or Jupyter tooling.
On failure it prints what / 원인 / 해결 in Korean and exits with status 1, so the cell fails.
Standard library only (plus `packaging`, which pip itself carries), so it runs before anything
else is installed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import tomllib
from importlib import metadata
from pathlib import Path

try:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
except ImportError:  # a bare interpreter: pip vendors the same library
    from pip._vendor.packaging.requirements import Requirement
    from pip._vendor.packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]


def requirements(pyproject: Path = ROOT / "pyproject.toml") -> list[Requirement]:
    """The runtime requirements that apply to this platform (markers evaluated)."""
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    found = [Requirement(line) for line in data["project"]["dependencies"]]
    return [r for r in found if r.marker is None or r.marker.evaluate()]


def installed() -> dict[str, str]:
    """{normalized name: version} of every distribution this Python can import."""
    return {canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()
            if d.metadata["Name"]}


def to_install(reqs: list[Requirement], present: dict[str, str]) -> list[Requirement]:
    """The requirements that are missing or installed outside their range."""
    return [r for r in reqs
            if canonicalize_name(r.name) not in present
            or not r.specifier.contains(present[canonicalize_name(r.name)], prereleases=True)]


def keep_constraints(present: dict[str, str], replacing: list[Requirement]) -> str:
    """A pip constraints file that holds every installed package at its version, except those
    being replaced because they are outside the supported range."""
    replaced = {canonicalize_name(r.name) for r in replacing}
    return "".join(f"{name}=={version}\n" for name, version in sorted(present.items()) if name not in replaced)


def fail(what: str, why: str, fix: str) -> int:
    print(f"\n무엇이: {what}\n원인: {why}\n해결: {fix}", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="only print what would be installed")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    present = installed()
    missing = to_install(requirements(), present)
    if not missing:
        print("필요한 패키지가 모두 있습니다. 아무것도 설치하지 않았습니다.")
        return 0
    names = [f"{r.name}{r.specifier}" for r in missing]  # markers already evaluated: not shown
    print("설치할 패키지(빠졌거나 지원 범위 밖인 것만):", ", ".join(names))
    if args.dry_run:
        return 0
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write(keep_constraints(present, missing))
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
               "-c", handle.name, *names]
    result = subprocess.run(command)
    Path(handle.name).unlink(missing_ok=True)
    if result.returncode != 0:
        return fail("노트북에 필요한 패키지를 설치하지 못했습니다: " + ", ".join(names),
                    "pip가 위에 출력한 오류 때문입니다(네트워크가 끊겼거나, 이미 있는 패키지와 버전이 맞지 않음).",
                    "런타임 > 런타임 다시 시작 뒤 이 셀을 다시 실행하세요. 그래도 같으면 위의 pip 오류를 저장소의 이슈에 붙여 알려 주세요.")
    print(f"설치를 마쳤습니다 ({time.perf_counter() - start:.0f}초). 이미 있던 패키지는 하나도 바꾸지 않았습니다.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
