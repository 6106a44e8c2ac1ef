"""Build the static HTML book from the notebooks that `make run` already executed.

    python scripts/build_book.py [--notebooks build/notebooks] [--out build/book] [--no-pdf]

Steps: copy docs/*.md and the executed notebooks into a staging folder (build/book-src) -
widget state dropped (it would make pages load JavaScript from a CDN; the text form of a
progress bar stays), the Colab link cell dropped (the theme's header has a Colab button), a
download line added under each chapter's title, Korean alt text given to every figure - run
Sphinx with warnings as errors (-W), then check that no page loads anything from another host
and that no page shows a path of the machine that built it. Then the downloads: each chapter's
notebook as a learner gets it (blank exercises, no outputs), a zip of all of them, the page
texts that make search snippets work from file://, and - where Chromium is installed - a PDF
of the whole book (Sphinx's single-page build printed by headless Chromium). Nothing is
executed a second time, and no network is needed. Exit status 1 on any problem, with the reason.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import subprocess
import sys
import time
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
sys.path.insert(0, str(ROOT / "scripts"))
from colab import colab_url, repository_url  # noqa: E402
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

# Attributes and CSS that make a browser fetch something (a plain <a href> only links out).
_ASSET = re.compile(
    r"""<(?:script|img|iframe|source|video|audio|embed)\b[^>]*\bsrc\s*=\s*["']?(https?:)?//"""
    r"""|<link\b[^>]*\bhref\s*=\s*["']?(https?:)?//"""
    r"""|url\(\s*["']?(https?:)?//"""
    r"""|@import\s+["'](https?:)?//""",
    re.IGNORECASE,
)


class BookError(RuntimeError):
    """The book cannot be built; the message says what to do."""


def executed_notebooks(folder: Path) -> list[Path]:
    """The numbered notebooks in `folder`; refuses a missing folder or notebooks never executed."""
    paths = sorted(folder.glob(NOTEBOOK_GLOB))
    if not paths:
        raise BookError(f"{folder} 에 실행된 노트북이 없습니다. 먼저 `make run` 을 실행하세요.")
    never_run = [p.name for p in paths if not any(
        c.get("outputs") for c in json.loads(p.read_text(encoding="utf-8"))["cells"])]
    if never_run:
        raise BookError(f"출력이 하나도 없는 노트북: {', '.join(never_run)}. "
                        "notebooks/ 가 아니라 `make run` 이 만든 build/notebooks 를 주세요.")
    return paths


def _widget_text(model_id: str, state: dict) -> str | None:
    """Final text of a saved widget: tqdm's bar (HBox of HTML, FloatProgress, HTML) or a label."""
    model = state.get(model_id)
    if model is None:
        return None
    name, values = model.get("model_name", ""), model.get("state", {})
    if name == "HBoxModel":
        parts = [_widget_text(child.removeprefix("IPY_MODEL_"), state) for child in values.get("children", [])]
        return "".join(p for p in parts if p) or None
    if name == "FloatProgressModel" and values.get("max"):
        filled = round(10 * values.get("value", 0) / values["max"])
        return "|" + "█" * filled + " " * (10 - filled) + "|"
    if "value" in values and isinstance(values["value"], str):
        return html.unescape(re.sub(r"<[^>]+>", "", values["value"])).replace("\u2007", " ")
    return None


def _last_write_per_line(text: str) -> str:
    """What a terminal shows of text with carriage returns (a text progress bar's last state)."""
    return "\n".join(line.rsplit("\r", 1)[-1] for line in text.split("\n"))


def without_widgets(nb: dict) -> dict:
    """The notebook with widget views and their state removed, readable as text.

    A widget's text/plain is what it showed when first displayed (a progress bar at 0%); it is
    replaced with the widget's saved final state. Carriage-return updates of text progress
    bars keep their last state only.
    """
    saved = nb["metadata"].pop("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    state = saved.get("state", {})
    for cell in nb["cells"]:
        kept = []
        for output in cell.get("outputs", []):
            data = output.get("data")
            if data and WIDGET_MIME in data:
                view = data.pop(WIDGET_MIME)
                final = _widget_text(view.get("model_id", ""), state)
                if final:
                    data["text/plain"] = final
                if not data:
                    continue
            if output.get("output_type") == "stream":
                text = output.get("text", "")
                output["text"] = "".join(text) if isinstance(text, list) else text
                previous = kept[-1] if kept else {}
                if previous.get("output_type") == "stream" and previous.get("name") == output.get("name"):
                    previous["text"] += output["text"]  # one block per stream, as Jupyter shows it
                    continue
            kept.append(output)
        for output in kept:
            if output.get("output_type") == "stream":
                output["text"] = _last_write_per_line(output["text"])
        if "outputs" in cell:
            cell["outputs"] = kept
    return nb


DOWNLOADS = "downloads"
ZIP_NAME = "bertvec-notebooks.zip"
PDF_NAME = "bertvec-notebooks.pdf"
LEARNER_NOTEBOOKS = ROOT / "notebooks"


def _plain(line: str) -> str:
    """A markdown line as plain text: link targets, emphasis, code marks and heading marks dropped."""
    line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)
    return re.sub(r"[#*`>]|\[|\]", "", line).strip()


def _markdown_text(source: str) -> str:
    """What a markdown cell says, as plain text for the alt text of the figure after it: its
    first sentence of prose (a heading such as "그림으로 보기" alone says nothing), or its
    heading when it has no prose."""
    lines = [line.strip() for line in source.splitlines() if line.strip()]
    prose = [line for line in lines if not line.startswith(("#", "|", "```", "<"))]
    if prose:
        text = _plain(prose[0])
        sentence = re.match(r"(.+?[.!?])(\s|$)", text)
        return sentence.group(1) if sentence else text
    return _plain(lines[0]) if lines else ""


def alt_text(context: str) -> str:
    """Korean alt text of a figure from the text before it: "그림: ..." unless it already says 그림."""
    text = context if "그림" in context else f"그림: {context}"
    return text if len(text) <= 160 else text[:159].rsplit(" ", 1)[0] + "…"


def chapter_titles(notebooks: list[Path]) -> dict[str, str]:
    """{notebook file name: its title (the first "# " heading)} of the chapters."""
    titles = {}
    for path in notebooks:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            source = "".join(cell["source"]).lstrip()
            if cell["cell_type"] == "markdown" and source.startswith("# "):
                titles[path.name] = _plain(source.splitlines()[0])
                break
    return titles


_CHAPTER_LINK = re.compile(r"\[`?(\d\d_\w+?)(?:\.ipynb)?`?\]\((\1\.ipynb)(#[^)]*)?\)")


def titled_links(source: str, titles: dict[str, str]) -> str:
    """Markdown whose links to another chapter read with the chapter's title, not its file name
    ([04_features](04_features.ipynb) -> [04. 입력 만들기: ...](04_features.ipynb))."""
    def retitle(match: re.Match) -> str:
        title = titles.get(match.group(2))
        return f"[{title}]({match.group(2)}{match.group(3) or ''})" if title else match.group(0)
    return _CHAPTER_LINK.sub(retitle, source)


EXERCISE_NOTE = ("*빈칸(`...`)을 채우고 실행하면 여기에 결과가 나옵니다. "
                 "책에는 빈칸 그대로 실행한 출력을 싣지 않습니다.*")


def _stream_text(output: dict) -> str:
    text = output.get("text", "")
    return text if isinstance(text, str) else "".join(text)


def joined_streams(outputs: list[dict]) -> list[dict]:
    """A cell's outputs with each run of same-stream text joined into one block, in order
    (a warning between two prints stays between them, unlike myst-nb's nb_merge_streams)."""
    joined: list[dict] = []
    for output in outputs:
        previous = joined[-1] if joined else None
        if (output.get("output_type") == "stream" and previous is not None
                and previous.get("output_type") == "stream" and previous.get("name") == output.get("name")):
            joined[-1] = {**previous, "text": _stream_text(previous) + _stream_text(output)}
        else:
            joined.append(output)
    return joined


def for_the_book(nb: dict, name: str, titles: dict[str, str] | None = None) -> dict:
    """A staged notebook: no widgets, no Colab link cell (replaced by a "Colab에서 열기" link
    under the title, with the chapter's downloads), links to other chapters by their titles,
    blank exercises without the output of their blanks, and Korean alt text on every figure
    (from the markdown cell before it)."""
    nb = without_widgets(nb)
    cells = [c for c in nb["cells"] if "colab-link" not in c.get("metadata", {}).get("tags", [])]
    title = next((i for i, c in enumerate(cells) if c["cell_type"] == "markdown"
                  and "".join(c["source"]).lstrip().startswith("# ")), None)
    if title is not None:
        # the links go right under the title line, above the rest of the title cell (the intro)
        heading, _, rest = "".join(cells[title]["source"]).lstrip().partition("\n")
        if rest.strip():
            cells[title] = {**cells[title], "source": heading}
            cells.insert(title + 1, {"cell_type": "markdown", "id": f"{cells[title].get('id', 'title')}-intro",
                                     "metadata": {}, "source": rest})
        colab = colab_url(name, repository_url())
        links = (f'<p class="book-colab"><a class="book-colab-badge" href="{colab}">Colab에서 열기</a></p>\n\n'
                 f'<p class="book-downloads">내려받기: <a href="../{DOWNLOADS}/{name}" download>이 장의 노트북 ({name})</a>'
                 f' · <a href="../{DOWNLOADS}/{ZIP_NAME}" download>모든 장과 도우미 (zip, 내 컴퓨터에서 실행)</a></p>')
        cells.insert(title + 1, {"cell_type": "markdown", "id": "book-downloads", "metadata": {}, "source": links})
    context = ""
    for cell in cells:
        if cell["cell_type"] == "code":
            cell["outputs"] = joined_streams(cell.get("outputs", []))
            if "exercise" in cell.get("metadata", {}).get("tags", []) and cell["outputs"]:
                cell["outputs"] = [{"output_type": "display_data", "metadata": {},
                                    "data": {"text/markdown": EXERCISE_NOTE}}]
        if cell["cell_type"] == "markdown":
            # links into docs/ (right on GitHub and in Colab) point at the book's own pages
            cell["source"] = titled_links("".join(cell["source"]).replace("](../docs/", "](../"), titles or {})
            context = _markdown_text(cell["source"]) or context
        elif any("image/png" in o.get("data", {}) for o in cell.get("outputs", [])):
            cell.setdefault("metadata", {}).setdefault("mystnb", {})["image"] = {"alt": alt_text(context)}
    return {**nb, "cells": cells}


def stage(notebooks: list[Path], staging: Path, *, with_pdf: bool = False) -> None:
    """Lay out the Sphinx source folder: docs/*.md plus the notebooks made ready for the book."""
    if staging.exists():
        shutil.rmtree(staging)
    (staging / "notebooks").mkdir(parents=True)
    for page in DOCS.glob("*.md"):
        shutil.copy2(page, staging / page.name)
    pdf = f' · <a href="{DOWNLOADS}/{PDF_NAME}">책 전체 (PDF)</a>' if with_pdf else ""
    index = staging / "index.md"
    if index.exists():
        text = index.read_text(encoding="utf-8")
        downloads = (f'\n<p class="book-downloads">내려받기: <a href="{DOWNLOADS}/{ZIP_NAME}" download>모든 장과 도우미 (zip, 내 컴퓨터에서 실행)</a>'
                     f"{pdf}</p>\n")
        index.write_text(text.replace("\n\n", "\n" + downloads + "\n", 1), encoding="utf-8")
    titles = chapter_titles(notebooks)
    for path in notebooks:
        nb = for_the_book(json.loads(path.read_text(encoding="utf-8")), path.name, titles)
        (staging / "notebooks" / path.name).write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")


BUNDLE = "bertvec-notebooks"
"""Top folder of the zip (the Colab setup cell looks for an uploaded `bertvec-notebooks*.zip`)."""
BUNDLE_FILES = ("pyproject.toml", "requirements.txt", "constraints.txt", "scripts/colab_setup.py")
"""Files of the repository a learner needs besides notebooks/ and helpers/ (those that exist)."""

BUNDLE_README = """# BERT로 단어와 문장을 벡터로: 내 컴퓨터에서 실행하는 묶음

이 폴더에는 노트북(`notebooks/`)과 노트북이 불러 쓰는 도우미 패키지(`helpers/`, 예제 데이터 포함),
노트북이 가리키는 참고 페이지(`docs/`: 용어 모음, 자주 만나는 오류), 그리고 검증된 패키지 버전 목록(`requirements.txt`, `constraints.txt`)이 들어 있습니다.
노트북의 연습 문제는 빈칸(`...`)이고 출력은 비어 있습니다. Python 3.11이 필요합니다.

## 1단계: 가상환경을 만들고 패키지 설치하기 (한 번만, 인터넷 필요)

터미널(Windows 는 명령 프롬프트)에서 이 폴더로 들어가 실행합니다.

macOS / Linux:

```
python3.11 -m venv .venv
.venv/bin/python -m pip install -r requirements.txt -c constraints.txt
.venv/bin/python -m pip install --no-deps -e .
```

Windows:

```
py -3.11 -m venv .venv
.venv\\Scripts\\python -m pip install -r requirements.txt -c constraints.txt
.venv\\Scripts\\python -m pip install --no-deps -e .
```

마지막 줄이 `helpers`를 설치합니다. 이것이 없으면 노트북이 `ModuleNotFoundError: No module named 'helpers'`로 멈춥니다.

## 2단계: 노트북 열고 실행하기

```
.venv/bin/python -m jupyter lab notebooks
```

(Windows: `.venv\\Scripts\\python -m jupyter lab notebooks`) 브라우저에 열린 목록에서 `00_overview.ipynb`부터
차례로 열고, 위에서부터 셀을 실행하세요.

패키지를 설치한 뒤에는 **인터넷 없이도** 실행됩니다. 모델을 받을 수 없으면 패키지에 든 내장 기본 모델
(multilingual-e5-small)로 실행합니다. 인터넷이 없는 곳에서는 모델 허브에 묻지 않도록 `HF_HUB_OFFLINE=1`을
설정하고 실행하면 기다리지 않습니다. 예: 노트북 하나를 화면 없이 끝까지 실행해 결과를 `executed/`에 저장하기

```
HF_HUB_OFFLINE=1 .venv/bin/python -m jupyter nbconvert --to notebook --execute --output-dir executed notebooks/02_tokenizer.ipynb
```

(Windows 명령 프롬프트: `set HF_HUB_OFFLINE=1`을 먼저 실행하고 `HF_HUB_OFFLINE=1` 없이 같은 명령을 씁니다.)
"""

BUNDLE_README_COLAB = """
## Colab에서

Colab에 이 zip 파일을 올리고(왼쪽 파일 창, `/content`) 아무 노트북의 첫 코드 셀을 실행하면 그 셀이 zip을 풀어 준비합니다.
"""
"""Added to the bundle's README.md only when the repository has scripts/colab_setup.py (what that cell runs)."""


def bundle_members() -> list[tuple[Path, str]]:
    """(file, name in the zip) of the learner bundle: learner notebooks, helpers with its data,
    the package files, the reference pages of docs/ and (when the repository has it) the Colab
    setup script."""
    members = [(path, f"{BUNDLE}/notebooks/{path.name}") for path in sorted(LEARNER_NOTEBOOKS.glob(NOTEBOOK_GLOB))]
    for path in sorted((ROOT / "helpers").rglob("*")):
        relative = path.relative_to(ROOT)
        if path.is_file() and "__pycache__" not in relative.parts and path.suffix not in {".pyc", ".pyo"}:
            members.append((path, f"{BUNDLE}/{relative.as_posix()}"))
    members += [(ROOT / name, f"{BUNDLE}/{name}") for name in BUNDLE_FILES if (ROOT / name).is_file()]
    # the reference pages the notebooks link to (../docs/glossary.md), not the book's own front page
    members += [(page, f"{BUNDLE}/docs/{page.name}") for page in sorted(DOCS.glob("*.md")) if page.name != "index.md"]
    return members


def write_bundle(target: Path) -> Path:
    """The zip of the learner bundle: `bertvec-notebooks/` that runs after the two steps of its README.md."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, name in bundle_members():
            archive.write(path, name)
        colab = BUNDLE_README_COLAB if (ROOT / "scripts" / "colab_setup.py").is_file() else ""
        archive.writestr(f"{BUNDLE}/README.md", BUNDLE_README + colab)
    return target


def write_downloads(book: Path, names: list[str]) -> list[Path]:
    """Each chapter's notebook as learners get it (from notebooks/: outputs cleared, exercises
    blank) and the learner bundle (zip), in `book`/downloads."""
    folder = book / DOWNLOADS
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in names:
        source = LEARNER_NOTEBOOKS / name
        if source.exists():
            shutil.copy2(source, folder / name)
            written.append(folder / name)
    return [*written, write_bundle(folder / ZIP_NAME)]


class _ArticleText(HTMLParser):
    """The visible text of a page's <article>: scripts, styles, buttons and the headings' "#"
    links left out."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    HIDDEN = {"script", "style", "button"}

    def __init__(self):
        super().__init__()
        self.open: list[bool] = []  # for each open element inside <article>: is its text hidden?
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID or (tag != "article" and not self.open):
            return
        classes = (dict(attrs).get("class") or "").split()
        hidden = tag in self.HIDDEN or "headerlink" in classes or bool(self.open and self.open[-1])
        self.open.append(hidden)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.open:
            self.open.pop()

    def handle_data(self, data):
        if self.open and not self.open[-1]:
            self.parts.append(data)


def article_texts(book: Path) -> dict[str, list[str]]:
    """{page file: the text pieces of its <article>} for every page of the built book."""
    texts = {}
    for page in sorted(book.rglob("*.html")):
        parser = _ArticleText()
        parser.feed(page.read_text(encoding="utf-8"))
        texts[page.relative_to(book).as_posix()] = parser.parts
    return texts


def write_page_texts(book: Path) -> Path:
    """`_static/book_texts.js`: {page file: article text}, the search snippets' source (book.js)."""
    texts = {}
    for name, parts in article_texts(book).items():
        text = re.sub(r"\s+", " ", "".join(parts)).strip()
        if text:
            texts[name] = text
    target = book / "_static" / "book_texts.js"
    target.write_text("window.BOOK_TEXTS = " + json.dumps(texts, ensure_ascii=False) + ";\n", encoding="utf-8")
    return target


MACHINE_PATH = re.compile(r"(?<![\w.])(/tmp/|/root/|/home/\w|/Users/\w|/work/|[\w.-]*site-packages/|ipykernel_\d)\S*")


def machine_paths(book: Path) -> list[str]:
    """'page: text' for every place a built page shows a path of the machine that built it."""
    found = []
    for name, parts in article_texts(book).items():
        text = " ".join(parts)  # text of separate elements never runs together
        for match in MACHINE_PATH.finditer(text):
            found.append(f"{name}: ...{text[max(0, match.start() - 40):match.end() + 40]!r}...")
    return found


def chromium() -> str | None:
    """Headless Chromium for the PDF, if installed (Debian package `chromium`)."""
    return next((found for name in ("chromium", "chromium-browser", "google-chrome") if (found := shutil.which(name))), None)


_DOCUMENT = re.compile(r'<span id="document-([^"]+)"></span>\s*<section[^>]*>\s*<h[12]>(.*?)<a class="headerlink"', re.S)


def printed_contents(page: str) -> list[str]:
    """The chapters that Sphinx's single-page book lists in its table of contents (the toctree
    of the home page, printed on the first page of the PDF with links to the chapters)."""
    documents = [name for name, _ in _DOCUMENT.findall(page)]
    contents = page[:page.index(f'<span id="document-{documents[0]}">')] if documents else ""
    return [name for name in documents if f'href="#document-{name}"' in contents]


A4_POINTS = (595, 842)
_MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]")


def pdf_pages(pdf: bytes) -> list[tuple[int, int]]:
    """(width, height) in points, rounded, of every page of a PDF that Chromium printed."""
    return [(round(float(w)), round(float(h))) for w, h in _MEDIA_BOX.findall(pdf)]


def write_pdf(staging: Path, book: Path, browser: str) -> Path:
    """The whole book as one A4 PDF: Sphinx's single-page build with a table of contents,
    printed by headless Chromium (page size, page numbers and what is left out: book.css)."""
    single = book.parent / f"{book.name}-single"
    result = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "singlehtml", "-c", str(DOCS),
                             "-d", str(staging / ".doctrees-single"), str(staging), str(single)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise BookError(f"PDF 용 한 쪽짜리 책을 만들지 못했습니다:\n{result.stderr.strip()[-2000:]}")
    write_web_font(single)
    index = single / "index.html"
    page = index.read_text(encoding="utf-8")
    if not printed_contents(page) or len(printed_contents(page)) != len(_DOCUMENT.findall(page)):
        raise BookError("한 쪽짜리 책의 차례에 빠진 장이 있습니다(PDF 의 차례를 만들 수 없음).")
    target = book / DOWNLOADS / PDF_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    profile = book.parent / ".pdf-profile"
    printed = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                              "--disable-background-networking", "--disable-component-update", "--disable-sync",
                              f"--user-data-dir={profile}", "--no-pdf-header-footer", "--print-to-pdf-no-header",
                              "--generate-pdf-document-outline", f"--print-to-pdf={target}",
                              index.as_uri()], capture_output=True, text=True, timeout=300)
    shutil.rmtree(profile, ignore_errors=True)
    shutil.rmtree(single, ignore_errors=True)
    if printed.returncode != 0 or not target.exists() or target.stat().st_size < 10_000:
        raise BookError(f"Chromium 이 PDF 를 만들지 못했습니다: {printed.stderr.strip()[-500:]}")
    sizes = set(pdf_pages(target.read_bytes()))
    if sizes != {A4_POINTS}:
        raise BookError(f"PDF 쪽 크기가 A4({A4_POINTS[0]}x{A4_POINTS[1]}pt)가 아닙니다: {sorted(sizes)}")
    return target


HANGUL_RANGES = ((0x1100, 0x11FF), (0x3000, 0x303F), (0x3130, 0x318F), (0xA960, 0xA97F),
                 (0xAC00, 0xD7AF), (0xD7B0, 0xD7FF), (0xFF00, 0xFFEF))
"""Code points the book's web font covers (the same list as `unicode-range` in docs/_static/book.css)."""
WEB_FONT = Path("_static") / "fonts" / "hangul.woff"


def write_web_font(book: Path) -> Path:
    """Hangul-only WOFF of NanumGothic for docs/_static/book.css, so pages need no system Korean font.

    The font file in the koreanize-matplotlib wheel carries VTT source tables (TSI0-TSI5) that
    Chromium's font sanitizer rejects; the subset drops them and the hinting (about 0.4 MB left).
    """
    sys.path.insert(0, str(ROOT))
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from helpers.plotting import bundled_font_file

    source = bundled_font_file()
    if source is None:
        raise BookError("한국어 글꼴(NanumGothic)이 없습니다. `make env` 로 프로젝트 환경을 만드세요.")
    options = subset.Options()
    options.hinting = False
    options.flavor = "woff"
    options.drop_tables += ["TSI0", "TSI1", "TSI2", "TSI3", "TSI5"]
    font = TTFont(str(source))
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for low, high in HANGUL_RANGES for c in range(low, high + 1)])
    subsetter.subset(font)
    target = book / WEB_FONT
    target.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(target), options)
    return target


def external_assets(book: Path) -> list[str]:
    """'file: snippet' for every place in the built book that would fetch from another host."""
    found = []
    for path in sorted(book.rglob("*")):
        if path.suffix not in {".html", ".css", ".js"} or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in _ASSET.finditer(text):
            start = match.start()
            found.append(f"{path.relative_to(book)}: {text[start:start + 120]!r}")
    return found


class Built(NamedTuple):
    """What `build` made: the chapter pages, the PDF (None if not made) and why not."""

    pages: list[Path]
    pdf: Path | None
    pdf_note: str


def build(notebook_dir: Path, out: Path, *, pdf: bool = True) -> Built:
    """Build the book into `out`. Raises BookError."""
    notebooks = executed_notebooks(notebook_dir)
    staging = out.parent / f"{out.name}-src"
    browser = chromium() if pdf else None
    if not pdf:
        note = "만들지 않았습니다: --no-pdf로 건너뛰었습니다."
    elif browser is None:
        note = ("만들지 않았습니다: Chromium이 없습니다 (Debian/Ubuntu: `sudo apt-get install chromium`). "
                "HTML 책은 그대로 쓸 수 있고, 첫 페이지에 PDF 링크가 없습니다.")
    stage(notebooks, staging, with_pdf=browser is not None)
    draft = out.parent / f"{out.name}-draft"  # a failed build never leaves a half book at `out`
    if draft.exists():
        shutil.rmtree(draft)
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
               "-c", str(DOCS), "-d", str(staging / ".doctrees"), str(staging), str(draft)]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise BookError(f"Sphinx 가 실패했습니다 (경고도 오류로 칩니다):\n{result.stderr.strip()}")
    write_web_font(draft)
    leaks = external_assets(draft)
    if leaks:
        raise BookError("책이 다른 서버에서 파일을 불러오려 합니다(오프라인에서 깨짐):\n  " + "\n  ".join(leaks[:20]))
    missing = [p.name for p in notebooks if not (draft / "notebooks" / p.with_suffix(".html").name).exists()]
    if missing:
        raise BookError(f"페이지가 만들어지지 않았습니다: {', '.join(missing)}")
    paths = machine_paths(draft)
    if paths:
        raise BookError("책에 빌드한 컴퓨터의 경로가 보입니다(학습자에게 보일 것이 아님):\n  " + "\n  ".join(paths[:20]))
    write_downloads(draft, [p.name for p in notebooks])
    write_page_texts(draft)
    if browser is not None:
        printed = write_pdf(staging, draft, browser)
        note = f"만들었습니다: A4 {len(pdf_pages(printed.read_bytes()))}쪽, {printed.stat().st_size / 1e6:.1f} MB"
    if out.exists():
        shutil.rmtree(out)
    draft.rename(out)
    return Built([out / "notebooks" / p.with_suffix(".html").name for p in notebooks],
                 out / DOWNLOADS / PDF_NAME if browser is not None else None, note)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebooks", type=Path, default=ROOT / "build" / "notebooks",
                        help="folder of executed notebooks (default: build/notebooks from `make run`)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "book")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF (it needs Chromium)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        built = build(args.notebooks.resolve(), args.out.resolve(), pdf=not args.no_pdf)
    except BookError as err:
        print(f"책을 만들지 못했습니다: {err}", file=sys.stderr)
        return 1
    print(f"책 {len(built.pages)}장을 {time.perf_counter() - started:.1f}초 만에 만들었습니다: {args.out / 'index.html'}")
    print(f"PDF: {built.pdf_note}" + (f" ({built.pdf})" if built.pdf else ""))
    print(f"내려받기: 장마다 노트북, 실행 묶음 {args.out / DOWNLOADS / ZIP_NAME}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
