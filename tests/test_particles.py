"""Korean particles after code words, Latin words and numbers (scripts/check_particles.py).

The whole series is checked - every notebook, README.md and docs/*.md, nothing skipped - and the
checker itself is tested on the cases it must tell apart, so that a checker that finds nothing fails.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import check_particles  # noqa: E402


@pytest.mark.parametrize("text, kind", [
    ("`torch` 는 PyTorch입니다", "space"),
    ("ID 를 봅니다", "space"),
    ("차원이 768 이라 큽니다", "space"),
    ("`last_hidden_state` 의 모양", "space"),
    ("`torch`은 PyTorch입니다", "form"),       # 토치: no 받침 -> 는
    ("ID을 봅니다", "form"),                   # 아이디 -> 를
    ("1가 됩니다", "form"),                    # 일: ㄹ 받침 -> 이
    ("3로 나눕니다", "form"),                  # 삼 -> 으로
    ("`token`를 셉니다", "form"),               # 토큰 -> 을
    ("HTML으로 씁니다", "form"),               # 엠엘: ㄹ -> 로
    ("model으로 바꿉니다", "form"),            # 모델: ㄹ -> 로
    ("[CLS]을 봅니다", "form"),                # 씨엘에스 -> 를
    ("CPU 에서는(스레드가 둘이면) 나란히", "space"),  # a bracket right after the particle
    ("'auto' 는 기본값입니다", "space"),        # a quoted word
    ('첫 문장 "안녕하세요" 의 토큰', "space"),
    ("[NSMC](https://github.com/e9t/nsmc) 는 리뷰입니다", "space"),  # a link: its text is the word
    ("'auto'은 기본값입니다", "form"),          # 오토 -> 는
    ('"긍정"를 고릅니다', "form"),              # 긍정 -> 을
    ("[문장](docs/a.md)를 봅니다", "form"),      # 문장 -> 을
])
def test_the_checker_finds_a_space_and_a_wrong_form(text, kind):
    assert [k for k, _ in check_particles.check_text(text)] == [kind]


@pytest.mark.parametrize("text", [
    "`torch`는 PyTorch입니다", "ID를 봅니다", "768이라 큽니다", "1이 됩니다", "2가 됩니다", "10으로 나눕니다",
    "L로 끝납니다", "M으로 끝납니다", "`token`을 셉니다", "모델은 BERT로 씁니다", "e5는 작습니다",
    "2 이상입니다", "3 가지", "`output`을 봅니다", "`output`를 봅니다",  # 아웃풋 / 아웃푸트: both read
    "'auto'는 기본값입니다", '"긍정"을 고릅니다', "[NSMC](https://github.com/e9t/nsmc)는 리뷰입니다",
    '"어휘 파일의 몇 번째 줄인가"일 뿐입니다', "'auto' 모드",  # a noun after the quote, not a particle
])
def test_the_checker_accepts_right_particles_and_non_particles(text):
    assert check_particles.check_text(text) == []


def test_fix_joins_the_particle_and_corrects_its_form():
    assert check_particles.fix_line("`torch` 은 ID 을 1 가") == "`torch`는 ID를 1이"
    assert check_particles.fix_line("`make run` 은 `a b` 를") == "`make run`은 `a b`를"  # spaces in code stay


def test_no_particle_hit_in_the_series():
    paths = check_particles.default_paths()
    assert len(paths) >= 10 and any(p.suffix == ".ipynb" for p in paths)
    hits = [str(hit) for path in paths for hit in check_particles.check_file(path)]
    assert not hits, f"{len(hits)} particle hit(s) (fix: python scripts/check_particles.py --fix FILE):\n" + "\n".join(hits)
