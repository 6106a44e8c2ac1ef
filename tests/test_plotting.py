"""Korean text renders in matplotlib figures (helpers/plotting.py)."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from helpers.plotting import KOREAN_FONT, bundled_font_file, use_korean_font  # noqa: E402


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
