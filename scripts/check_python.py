# -*- coding: utf-8 -*-
"""Is this Python one the project supports? (make runs this before anything else.)

    python3 scripts/check_python.py          # exit 0 and say which Python, or exit 1 with a Korean explanation
    python3 scripts/check_python.py --quiet  # only the exit status (make uses it to pick a Python)
    python3 scripts/check_python.py --none   # no Python was found at all: say how to get one

Written for any Python 3 (no f-strings), so that an old interpreter still gets a clear answer.
Supported: 3.11.5 or newer 3.11, 3.12, 3.13 (the lock's soupsieve needs 3.11.5; Debian 12's
own python3.11 is 3.11.2).
"""
import sys

LOWEST = (3, 11, 5)
BELOW = (3, 14)
HOW = ("Python 3.11.5 이상(3.11, 3.12, 3.13)이 필요합니다. 설치 방법: python.org 설치 파일(Windows, macOS), "
       "`pyenv install 3.12` 또는 `uv python install 3.12`(Linux, macOS). 설치한 뒤 `PYTHON=python3.12 make run`처럼 지정하세요.")


def main(argv):
    if "--none" in argv:
        asked = [a for a in argv if a != "--none" and a.strip()]
        where = ("PYTHON으로 지정한 프로그램을 실행할 수 없습니다: " + asked[0] + ". ") if asked else \
            "지원하는 Python을 찾지 못했습니다(python3.11, python3.13, python3.12, python3). "
        sys.stderr.write(where + HOW + "\n")
        return 1
    version = tuple(sys.version_info[:3])
    shown = ".".join(str(part) for part in version)
    ok = LOWEST <= version < BELOW
    if "--quiet" in argv:
        return 0 if ok else 1
    if not ok:
        topic = "은" if shown[-1] in "013678" else "는"  # the last digit read in Korean: 일, 삼, 육, 칠, 팔 ...
        sys.stderr.write("Python " + shown + "(" + sys.executable + ")" + topic + " 지원하지 않습니다. " + HOW + "\n")
        return 1
    print("Python " + shown + ("으로" if shown[-1] in "036" else "로") + " 가상환경을 만듭니다.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
