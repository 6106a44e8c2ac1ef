"""The HTML book (scripts/build_book.py): it builds offline, and a real browser can read it.

Two parts:
- build tests: a tiny book from a made-up executed notebook (a picture, a widget, a warning),
  built in a temporary folder: always run, no browser needed;
- browser tests: headless Chromium opens the book that `make book` built (build/book) from a
  server on 127.0.0.1, and checks every page: title, code cells, pictures loaded, internal
  links that resolve, no page wider than the screen at 1280 px and 390 px; a search finds
  pages. Screenshots go to build/screenshots. Skipped when Chromium or the book is missing.
"""

from __future__ import annotations

import base64
import functools
import http.server
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import build_book  # noqa: E402

BOOK = Path(os.environ.get("BERTVEC_BOOK_DIR") or ROOT / "build" / "book")
SCREENSHOTS = ROOT / "build" / "screenshots"
WIDTHS = (1280, 390)
HANGUL_FONT = re.compile(r"nanum|cjk|malgun|apple sd|gothic|batang|gulim|dotum", re.IGNORECASE)


# ---------------------------------------------------------------- build tests (no browser)

def _png_bytes() -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(2, 1.5))
    ax.plot([-1, 0, 1], [1, -1, 0])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def _tqdm_widget_state() -> dict:
    """Saved state of a finished tqdm.auto bar, as nbclient stores it (HBox of label, bar, label)."""
    def model(name: str, **state) -> dict:
        return {"model_module": "@jupyter-widgets/controls", "model_name": name, "state": state}

    return {"state": {
        "box": model("HBoxModel", children=["IPY_MODEL_label", "IPY_MODEL_bar", "IPY_MODEL_rate"]),
        "label": model("HTMLModel", value="문장\u2007임베딩:\u2007100%"),
        "bar": model("FloatProgressModel", value=3.0, max=3.0, bar_style="success"),
        "rate": model("HTMLModel", value="\u20073/3\u2007[00:00&lt;00:00]"),
    }, "version_major": 2, "version_minor": 0}


def _executed_notebook(title: str) -> dict:
    png = base64.b64encode(_png_bytes()).decode()
    return {
        "nbformat": 4, "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                     "widgets": {"application/vnd.jupyter.widget-state+json": _tqdm_widget_state()}},
        "cells": [
            {"cell_type": "markdown", "id": "m1", "metadata": {}, "source": f"# {title}\n\n본문입니다."},
            {"cell_type": "code", "id": "c1", "metadata": {}, "execution_count": 1, "source": "plot()",
             "outputs": [{"output_type": "display_data", "metadata": {},
                          "data": {"image/png": png, "text/plain": "<Figure>"}}]},
            {"cell_type": "code", "id": "c2", "metadata": {}, "execution_count": 2, "source": "progress()",
             "outputs": [{"output_type": "display_data", "metadata": {},
                          "data": {"application/vnd.jupyter.widget-view+json":
                                   {"model_id": "box", "version_major": 2, "version_minor": 0},
                                   "text/plain": "문장 임베딩:   0%|          | 0/3"}},
                         {"output_type": "stream", "name": "stderr", "text": "\rtext:   0%|   | 0/2"},
                         {"output_type": "stream", "name": "stderr", "text": "\rtext:  50%|█  | 1/2"},
                         {"output_type": "stream", "name": "stderr", "text": "\rtext: 100%|██| 2/2\n경고: 느립니다\n"}]},
        ],
    }


@pytest.fixture(scope="module")
def tiny_book(tmp_path_factory) -> Path:
    executed = tmp_path_factory.mktemp("executed")
    for name, title in (("01_first.ipynb", "첫째 장"), ("02_second.ipynb", "둘째 장")):
        (executed / name).write_text(json.dumps(_executed_notebook(title), ensure_ascii=False), encoding="utf-8")
    out = tmp_path_factory.mktemp("site") / "book"
    build_book.build(executed, out)
    return out


def test_tiny_book_has_a_page_per_notebook_with_its_picture(tiny_book):
    page = (tiny_book / "notebooks" / "01_first.html").read_text(encoding="utf-8")
    assert "첫째 장" in page and 'plot</span>' in page
    images = list((tiny_book / "_images").glob("*.png"))
    assert images and all(p.stat().st_size > 100 for p in images)
    assert (tiny_book / build_book.WEB_FONT).stat().st_size > 100_000
    assert (tiny_book / "search.html").exists() and (tiny_book / "searchindex.js").exists()


def test_tiny_book_shows_progress_bars_in_their_final_state_without_widget_javascript(tiny_book):
    page = (tiny_book / "notebooks" / "01_first.html").read_text(encoding="utf-8")
    assert "문장 임베딩: 100%|██████████| 3/3 [00:00&lt;00:00]" in page
    assert "0/3" not in page, "the widget's first state (0%) must not be shown"
    assert "text: 100%|██| 2/2" in page and "0/2" not in page and "1/2" not in page
    assert "경고: 느립니다" in page
    assert "widget" not in page.lower()
    assert build_book.external_assets(tiny_book) == []


def test_home_page_lists_the_chapters_in_order(tiny_book):
    home = (tiny_book / "index.html").read_text(encoding="utf-8")
    assert home.index("첫째 장") < home.index("둘째 장")


def test_external_asset_detector_can_fail(tmp_path):
    (tmp_path / "a.html").write_text('<script src="https://cdn.example.org/x.js"></script>'
                                     '<a href="https://colab.research.google.com/x">ok</a>', encoding="utf-8")
    (tmp_path / "b.css").write_text('@font-face { src: url("//fonts.example.org/f.woff") }', encoding="utf-8")
    found = build_book.external_assets(tmp_path)
    assert len(found) == 2 and "a.html" in found[0] and "b.css" in found[1]


def test_unexecuted_notebooks_are_refused_with_the_fix():
    with pytest.raises(build_book.BookError, match="make run"):
        build_book.executed_notebooks(ROOT / "notebooks")


# ---------------------------------------------------------------- browser tests

def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output readable
        pass


@pytest.fixture(scope="module")
def book_server():
    """Base URL of the built book served on 127.0.0.1 at a free port; stopped afterwards."""
    if not (BOOK / "index.html").exists():
        pytest.skip(f"book not built at {BOOK} (run `make run` then `make book`)")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(BOOK)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class Browser:
    """Headless Chromium driven through the DevTools protocol (websocket-client, no selenium)."""

    def __init__(self, executable: str):
        import websocket

        self.profile = tempfile.mkdtemp(prefix="bertvec-chromium-")
        self.process = subprocess.Popen(
            [executable, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-extensions", "--hide-scrollbars", "--remote-debugging-address=127.0.0.1",
             "--remote-debugging-port=0", f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.close()
                raise RuntimeError("Chromium did not start")
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        targets = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10).read())
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30, suppress_origin=True)
        self._id = 0
        self.send("Page.enable")
        self.send("Runtime.enable")
        # every console error or warning and every uncaught exception of a page, in window.__bookErrors
        self.send("Page.addScriptToEvaluateOnNewDocument", source="""window.__bookErrors = [];
            for (const kind of ['error', 'warn']) {
              const original = console[kind];
              console[kind] = (...args) => { window.__bookErrors.push(kind + ': ' + args.map(String).join(' '));
                                             original.apply(console, args); };
            }
            addEventListener('error', event => window.__bookErrors.push('uncaught: ' + event.message));""")

    def send(self, method: str, **params) -> dict:
        self._id += 1
        self.ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self._id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"JavaScript failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def open(self, url: str, width: int) -> None:
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=900, deviceScaleFactor=1,
                  mobile=width < 600)
        self.send("Page.navigate", url=url)
        # wait until the document and every picture and web font finished loading
        self.evaluate("""new Promise(done => {
            const ready = () => Promise.all([document.fonts.ready,
                ...[...document.images].map(i => i.complete ? 0 : new Promise(r => { i.onload = i.onerror = r; }))])
              .then(() => done(true));
            if (document.readyState === 'complete' && location.href !== 'about:blank') ready();
            else addEventListener('load', ready);
        })""")

    def screenshot(self, path: Path, width: int, max_height: int = 15000) -> None:
        """The whole page (up to `max_height` px) as it looks on a screen `width` px wide."""
        height = min(self.evaluate("document.documentElement.scrollHeight"), max_height)
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
                  mobile=width < 600)
        self.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        shot = self.send("Page.captureScreenshot", format="png")
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=900, deviceScaleFactor=1,
                  mobile=width < 600)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))

    def fonts_of_hangul_text(self, limit: int = 300) -> dict[str, list[str]]:
        """{element text: font families Chromium really drew it with} for elements with Hangul.

        Folded answers (<details>) are opened first: text that is not drawn has no font at all,
        and the answers must show Hangul too once a reader unfolds them.
        """
        self.evaluate("""document.querySelectorAll('details').forEach(d => { d.open = true; });
            document.fonts.ready.then(() => true)""")
        self.evaluate(f"""[...document.querySelectorAll('article :is(h1,h2,h3,p,li,th,td,pre,span)')]
            .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && /[\\uac00-\\ud7af]/.test(n.textContent)))
            .slice(0, {limit}).forEach((e, i) => e.setAttribute('data-hangul', i))""")
        self.send("DOM.enable")
        self.send("CSS.enable")
        root = self.send("DOM.getDocument", depth=0)["root"]["nodeId"]
        found = {}
        for node in self.send("DOM.querySelectorAll", nodeId=root, selector="[data-hangul]")["nodeIds"]:
            text = self.send("DOM.getOuterHTML", nodeId=node)["outerHTML"]
            fonts = self.send("CSS.getPlatformFontsForNode", nodeId=node)["fonts"]
            found[text[:80]] = [f["familyName"] for f in fonts]
        return found

    def close(self) -> None:
        if getattr(self, "ws", None):
            self.ws.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture(scope="module")
def browser(book_server):
    executable = _chromium()
    if executable is None:
        pytest.skip("chromium not installed (apt-get install -y chromium)")
    pytest.importorskip("websocket")
    chromium = Browser(executable)
    yield chromium
    chromium.close()


def _book_pages() -> list[str]:
    """Book-relative paths of the home page and every notebook page."""
    if not (BOOK / "index.html").exists():
        return []
    pages = sorted(p.name for p in BOOK.glob("*.html") if p.stem not in {"genindex", "search"})
    return pages + sorted(f"notebooks/{p.name}" for p in (BOOK / "notebooks").glob("*.html"))


def _code_cells_in_source(page: str) -> int:
    source = BOOK.parent / f"{BOOK.name}-src" / Path(page).with_suffix(".ipynb")
    if not source.exists():
        return 0
    cells = json.loads(source.read_text(encoding="utf-8"))["cells"]
    return sum(1 for c in cells if c["cell_type"] == "code" and "".join(c["source"]).strip())


PAGE_FACTS = """(() => ({
    title: document.title,
    h1: (document.querySelector('main h1, article h1') || {}).textContent || '',
    codeCells: document.querySelectorAll('div.cell div.cell_input').length,
    images: [...document.querySelectorAll('article img, main img')].map(i => ({src: i.src, width: i.naturalWidth})),
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    hangulFont: document.fonts.check('16px BookHangul', '한글'),
    consoleErrors: window.__bookErrors || [],
    cutText: [...document.querySelectorAll('article :is(h1, h2, h3), .prev-next-area :is(.prev-next-title, .prev-next-subtitle)')]
        .filter(e => e.getClientRects().length && (e.scrollWidth > e.clientWidth + 1
                     || e.getBoundingClientRect().right > window.innerWidth + 1))
        .map(e => e.textContent.trim().slice(0, 60)),
    footer: (document.querySelector('footer.bd-footer-content') || {}).innerText || '',
    favicon: !!document.querySelector('link[rel~="icon"]'),
    englishTooltips: [...document.querySelectorAll('[title], [aria-label], [data-bs-original-title], [placeholder]')]
        .map(e => e.getAttribute('title') || e.getAttribute('data-bs-original-title') || e.getAttribute('aria-label')
                  || e.getAttribute('placeholder'))
        .filter(t => t && /^[A-Z][a-z]+( [a-z]+)*[.!]*$/.test(t.trim()) && !/^(BERT|Colab|Python)/.test(t.trim())),
}))()"""


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in ("id", "name") and value:
                self.ids.add(value)


@functools.lru_cache(maxsize=None)
def _ids_of(url: str) -> frozenset[str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        parser = _Ids()
        parser.feed(response.read().decode("utf-8", errors="replace"))
    return frozenset(parser.ids)


def _broken_internal_links(links: list[str], base: str) -> list[str]:
    broken = []
    for link in sorted(set(links)):
        parsed = urlparse(link)
        if not link.startswith(base):
            continue  # other hosts (Colab, GitHub) are links out, not part of the book
        target = urljoin(link, parsed.path)
        try:
            ids = _ids_of(target) if target.endswith(".html") else None
            if ids is None:
                urllib.request.urlopen(target, timeout=10).close()
        except OSError:
            broken.append(link)
            continue
        if parsed.fragment and ids is not None and unquote(parsed.fragment) not in ids:
            broken.append(link)
    return broken


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", _book_pages() or ["index.html"])
def test_page_reads_well_in_a_browser(browser, book_server, page, width):
    browser.open(book_server + page, width)
    facts = browser.evaluate(PAGE_FACTS)
    browser.screenshot(SCREENSHOTS / f"{Path(page).stem}-{width}.png", width)

    assert facts["h1"].strip() and facts["h1"].strip().rstrip("#").strip() in facts["title"], facts["title"]
    if page.startswith("notebooks/"):
        expected = _code_cells_in_source(page)
        assert expected and facts["codeCells"] == expected, f"{facts['codeCells']} code cells shown, {expected} in the notebook"
    assert [i["src"] for i in facts["images"] if i["width"] == 0] == [], "pictures that did not load"
    assert _broken_internal_links(facts["links"], book_server) == []
    assert facts["overflow"] <= 1, f"page is {facts['overflow']} px wider than a {width} px screen"
    assert facts["hangulFont"], "no font for Hangul was loaded"
    tofu = {text: fonts for text, fonts in browser.fonts_of_hangul_text().items()
            if not any(HANGUL_FONT.search(name) for name in fonts)}
    assert tofu == {}, "Hangul drawn without a Korean font (empty boxes)"
    assert facts["consoleErrors"] == [], "the page logged errors"
    assert facts["cutText"] == [], f"headings or previous/next labels cut off at {width} px"
    assert facts["favicon"], "no favicon"
    assert "bertvec-notebooks 기여자" in facts["footer"] and "으로" not in facts["footer"] and "Copyright" not in facts["footer"]
    assert facts["englishTooltips"] == [], "interface text left in English"


@pytest.mark.parametrize("word", ["BERT", "토크나이저"])
def test_search_finds_the_chapters(browser, book_server, word):
    browser.open(book_server + f"search.html?q={quote(word)}", 1280)
    found = browser.evaluate("""new Promise(done => {
        const t0 = Date.now();
        const poll = () => {
            const hits = document.querySelectorAll('#search-results li');
            if (hits.length || Date.now() - t0 > 10000) done(hits.length); else setTimeout(poll, 100);
        };
        poll();
    })""")
    browser.screenshot(SCREENSHOTS / f"search-{word}-1280.png", 1280, max_height=1500)
    assert found >= 1


# ---------------------------------------------------------------- what a reader does with the book

def _chapter_pages() -> list[str]:
    return [p for p in _book_pages() if p.startswith("notebooks/")]


def _fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


@pytest.mark.parametrize("page", _chapter_pages() or ["notebooks/00_overview.html"])
def test_each_chapter_offers_its_notebook_as_a_learner_gets_it(browser, book_server, page):
    browser.open(book_server + page, 1280)
    links = browser.evaluate("[...document.querySelectorAll('p.book-downloads a')].map(a => a.href)")
    assert len(links) == 2, links
    notebook = json.loads(_fetch(links[0]))
    name = Path(page).with_suffix(".ipynb").name
    assert links[0].endswith(f"/{name}")
    assert _fetch(links[0]) == (ROOT / "notebooks" / name).read_bytes(), "not the learner's notebook"
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert code and all(not c.get("outputs") for c in code), "the download carries outputs"
    exercises = [c for c in code if "exercise" in c.get("metadata", {}).get("tags", [])]
    assert all("..." in "".join(c["source"]) for c in exercises), "an exercise ships answered"
    archive = zipfile.ZipFile(io.BytesIO(_fetch(links[1])))
    assert f"bertvec-notebooks/{name}" in archive.namelist()
    assert browser.evaluate("[...document.querySelectorAll('a[href]')].filter(a => a.href.includes('_sources/')).length") == 0


def test_the_zip_holds_every_chapter_and_the_home_page_links_it(book_server):
    home = _fetch(book_server + "index.html").decode("utf-8")
    assert f'href="downloads/{build_book.ZIP_NAME}"' in home
    names = zipfile.ZipFile(io.BytesIO(_fetch(book_server + f"downloads/{build_book.ZIP_NAME}"))).namelist()
    chapters = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert sorted(n.split("/")[-1] for n in names if n.endswith(".ipynb")) == chapters


def test_the_whole_book_is_one_pdf(book_server):
    home = _fetch(book_server + "index.html").decode("utf-8")
    assert f'href="downloads/{build_book.PDF_NAME}"' in home
    pdf = _fetch(book_server + f"downloads/{build_book.PDF_NAME}")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pdf.startswith(b"%PDF") and pages >= 40, f"{pages} pages"


def test_warnings_look_like_warnings_and_stay_where_they_were_printed(browser, book_server):
    """04 prints, warns (RandomPoolerWarning on stderr), prints again: three blocks in that order."""
    source = json.loads((BOOK.parent / f"{BOOK.name}-src" / "notebooks" / "04_features.ipynb").read_text(encoding="utf-8"))
    orders = [[o.get("name") for o in c.get("outputs", []) if o.get("output_type") == "stream"]
              for c in source["cells"] if c["cell_type"] == "code"]
    assert ["stdout", "stderr", "stdout"] in orders, "04 no longer warns between two prints: pick another cell"
    browser.open(book_server + "notebooks/04_features.html", 1280)
    blocks = browser.evaluate("""[...document.querySelectorAll('div.cell_output')].map(o =>
        [...o.querySelectorAll(':scope > div.output')].map(d => d.classList.contains('stderr') ? 'stderr'
            : d.classList.contains('stream') ? 'stdout' : 'other'))""")
    assert any(b[:3] == ["stdout", "stderr", "stdout"] for b in blocks), blocks
    style = browser.evaluate("""(() => { const s = getComputedStyle(document.querySelector('div.cell_output div.stderr'));
        return [s.borderLeftWidth, s.borderLeftColor, s.backgroundColor]; })()""")
    assert style[0] == "4px" and style[1] == "rgb(217, 130, 43)" and style[2] != "rgba(0, 0, 0, 0)", style


def test_machine_path_detector_can_fail(tmp_path):
    (tmp_path / "a.html").write_text("<article><pre>/tmp/ipykernel_2506/4144208084.py:2: TruncationWarning</pre>"
                                     "<p>/root/.cache/huggingface/hub</p></article><p>/tmp/outside-article</p>",
                                     encoding="utf-8")
    found = build_book.machine_paths(tmp_path)
    assert len(found) == 2 and all(f.startswith("a.html") for f in found), found  # not the text outside <article>
    (tmp_path / "a.html").write_text("<article><p>helpers/loading.py 와 build/notebooks</p></article>", encoding="utf-8")
    assert build_book.machine_paths(tmp_path) == []


def test_the_built_book_shows_no_machine_path():
    if not (BOOK / "index.html").exists():
        pytest.skip("book not built")
    assert build_book.machine_paths(BOOK) == []


def _texts_of_pages() -> dict[str, str]:
    script = (BOOK / "_static" / "book_texts.js").read_text(encoding="utf-8")
    return json.loads(script[script.index("{"):script.rindex("}") + 1])


def _search(browser, url: str) -> list[dict]:
    browser.open(url, 1280)
    return browser.evaluate("""new Promise(done => {
        const t0 = Date.now();
        const poll = () => {
            const status = document.querySelector('#search-results .search-summary, #search-results p');
            const hits = [...document.querySelectorAll('#search-results li')];
            const finished = status && /찾|found|result/i.test(status.textContent) && hits.every(h => h.querySelector('p.context'));
            if ((hits.length && finished) || Date.now() - t0 > 15000)
                done(hits.map(h => ({href: h.querySelector('a').getAttribute('href'),
                                     snippet: (h.querySelector('p.context') || {}).textContent || ''})));
            else setTimeout(poll, 100);
        };
        poll();
    })""")


SEARCH_WORDS = ("학습", "토큰", "문장", "벡터", "파인튜닝", "pooler", "마스크")


@pytest.mark.parametrize("word", SEARCH_WORDS)
def test_korean_search_finds_every_page_with_the_word_in_any_form(browser, book_server, word):
    """Recall over the pages whose text contains the word (학습을, 학습한, pooler_output ...)."""
    texts = _texts_of_pages()
    having = {page for page, text in texts.items() if word.lower() in text.lower()
              and not page.startswith(("search", "genindex"))}
    hits = _search(browser, book_server + f"search.html?q={quote(word)}")
    found = {h["href"].split("#")[0].split("?")[0].lstrip("./") for h in hits}
    missed = sorted(having - found)
    assert having and len(missed) <= len(having) // 10, f"{word}: missed {missed} of {len(having)}"
    snippets = [h["snippet"] for h in hits if h["snippet"]]
    assert snippets and sum(word.lower() in s.lower() for s in snippets) >= 0.8 * len(snippets), snippets[:3]


def test_search_snippets_work_from_a_file(browser):
    if not (BOOK / "search.html").exists():
        pytest.skip("book not built")
    hits = _search(browser, (BOOK / "search.html").as_uri() + f"?q={quote('학습')}")
    assert hits and all("학습" in h["snippet"] for h in hits[:5]), hits[:3]


def test_code_cells_fit_the_column_on_a_laptop_screen(browser, book_server):
    """1366 px: the outline moves behind a header button, code cells get the room."""
    scrolling, total = 0, 0
    for page in _chapter_pages():
        browser.open(book_server + page, 1366)
        counts = browser.evaluate("""(() => { const pres = [...document.querySelectorAll('div.cell_input pre')];
            return [pres.filter(p => p.scrollWidth > p.clientWidth + 1).length, pres.length]; })()""")
        scrolling, total = scrolling + counts[0], total + counts[1]
    assert total and scrolling <= 0.15 * total, f"{scrolling} of {total} code cells scroll sideways at 1366 px"
    opened = browser.evaluate("""new Promise(done => {
        [...document.querySelectorAll('button.secondary-toggle')].find(b => b.offsetParent).click();
        setTimeout(() => { const d = document.querySelector('dialog[open]');
                           done(d ? [d.getBoundingClientRect().width, d.innerText.includes('정리')] : null); }, 500);
    })""")
    assert opened and opened[0] > 200 and opened[1], "the page outline does not open"


def test_figures_have_korean_alt_text_and_open_full_size(browser, book_server):
    browser.open(book_server + "notebooks/05_embeddings.html", 1280)
    alts = browser.evaluate("[...document.querySelectorAll('div.cell_output img')].map(i => i.alt)")
    assert alts and all(re.search("[가-힣]", a) and "/" not in a and ".png" not in a for a in alts), alts
    zoomed = browser.evaluate("""new Promise(done => {
        document.querySelector('div.cell_output img').click();
        setTimeout(() => { const d = document.querySelector('dialog.book-zoom[open] img');
                           done(d ? [d.naturalWidth, d.getBoundingClientRect().width] : null); }, 300);
    })""")
    assert zoomed and zoomed[1] > 700, zoomed


@pytest.mark.parametrize("page", _chapter_pages() or ["notebooks/00_overview.html"])
def test_colab_button_and_copy_buttons(browser, book_server, page):
    browser.open(book_server + page, 1280)
    facts = browser.evaluate("""(() => ({
        colab: [...document.querySelectorAll('.bd-header-article a[href*="colab.research.google.com"]')].map(a => a.href),
        copy: document.querySelectorAll('div.cell_input button.copybtn').length,
        cells: document.querySelectorAll('div.cell_input').length,
        titleFirst: (() => { const article = document.querySelector('article');
                             const first = article && article.querySelector('h1, a[href*="colab.research.google.com"]');
                             return first ? first.tagName : null; })(),
    }))()""")
    name = Path(page).with_suffix(".ipynb").name
    assert facts["colab"] and all(u.endswith(f"/blob/main/notebooks/{name}") for u in facts["colab"]), facts["colab"]
    assert facts["copy"] == facts["cells"] > 0
    assert facts["titleFirst"] == "H1", "something sits above the chapter's title"


def test_the_series_map_lists_every_chapter_by_title(browser, book_server):
    browser.open(book_server + "notebooks/00_overview.html", 1280)
    links = browser.evaluate("""[...document.querySelectorAll('article table a[href]')]
        .map(a => [new URL(a.href).pathname, a.textContent.trim()])""")
    linked = {href.split("/")[-1]: text for href, text in links}
    for page in _chapter_pages():
        name = Path(page).name
        assert name in linked, f"the series map in 00 lacks {name}"
        assert re.search("[가-힣]", linked[name]) and ".ipynb" not in linked[name], linked[name]


def test_figures_are_drawn_near_their_natural_size(browser, book_server):
    """A figure shrunk to a fraction of its pixels has labels too small to read (8 pt -> 5 px)."""
    shrunk = []
    for page in _chapter_pages():
        browser.open(book_server + page, 1280)
        sizes = browser.evaluate("""[...document.querySelectorAll('div.cell_output img')]
            .map(i => [i.naturalWidth, i.getBoundingClientRect().width])""")
        shrunk += [f"{page}: {natural} px drawn at {drawn:.0f}" for natural, drawn in sizes if drawn < 0.75 * natural]
    assert shrunk == []
