"""Korean text renders in matplotlib figures (helpers/plotting.py)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from helpers.plotting import KOREAN_FONT, bundled_font_file, use_korean_font  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def _render_with_hangul_and_a_negative_tick() -> list[str]:
    fig, ax = plt.subplots()
    ax.plot([-2, -1, 0, 1], [1, -3, 2, 0])
    ax.set_title("문장 벡터의 코사인 유사도")
    ax.set_xlabel("토큰 위치 (음수 포함)")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    plt.close(fig)
    return [str(w.message) for w in caught if "missing from font" in str(w.message) or "Glyph" in str(w.message)]


def test_default_font_has_no_hangul_so_the_test_can_fail():
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        assert _render_with_hangul_and_a_negative_tick(), "DejaVu Sans should miss Hangul glyphs"


def test_korean_font_renders_hangul_and_minus_without_missing_glyphs():
    with matplotlib.rc_context():
        assert use_korean_font() == KOREAN_FONT
        assert matplotlib.rcParams["font.family"][0] == KOREAN_FONT
        assert _render_with_hangul_and_a_negative_tick() == []


def test_the_font_file_ships_with_the_pinned_environment():
    font = bundled_font_file()
    assert font is not None and font.stat().st_size > 1_000_000


MISSING_GLYPH = ("missing from font", "missing from current font")
EXECUTED = ROOT / "build" / "notebooks"


def _glyph_warnings(nb: dict) -> list[str]:
    """Lines of a notebook's outputs that report a glyph matplotlib could not draw."""
    found = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            text = output.get("text", "") if output.get("output_type") == "stream" else output.get("data", {}).get("text/plain", "")
            text = "".join(text) if isinstance(text, list) else text
            found += [line for line in text.splitlines() if any(m in line for m in MISSING_GLYPH)]
    return found


def test_glyph_scan_finds_a_real_warning_so_it_can_fail():
    # The figure is made inside the context: an Axes fixes its title's font when it is created,
    # so a figure made earlier would keep a Korean font set by use_korean_font() elsewhere.
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        fig, ax = plt.subplots()
        ax.set_title("한글")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.canvas.draw()
    plt.close(fig)
    message = next(str(w.message) for w in caught)
    nb = {"cells": [{"cell_type": "code", "outputs": [{"output_type": "stream", "name": "stderr", "text": message}]}]}
    assert _glyph_warnings(nb)


@pytest.mark.parametrize("path", sorted(EXECUTED.glob("[0-9][0-9]_*.ipynb")) or [None],
                         ids=lambda p: p.name if p else "none")
def test_executed_notebooks_have_no_missing_glyph_warnings(path):
    if path is None:
        pytest.skip("no executed notebooks in build/notebooks (run `make run`)")
    assert _glyph_warnings(json.loads(path.read_text(encoding="utf-8"))) == []


def test_bold_hangul_uses_a_bold_korean_font_file():
    from matplotlib import font_manager

    with matplotlib.rc_context():
        use_korean_font()
        bold = font_manager.findfont(font_manager.FontProperties(family=KOREAN_FONT, weight="bold"),
                                     fallback_to_default=False)
    assert Path(bold).name.startswith(KOREAN_FONT) and "Bold" in Path(bold).name
