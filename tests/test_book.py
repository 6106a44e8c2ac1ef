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
