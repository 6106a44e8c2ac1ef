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
WIDTHS = (1366, 390)
HEIGHTS = {1366: 900, 390: 844}  # a laptop and a phone
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


def test_a_staged_chapter_has_its_colab_link_titled_links_blank_exercises_and_alt_text():
    nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "markdown", "id": "t", "metadata": {}, "source": "# 01. 첫째 장\n\n> 예상 시간 10분\n\n## 배울 것\n- 많이"},
        {"cell_type": "markdown", "id": "h", "metadata": {}, "source": "## 그림으로 보기\n왼쪽은 학습 전, 오른쪽은 학습 뒤입니다. 더 있습니다."},
        {"cell_type": "code", "id": "f", "metadata": {}, "execution_count": 1, "source": "plot()",
         "outputs": [{"output_type": "display_data", "metadata": {}, "data": {"image/png": "iVBOR", "text/plain": "<Figure>"}}]},
        {"cell_type": "markdown", "id": "g", "metadata": {}, "source": "## 결과 보기"},
        {"cell_type": "code", "id": "f2", "metadata": {}, "execution_count": 2, "source": "plot()",
         "outputs": [{"output_type": "display_data", "metadata": {}, "data": {"image/png": "iVBOR", "text/plain": "<Figure>"}}]},
        {"cell_type": "code", "id": "e", "metadata": {"tags": ["exercise"]}, "execution_count": 3,
         "source": "glued = ...\nprint(pieces, '->', glued)",
         "outputs": [{"output_type": "stream", "name": "stdout", "text": "['a'] -> Ellipsis\n"}]},
        {"cell_type": "markdown", "id": "n", "metadata": {}, "source": "## 다음 장\n[02_second](02_second.ipynb) 에서는 ..."},
    ]}
    staged = build_book.for_the_book(nb, "01_first.ipynb", {"02_second.ipynb": "02. 둘째 장"})
    cells = {c["id"]: c for c in staged["cells"]}
    colab = build_book.colab_url("01_first.ipynb", build_book.repository_url())
    assert f'href="{colab}">Colab에서 열기</a>' in cells["book-downloads"]["source"]
    assert [c["id"] for c in staged["cells"]][:3] == ["t", "book-downloads", "t-intro"], "the Colab link goes right under the title"
    assert cells["t"]["source"] == "# 01. 첫째 장" and cells["t-intro"]["source"].strip().startswith("> 예상 시간")
    assert cells["f"]["metadata"]["mystnb"]["image"]["alt"] == "그림: 왼쪽은 학습 전, 오른쪽은 학습 뒤입니다."
    assert cells["f2"]["metadata"]["mystnb"]["image"]["alt"] == "그림: 결과 보기"  # no prose: the heading
    assert "Ellipsis" not in json.dumps(cells["e"]["outputs"]) and "빈칸" in json.dumps(cells["e"]["outputs"], ensure_ascii=False)
    assert "[02. 둘째 장](02_second.ipynb) 에서는" in cells["n"]["source"]
    assert build_book.alt_text("같은 내용을 그림으로 봅니다.") == "같은 내용을 그림으로 봅니다."  # never "그림: ...그림"


def test_make_book_says_why_there_is_no_pdf(tmp_path, monkeypatch, capsys):
    executed = tmp_path / "executed"
    executed.mkdir()
    (executed / "01_first.ipynb").write_text(json.dumps(_executed_notebook("첫째 장"), ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(build_book, "chromium", lambda: None)
    assert build_book.main(["--notebooks", str(executed), "--out", str(tmp_path / "book")]) == 0
    said = capsys.readouterr().out
    assert "PDF: 만들지 않았습니다: Chromium이 없습니다" in said and "apt-get install chromium" in said, said
    home = (tmp_path / "book" / "index.html").read_text(encoding="utf-8")
    assert build_book.PDF_NAME not in home and not (tmp_path / "book" / build_book.DOWNLOADS / build_book.PDF_NAME).exists()


def test_pdf_checks_can_fail():
    a4 = b"<< /Type /Page /MediaBox [0 0 594.96 841.92] >> << /Type /Page /MediaBox [0 0 612 792] >>"
    assert build_book.pdf_pages(a4) == [(595, 842), (612, 792)]
    page = ('<a href="#document-notebooks/01_a">A</a><span id="document-notebooks/01_a"></span><section id="a">'
            '<h2>A<a class="headerlink" href="#a">#</a></h2></section><span id="document-notebooks/02_b"></span>'
            '<section id="b"><h2>B<a class="headerlink" href="#b">#</a></h2></section>')
    assert build_book.printed_contents(page) == ["notebooks/01_a"]  # 02_b is not in the contents


def _readme_command(readme: str, starts: str) -> str:
    lines = [line.strip() for line in readme.splitlines() if line.strip().startswith(starts)]
    assert lines, f"the bundle README has no command starting with {starts!r}"
    return lines[0]


@pytest.mark.slow
def test_the_learner_bundle_runs_a_notebook_offline_following_its_readme(tmp_path):
    """Unzip the bundle into an empty folder and run one notebook as its README says.

    The README's step 1 installs the pinned packages into .venv and `helpers` with
    `pip install --no-deps -e .`. With no network in tests, the project's own environment
    (sys.executable) stands in for the installed packages, and PYTHONPATH=<bundle> for the
    editable install of the bundle's helpers (installing it would change the project's .venv);
    the test checks that the notebook really imported helpers from the unzipped folder.
    """
    archive = build_book.write_bundle(tmp_path / build_book.ZIP_NAME)
    unpacked = tmp_path / "empty"
    unpacked.mkdir()
    with zipfile.ZipFile(archive) as opened:
        names = opened.namelist()
        opened.extractall(unpacked)
    assert {name.split("/")[0] for name in names} == {build_book.BUNDLE}, "one top-level folder"
    bundle = unpacked / build_book.BUNDLE
    for name in ("pyproject.toml", "requirements.txt", "constraints.txt", "README.md", "helpers/__init__.py",
                 "helpers/data/README.md", "docs/glossary.md", "docs/common_errors.md"):
        assert (bundle / name).is_file(), name
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    chapters = sorted(p.name for p in (ROOT / "notebooks").glob(build_book.NOTEBOOK_GLOB))
    assert sorted(p.name for p in (bundle / "notebooks").glob("*.ipynb")) == chapters
    for name in chapters:  # the learner's copies: no outputs, exercises blank
        assert (bundle / "notebooks" / name).read_bytes() == (ROOT / "notebooks" / name).read_bytes()
    assert (bundle / "scripts" / "colab_setup.py").is_file() == (ROOT / "scripts" / "colab_setup.py").is_file()

    readme = (bundle / "README.md").read_text(encoding="utf-8")
    assert re.search(r"[가-힣]", readme) and "pip install -r requirements.txt -c constraints.txt" in readme
    assert "pip install --no-deps -e ." in readme and "jupyter lab notebooks" in readme
    command = _readme_command(readme, "HF_HUB_OFFLINE=1 .venv/bin/python -m jupyter nbconvert")
    notebook = command.split()[-1]
    argv = command.split()[2:]  # after "HF_HUB_OFFLINE=1 .venv/bin/python"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(bundle)}
    where = subprocess.run([sys.executable, "-c", "import helpers; print(helpers.__file__)"], cwd=bundle, env=env,
                           capture_output=True, text=True, check=True).stdout.strip()
    assert Path(where).resolve().is_relative_to(bundle.resolve()), where
    # the README's notebook plus a last cell that says where helpers came from
    probe = (bundle / notebook).with_name("probe.ipynb")
    nb = json.loads((bundle / notebook).read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": "code", "id": "where", "metadata": {}, "execution_count": None, "outputs": [],
                        "source": "import helpers; print(helpers.__file__)"})
    probe.write_text(json.dumps(nb), encoding="utf-8")
    ran = subprocess.run([sys.executable, *argv[:-1], str(probe.relative_to(bundle))], cwd=bundle,
                         env=env, capture_output=True, text=True, timeout=900)
    assert ran.returncode == 0, ran.stderr[-3000:]
    executed = json.loads((bundle / "executed" / "probe.ipynb").read_text(encoding="utf-8"))
    outputs = [o for c in executed["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    assert outputs and not [o for o in outputs if o.get("output_type") == "error"]
    last = "".join(executed["cells"][-1]["outputs"][0]["text"])
    assert Path(last.strip()).resolve().is_relative_to(bundle.resolve()), last


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
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=HEIGHTS.get(width, 900), deviceScaleFactor=1,
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
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=HEIGHTS.get(width, 900), deviceScaleFactor=1,
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


WIDE_ELEMENTS = """(() => {
    // elements reaching past the right edge of the screen, unless inside a box that scrolls sideways
    const width = document.documentElement.clientWidth, wide = [];
    for (const element of document.querySelectorAll('body *')) {
      const box = element.getBoundingClientRect();
      if (!box.width || !box.height || box.right <= width + 1 || getComputedStyle(element).visibility === 'hidden') continue;
      let parent = element.parentElement, scrolls = false;
      for (; parent && parent !== document.body; parent = parent.parentElement) {
        if (/auto|scroll/.test(getComputedStyle(parent).overflowX) && parent.getBoundingClientRect().right <= width + 1) {
          scrolls = true; break;
        }
      }
      if (!scrolls) wide.push(`${element.tagName.toLowerCase()}.${[...element.classList].join('.')} to ${Math.round(box.right)} px: `
                              + (element.textContent || '').trim().slice(0, 40));
    }
    return wide;
})()"""

BROKEN_WORDS = """(() => {
    // words of the previous / next titles split over two lines although they fit on one
    const broken = [];
    for (const box of document.querySelectorAll('.prev-next-area .prev-next-title')) {
      const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const match of node.textContent.matchAll(/\\S+/g)) {
          const range = document.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          const lines = new Set([...range.getClientRects()].filter(r => r.width).map(r => Math.round(r.top)));
          if (lines.size > 1 && range.getBoundingClientRect().width < box.getBoundingClientRect().width) broken.push(match[0]);
        }
      }
    }
    return broken;
})()"""

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
    wide: WIDE_ELEMENTS,
    cutFigures: [...document.querySelectorAll('article img')].filter(i => i.getClientRects().length
        && i.getBoundingClientRect().width > i.parentElement.clientWidth + 1).map(i => i.alt),
    brokenWords: BROKEN_WORDS,
    footer: (document.querySelector('footer.bd-footer-content') || {}).innerText || '',
    favicon: !!document.querySelector('link[rel~="icon"]'),
    englishTooltips: [...document.querySelectorAll('[title], [aria-label], [data-bs-original-title], [placeholder]')]
        .map(e => e.getAttribute('title') || e.getAttribute('data-bs-original-title') || e.getAttribute('aria-label')
                  || e.getAttribute('placeholder'))
        .filter(t => t && /^[A-Z][a-z]+( [a-z]+)*[.!]*$/.test(t.trim()) && !/^(BERT|Colab|Python)/.test(t.trim())),
}))()""".replace("WIDE_ELEMENTS", WIDE_ELEMENTS).replace("BROKEN_WORDS", BROKEN_WORDS)


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
    assert facts["wide"] == [], f"elements wider than a {width} px screen"
    assert facts["cutFigures"] == [], f"figures cut at the right at {width} px"
    assert facts["brokenWords"] == [], "previous/next titles broken inside words"
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
    assert f"bertvec-notebooks/notebooks/{name}" in archive.namelist()
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
    assert set(build_book.pdf_pages(pdf)) == {build_book.A4_POINTS}, "not A4"


def _pdf_text(pdf: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed (apt-get install -y poppler-utils)")
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_the_pdf_has_page_numbers_contents_whole_code_lines_and_no_web_only_text():
    pdf = BOOK / build_book.DOWNLOADS / build_book.PDF_NAME
    if not pdf.exists():
        pytest.skip("PDF not built (needs Chromium)")
    text = _pdf_text(pdf)
    pages = text.split("\f")
    pages = pages[:-1] if not pages[-1].strip() else pages
    numbered = [page for number, page in enumerate(pages, 1) if re.search(rf"\b{number} / {len(pages)}\s*$", page.rstrip())]
    assert len(numbered) == len(pages), f"{len(pages) - len(numbered)} of {len(pages)} pages without a page number"
    for web_only in ("Ctrl+", "로켓", "내려받기:", "Colab에서 열기", "누르면 원래 크기로", "Copy to clipboard"):
        assert web_only not in text, f"web-only text printed: {web_only}"
    # the contents on the first pages name every chapter
    staged = sorted((BOOK.parent / f"{BOOK.name}-src" / "notebooks").glob("*.ipynb"))
    front = re.sub(r"\s+", "", "".join(pages[:3]))
    for path in staged:
        title = build_book.chapter_titles([path])[path.name]
        assert re.sub(r"\s+", "", title)[:12] in front, f"contents lack {title}"
    # long code lines wrap instead of being cut at the right margin: each one's end is printed
    flat = re.sub(r"\s+", "", text)
    lines = [line for path in staged for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]
             if cell["cell_type"] == "code" for line in "".join(cell["source"]).splitlines()]
    longest = sorted((line for line in lines if not line.lstrip().startswith(("!", "%"))), key=len)[-5:]
    assert longest, "no code line to check"
    for line in longest:
        assert re.sub(r"\s+", "", line)[-25:] in flat, f"code line cut in the PDF: {line}"
    if shutil.which("pdftoppm"):
        with tempfile.TemporaryDirectory() as folder:
            subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf), f"{folder}/page"], check=True)
            png = next(Path(folder).glob("page*.png")).read_bytes()
            width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
            assert abs(height / width - 297 / 210) < 0.01, (width, height)


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


# pydata-sphinx-theme 0.20 binds the sidebar buttons with querySelector (the first button only).
THEME_BUG = 'document.querySelector(".primary-toggle")'


def test_the_theme_still_needs_the_sidebar_button_shim():
    """docs/_static/book.js passes clicks on every sidebar button to the first one. When an
    upgraded theme binds all of them, this fails: remove the shim (two handlers would toggle twice)."""
    import pydata_sphinx_theme

    script = Path(pydata_sphinx_theme.__file__).parent / "assets" / "scripts" / "pydata-sphinx-theme.js"
    assert THEME_BUG in script.read_text(encoding="utf-8"), "theme fixed upstream: remove the shim in docs/_static/book.js"


def _visible_button(browser, selector: str) -> None:
    browser.evaluate(f"""[...document.querySelectorAll('{selector}')].filter(b => b.offsetParent)
        .find(b => b.closest('article, .bd-header-article, .bd-header')).click()""")
    browser.evaluate("new Promise(r => setTimeout(r, 700))")  # the sidebar slides away


@pytest.mark.parametrize("width", WIDTHS)
def test_the_contents_and_outline_buttons_open_their_drawers(browser, book_server, width):
    page = (_chapter_pages() or ["notebooks/00_overview.html"])[-1]
    browser.open(book_server + page, width)
    drawer = """(() => { const d = document.querySelector('dialog[open]');
        return d ? {id: d.id, width: d.getBoundingClientRect().width, links: d.querySelectorAll('a[href]').length} : null; })()"""
    visible = """(() => { const s = document.getElementById('pst-primary-sidebar'), style = getComputedStyle(s);
        return s.getBoundingClientRect().right > 50 && style.display !== 'none' && style.visibility !== 'hidden'; })()"""
    if width >= 992:
        # wide screens: the contents sidebar is on the page, and the button folds it away and back
        assert browser.evaluate(visible)
        _visible_button(browser, ".primary-toggle")
        assert not browser.evaluate(visible), "the contents button does not fold the sidebar"
        _visible_button(browser, ".primary-toggle")
        assert browser.evaluate(visible), "the contents button does not bring the sidebar back"
    else:
        _visible_button(browser, ".primary-toggle")
        opened = browser.evaluate(drawer)
        browser.screenshot(SCREENSHOTS / f"contents-drawer-{width}.png", width, max_height=HEIGHTS[width])
        assert opened and opened["id"] == "pst-primary-sidebar-modal" and opened["links"] >= len(_chapter_pages()), opened
        browser.evaluate("document.querySelector('dialog[open]').close()")
    _visible_button(browser, ".secondary-toggle")
    opened = browser.evaluate(drawer)
    browser.screenshot(SCREENSHOTS / f"outline-drawer-{width}.png", width, max_height=HEIGHTS[width])
    assert opened and opened["id"] == "pst-secondary-sidebar-modal" and opened["width"] > 200 and opened["links"] >= 3, opened


@pytest.mark.parametrize("width", WIDTHS)
def test_every_common_mistake_shows_its_fix_without_scrolling_sideways(browser, book_server, width):
    from helpers.errors import CATALOGUE

    browser.open(book_server + "common_errors.html", width)
    cards = browser.evaluate("""[...document.querySelectorAll('div.error-card')].map(card => {
        const fix = [...card.querySelectorAll('p')].find(p => p.textContent.trim().startsWith('해결'));
        const box = fix ? fix.getBoundingClientRect() : null;
        let step = card.closest('section');
        while (step && !step.querySelector(':scope > h2')) step = step.parentElement.closest('section');
        return {fix: fix ? fix.textContent : '', right: box ? box.right : 1e9, left: box ? box.left : -1,
                scrolls: card.scrollWidth > card.clientWidth + 1,
                labels: [...card.querySelectorAll('strong')].map(s => s.textContent.trim()),
                step: step ? step.querySelector(':scope > h2').textContent : ''};
    })""")
    browser.screenshot(SCREENSHOTS / f"common-errors-{width}.png", width, max_height=3000)
    assert len(cards) == len(CATALOGUE)
    screen = browser.evaluate("document.documentElement.clientWidth")
    hidden = [c["fix"][:40] for c in cards if c["scrolls"] or c["right"] > screen + 1 or c["left"] < 0]
    assert hidden == [], f"fixes off screen at {width} px"
    assert all(c["labels"][:3] == ["원인", "무엇이", "해결"] for c in cards), cards[0]["labels"]
    from common_errors_page import OTHER_STEP  # scripts/ is on sys.path (build_book)

    assert all(re.match(r"\d단계", c["step"]) or c["step"].startswith(OTHER_STEP) for c in cards), {c["step"] for c in cards}


def test_the_copy_button_answers_in_korean(browser, book_server):
    browser.open(book_server + (_chapter_pages() or ["notebooks/00_overview.html"])[0], 1366)
    tooltip = browser.evaluate("""new Promise(done => {
        const button = document.querySelector('div.cell_input button.copybtn');
        button.click();
        setTimeout(() => done(button.getAttribute('data-tooltip')), 300);
    })""")
    assert tooltip in {"복사했습니다!", "복사하지 못했습니다"}, tooltip


def test_chapters_show_no_blank_answer_output_and_link_chapters_by_title(browser, book_server):
    for page in _chapter_pages():
        browser.open(book_server + page, 1366)
        facts = browser.evaluate(r"""(() => ({
            ellipsis: [...document.querySelectorAll('div.cell_output')].filter(o => /Ellipsis/.test(o.textContent)).length,
            fileLinks: [...document.querySelectorAll('article a[href]')].map(a => a.textContent.trim())
                .filter(t => /^\d\d_\w+(\.ipynb)?$/.test(t)),
            badge: [...document.querySelectorAll('article a.book-colab-badge')].map(a => [a.textContent.trim(), a.href, !!a.offsetParent]),
            alts: [...document.querySelectorAll('article img')].map(i => i.alt),
        }))()""")
        name = Path(page).with_suffix(".ipynb").name
        assert facts["ellipsis"] == 0, f"{page}: a blank exercise prints Ellipsis"
        assert facts["fileLinks"] == [], f"{page}: links named by file: {facts['fileLinks']}"
        colab = build_book.colab_url(name, build_book.repository_url())
        assert facts["badge"] == [["Colab에서 열기", colab, True]], facts["badge"]
        assert all(a and not re.match(r"(그림: )?그림으로 보기", a) and not re.search(r"[A-Za-z]+ logo", a)
                   for a in facts["alts"]), facts["alts"]


def test_a_search_with_a_particle_finds_only_pages_with_that_form(browser, book_server):
    """학습을 is searched as the pieces 학습 + 습을: a page with both apart (학습 ... 복습을) is not a hit."""
    texts = _texts_of_pages()
    word = "학습을"
    having = {page for page, text in texts.items() if word in text and not page.startswith(("search", "genindex"))}
    apart = {page for page, text in texts.items() if "학습" in text and "습을" in text and word not in text}
    hits = _search(browser, book_server + f"search.html?q={quote(word)}")
    found = {h["href"].split("#")[0].split("?")[0].lstrip("./") for h in hits}
    assert having and found <= having, f"pages without {word}: {sorted(found - having)}"
    assert len(having - found) <= len(having) // 10, sorted(having - found)
    assert not (found & apart)


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


def test_a_figure_on_a_phone_fits_and_opens_full_size_with_a_sign_that_it_scrolls(browser, book_server):
    for page in _chapter_pages():
        browser.open(book_server + page, 390)
        facts = browser.evaluate("""new Promise(done => {
            const img = [...document.querySelectorAll('div.cell_output img')].find(i => i.naturalWidth > 500);
            if (!img) return done(null);
            const hint = img.nextElementSibling && img.nextElementSibling.classList.contains('book-zoom-hint');
            const fits = img.getBoundingClientRect().right <= document.documentElement.clientWidth;
            img.click();
            setTimeout(() => { const d = document.querySelector('dialog.book-zoom[open]');
                const caption = d && d.querySelector('.book-zoom-caption');
                done({hint, fits, natural: img.naturalWidth, shown: d ? d.querySelector('img').getBoundingClientRect().width : 0,
                      scrolls: d ? d.scrollWidth > d.clientWidth : false,
                      caption: caption ? caption.getBoundingClientRect().right <= innerWidth && !!caption.textContent : false}); }, 400);
        })""")
        if facts is None:
            continue
        browser.screenshot(SCREENSHOTS / f"zoom-{Path(page).stem}-390.png", 390, max_height=HEIGHTS[390])
        assert facts["fits"] and facts["hint"], f"{page}: a wide figure is cut or says nothing: {facts}"
        assert facts["shown"] == facts["natural"] and facts["scrolls"] and facts["caption"], f"{page}: {facts}"
        return
    pytest.skip("no figure wider than 500 px")


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
