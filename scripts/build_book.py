"""Build the static HTML book from the notebooks that `make run` already executed.

    python scripts/build_book.py [--notebooks build/notebooks] [--out build/book]

Steps: copy docs/*.md and the executed notebooks into a staging folder (build/book-src),
drop interactive-widget state (it would make pages load JavaScript from a CDN; the text
form of a progress bar stays), run Sphinx with warnings as errors (-W), then check that no
page loads anything (scripts, styles, pictures, fonts) from another host. Nothing is executed
a second time, and no network is needed. Exit status 1 on any problem, with the reason.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
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


def stage(notebooks: list[Path], staging: Path) -> None:
    """Lay out the Sphinx source folder: docs/*.md plus cleaned copies of the notebooks."""
    if staging.exists():
        shutil.rmtree(staging)
    (staging / "notebooks").mkdir(parents=True)
    for page in DOCS.glob("*.md"):
        shutil.copy2(page, staging / page.name)
    for path in notebooks:
        nb = without_widgets(json.loads(path.read_text(encoding="utf-8")))
        (staging / "notebooks" / path.name).write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")


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


def build(notebook_dir: Path, out: Path) -> list[Path]:
    """Build the book into `out`; returns the notebook pages written. Raises BookError."""
    notebooks = executed_notebooks(notebook_dir)
    staging = out.parent / f"{out.name}-src"
    stage(notebooks, staging)
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
    if out.exists():
        shutil.rmtree(out)
    draft.rename(out)
    return [out / "notebooks" / p.with_suffix(".html").name for p in notebooks]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebooks", type=Path, default=ROOT / "build" / "notebooks",
                        help="folder of executed notebooks (default: build/notebooks from `make run`)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "book")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        pages = build(args.notebooks.resolve(), args.out.resolve())
    except BookError as err:
        print(f"책을 만들지 못했습니다: {err}", file=sys.stderr)
        return 1
    print(f"책 {len(pages)}장을 {time.perf_counter() - started:.1f}초 만에 만들었습니다: {args.out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
