"""Korean particles after code words, Latin words and numbers: no space, and the form that fits.

    python scripts/check_particles.py                 # notebooks/*.ipynb, README.md, docs/*.md
    python scripts/check_particles.py notebooks/03_model.ipynb docs/glossary.md
    python scripts/check_particles.py --fix notebooks/03_model.ipynb   # join and correct in place

Korean writes a particle right after its word: `ID를`, `` `torch`는 ``, `768이라`. This script finds
two kinds of mistakes in the prose learners read (markdown cells, Korean comments in code cells,
README.md, docs/*.md):

* space   - a space between a code span / Latin word / number and a following particle
            ("`torch` 는", "ID 를", "768 이라");
* form    - the particle does not fit how the word before it is read aloud in Korean
            (받침: 은/는, 이/가, 을/를, 과/와, 으로/로; "1" is 일 (ㄹ), "2" is 이, "L" is 엘 (ㄹ),
            "M" is 엠, "token" is 토큰, "tokenizer" is 토크나이저 ...). Where the reading is not
            certain (e.g. "output" 아웃풋 or 아웃푸트) both forms are accepted.

Exit status 1 and one line per hit (file:line: kind: text) when anything is found.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Reading of a word's end: "none" (no 받침), "rieul" (ㄹ 받침), "batchim" (any other 받침), None (unsure).
NONE, RIEUL, BATCHIM = "none", "rieul", "batchim"

# Particle pairs: (after a 받침, after no 받침). 으로/로 also takes 로 after ㄹ.
_PAIRS = {
    "은": ("은", "는"), "는": ("은", "는"),
    "이": ("이", "가"), "가": ("이", "가"),
    "을": ("을", "를"), "를": ("을", "를"),
    "과": ("과", "와"), "와": ("과", "와"),
    "으로": ("으로", "로"), "로": ("으로", "로"),
    "이라": ("이라", "라"), "라": ("이라", "라"),
    "이나": ("이나", "나"), "나": ("이나", "나"),
    "이며": ("이며", "며"), "며": ("이며", "며"),
    "이랑": ("이랑", "랑"), "랑": ("이랑", "랑"),
}
# Particles (and copulas) that must never stand apart from their word; each may be followed by a few
# endings (으로는, 과의, 이라는 ...). Longest first so that 으로 wins over 으.
_ALTERNATING = "으로|이라|이나|이며|이랑|은|는|이|가|을|를|과|와|로|라|나|며|랑"
_FIXED = "에서|에게|에는|에도|의|에|도|만|까지|부터|보다|처럼|마다|입니다|이다|이고|이면|일|인"
_TAIL = "(?:는|도|의|서|써|고|면|든|만|라도|가|나)?"
_END = r"(?=$|[\s.,;:!?()\]}\"'`·…—–/|*_~<>-])"

_CODE = r"`(?P<code>[^`\n]+)`"
# quoted words ('auto'는, "긍정"을) and markdown links ([NSMC](https://...)는): read by their text's end
_QUOTED = r"'(?P<single>[^'\s][^'\n]{0,38})'|\"(?P<double>[^\"\s][^\"\n]{0,38})\"|\[(?P<link>[^\]\n]+)\]\([^)\s]+\)"
_WORD = r"(?<![A-Za-z0-9_`])(?P<word>\[[A-Z]+\]|[A-Za-z0-9][A-Za-z0-9_.+%/\-]*[A-Za-z0-9%]|[A-Za-z0-9])(?![A-Za-z0-9_])"
_SPACE_HIT = re.compile(rf"(?:{_CODE}|{_QUOTED}|{_WORD})(?P<gap>[ \t]+)(?P<p>(?:{_ALTERNATING}|{_FIXED}){_TAIL}){_END}")
_FORM_HIT = re.compile(rf"(?:{_CODE}|{_QUOTED}|{_WORD})(?P<p>{_ALTERNATING}){_TAIL}{_END}")

_DIGIT = {"0": BATCHIM, "1": RIEUL, "2": NONE, "3": BATCHIM, "4": NONE, "5": NONE,
          "6": BATCHIM, "7": RIEUL, "8": RIEUL, "9": NONE}
# Letter names: A 에이, B 비, ... L 엘, M 엠, N 엔, R 알.
_LETTER = {c: NONE for c in "ABCDEFGHIJKOPQSTUVWXYZ"}
_LETTER.update({"L": RIEUL, "R": RIEUL, "M": BATCHIM, "N": BATCHIM})
# Words of this project whose reading the ending rules below would get wrong or leave unsure.
_WORDS = {
    "bert": NONE, "kcbert": NONE, "roberta": NONE, "koelectra": NONE, "electra": NONE,
    "klue": NONE, "nsmc": NONE, "colab": BATCHIM, "python": BATCHIM, "pytorch": NONE,
    "torch": NONE, "numpy": NONE, "pip": BATCHIM, "git": BATCHIM, "hub": NONE,
    "input": BATCHIM, "inputs": NONE, "outputs": NONE, "pad": NONE,
    "head": NONE, "embed": NONE, "seed": NONE, "mask": NONE, "dict": NONE, "list": NONE,
    "text": NONE, "float": NONE, "int": NONE, "dtype": BATCHIM, "type": BATCHIM,
    "config": NONE, "softmax": NONE, "tanh": NONE, "cls": NONE, "sep": BATCHIM, "unk": BATCHIM,
    "jupyter": NONE, "vs": NONE, "code": NONE, "e5": NONE, "json": BATCHIM, "html": RIEUL,
    "pdf": NONE, "csv": NONE, "api": NONE, "url": RIEUL, "windows": NONE, "linux": NONE,
    "macos": NONE, "wordpiece": NONE, "sentencepiece": NONE, "safetensors": NONE, "bin": BATCHIM,
    "fp16": NONE, "fp32": NONE, "gpu": NONE, "cpu": NONE, "cuda": NONE, "meta": NONE,
    "true": NONE, "false": NONE, "none": BATCHIM, "id": NONE, "ids": NONE, "step": BATCHIM,
    "bias": NONE, "weight": NONE, "weights": NONE, "dense": NONE, "linear": NONE,
    "ko": NONE, "en": BATCHIM, "sbert": NONE, "minilm": BATCHIM, "e5-small": RIEUL,
    "e5-base": NONE, "ner": NONE, "sts": NONE, "mlm": BATCHIM, "nsp": NONE, "cpu-only": NONE,
    "batch": NONE, "match": NONE, "cache": NONE, "base": NONE, "large": NONE, "small": RIEUL,
    "label": RIEUL, "labels": NONE, "logit": BATCHIM, "logits": NONE, "epoch": BATCHIM,
    "epochs": NONE, "ok": NONE, "abc": NONE, "f1": RIEUL, "top": BATCHIM, "book": BATCHIM,
    "readme": NONE, "make": NONE, "pytest": NONE, "nbval": RIEUL, "test": NONE,
}


def _hangul_end(ch: str) -> str | None:
    code = ord(ch) - 0xAC00
    if not 0 <= code < 11172:
        return None
    final = code % 28
    return NONE if final == 0 else RIEUL if final == 8 else BATCHIM


def _number(text: str) -> str | None:
    """Reading of a number's end: 1 일, 10 십, 100 백, 1000 천, 10000 만, 0.92 ...이."""
    if "." in text:  # digits after the point are read one by one
        return _DIGIT[text[-1]]
    digits = text.replace(",", "")
    stripped = digits.rstrip("0")
    if not stripped:
        return BATCHIM  # 영
    zeros = len(digits) - len(stripped)
    return _DIGIT[stripped[-1]] if zeros == 0 else BATCHIM  # 십 백 천 만 십만 ... all end in a 받침


def _english(word: str) -> str | None:
    """Reading of an English word's end as Korean loanwords spell it; None where it varies."""
    w = word.lower()
    if w in _WORDS:
        return _WORDS[w]
    if w.endswith("ng") or w[-1] in "mn":
        return BATCHIM
    if w[-1] == "l":
        return RIEUL
    if w[-1] in "aiouyrwsxzfvh" or w.endswith(("ch", "sh", "th")):
        return NONE
    if w[-1] == "e":  # a silent e: the consonant before it decides (line 라인, module 모듈, base 베이스)
        if len(w) > 1 and w[-2] in "mn":
            return BATCHIM
        if len(w) > 1 and w[-2] == "l":
            return RIEUL
        return NONE
    if len(w) > 1 and w[-2] not in "aeiou":  # two consonants at the end: 으 is added (list 리스트)
        return NONE
    if w[-1] in "dg":  # pad 패드, tag 태그
        return NONE
    return None  # t k p b c after a vowel: 아웃풋 / 플로트 - both forms occur


def reading(token: str) -> str | None:
    """How the end of `token` (a code span's text, a Latin word or a number) sounds in Korean."""
    text = token.strip()
    if text.startswith("[") and text.endswith("]") and text[1:-1].isupper():
        text = text[1:-1]  # [CLS], [PAD]
    elif text.endswith("()"):
        text = text[:-2]  # a function named: its name is read
    elif text.endswith((")", "]", "}")):
        return None  # a call or an index: how it is read varies
    text = text.rstrip(" \"':,;.?!")
    if not text:
        return None
    last = text[-1]
    if _hangul_end(last) is not None:
        return _hangul_end(last)
    if text.endswith("%"):
        return NONE  # 퍼센트
    words = re.findall(r"[A-Za-z]+|[0-9][0-9,]*(?:\.[0-9]+)?", text)
    if not words or not text[-1].isalnum():
        return None
    end = words[-1]
    if end[0].isdigit():
        if end.lower() in _WORDS:
            return _WORDS[end.lower()]
        return _number(end)
    whole = re.sub(r"[^A-Za-z0-9\-]", "", text).lower()
    if whole in _WORDS:
        return _WORDS[whole]
    if end.isupper() and len(end) <= 5 and end.lower() not in _WORDS:
        return _LETTER[end[-1]]  # an acronym read letter by letter: GPU 지피유, HTML 에이치티엠엘
    return _english(end)


def _fits(particle: str, sound: str | None) -> bool:
    if sound is None:
        return True
    after_batchim, after_vowel = _PAIRS[particle]
    if particle in ("으로", "로") and sound == RIEUL:
        return particle == "로"
    return particle == (after_batchim if sound in (BATCHIM, RIEUL) else after_vowel)


@dataclass(frozen=True)
class Hit:
    path: str
    line: int
    kind: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.kind}: {self.text}"


def check_text(text: str) -> list[tuple[str, str]]:
    """(kind, snippet) for every hit in one line of prose."""
    hits = []
    for m in _SPACE_HIT.finditer(text):
        hits.append(("space", m.group(0).strip()))
    for m in _FORM_HIT.finditer(text):
        token = next(m.group(name) for name in ("code", "single", "double", "link", "word") if m.group(name))
        particle = m.group("p")
        if not _fits(particle, reading(token)):
            right = _PAIRS[particle][0] if reading(token) in (BATCHIM, RIEUL) else _PAIRS[particle][1]
            if particle in ("으로", "로") and reading(token) == RIEUL:
                right = "로"
            hits.append(("form", f"{m.group(0)} (→ {right})"))
    return hits


_FENCE = re.compile(r"^\s*(```|~~~)")
_COMMENT = re.compile(r"(?:^|\s)#\s?(.*)$")
_HANGUL = re.compile(r"[가-힣]")


def prose_lines(text: str, *, code: bool = False):
    """(line number, text to check): markdown lines, and the comments of code (fenced or a code cell)."""
    in_fence = code
    for number, line in enumerate(text.splitlines(), 1):
        if not code and _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            m = _COMMENT.search(line)
            if m and _HANGUL.search(m.group(1)):
                yield number, m.group(1)
        else:
            yield number, line


def check_file(path: Path) -> list[Hit]:
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    found = []
    if path.suffix == ".ipynb":
        nb = json.loads(path.read_text(encoding="utf-8"))
        for index, cell in enumerate(nb["cells"]):
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            if cell["cell_type"] not in ("markdown", "code"):
                continue
            for number, line in prose_lines(source, code=cell["cell_type"] == "code"):
                for kind, snippet in check_text(line):
                    found.append(Hit(f"{shown} cell {index}", number, kind, snippet))
    else:
        for number, line in prose_lines(path.read_text(encoding="utf-8")):
            for kind, snippet in check_text(line):
                found.append(Hit(str(shown), number, kind, snippet))
    return found


def fix_line(text: str) -> str:
    """`text` with every space before a particle removed and every particle of the wrong form corrected."""
    text = _SPACE_HIT.sub(lambda m: text[m.start(0):m.start("gap")] + text[m.end("gap"):m.end(0)], text)

    def correct(m: re.Match) -> str:
        particle, sound = m.group("p"), reading(m.group("code") or m.group("word"))
        if _fits(particle, sound):
            return m.group(0)
        right = "로" if particle in ("으로", "로") and sound == RIEUL else \
            _PAIRS[particle][0 if sound in (BATCHIM, RIEUL) else 1]
        start = m.start("p") - m.start(0)
        return m.group(0)[:start] + right + m.group(0)[start + len(particle):]

    return _FORM_HIT.sub(correct, text)


def fix_file(path: Path, *, skip_tags: tuple[str, ...] = ("colab-link", "colab-setup")) -> None:
    """Rewrite `path` with fix_line applied to its prose (notebook cells tagged `skip_tags` untouched)."""
    def fixed(source: str, code: bool) -> str:
        lines = source.split("\n")
        checked = dict(prose_lines(source, code=code))
        for number, part in checked.items():
            lines[number - 1] = lines[number - 1].replace(part, fix_line(part), 1) if part else lines[number - 1]
        return "\n".join(lines)

    if path.suffix == ".ipynb":
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if set(cell.get("metadata", {}).get("tags", [])) & set(skip_tags):
                continue
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cell["source"] = fixed(source, cell["cell_type"] == "code")
        path.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    else:
        path.write_text(fixed(path.read_text(encoding="utf-8"), False), encoding="utf-8")


def default_paths() -> list[Path]:
    return [*sorted((ROOT / "notebooks").glob("*.ipynb")), ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    fix = "--fix" in args
    paths = [Path(a).resolve() for a in args if a != "--fix"] or default_paths()
    if fix:
        for path in paths:
            fix_file(path)
    hits = [hit for path in paths for hit in check_file(path)]
    for hit in hits:
        print(hit)
    print(f"{len(hits)} hit(s) in {len(paths)} file(s)", file=sys.stderr)
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main())
