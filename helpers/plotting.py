"""Korean text in matplotlib figures (every notebook with a picture uses this).

matplotlib's default font (DejaVu Sans) has no Hangul: labels become empty boxes ("tofu").
`use_korean_font` switches to NanumGothic, found either among the system fonts (Debian
`fonts-nanum`, Colab `apt-get install fonts-nanum`) or in the pinned PyPI package
`koreanize-matplotlib`, whose wheel carries the font file (we read the file; we do not import
that package, which needs `distutils`). DejaVu Sans stays as the fallback so the minus sign
and Latin glyphs keep working.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from .door import door

KOREAN_FONT = "NanumGothic"


def bundled_font_file() -> Path | None:
    """NanumGothic.ttf shipped in the `koreanize-matplotlib` wheel, or None if not installed."""
    spec = importlib.util.find_spec("koreanize_matplotlib")  # finds it without importing it
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / "fonts" / f"{KOREAN_FONT}.ttf"
        if candidate.exists():
            return candidate
    return None


@door
def use_korean_font() -> str:
    """Make matplotlib draw Hangul; returns the font family now in use.

    Registers the font file with matplotlib's font manager when the cache does not know it
    yet. Raises RuntimeError with the install command when no Korean font can be found. Introduced in notebook 00.
    """
    import matplotlib
    from matplotlib import font_manager

    known = {f.name for f in font_manager.fontManager.ttflist}
    if KOREAN_FONT not in known:
        font_file = bundled_font_file()
        if font_file is None:
            raise RuntimeError(
                "한국어 글꼴(NanumGothic)을 찾지 못했습니다: 그림의 한글이 네모로 보입니다. "
                "`pip install koreanize-matplotlib==0.1.1` 또는 `apt-get install fonts-nanum` 후 다시 실행하세요."
            )
        # the regular file and its Bold sibling, so that bold titles are drawn really bold
        for weight_file in (font_file, font_file.with_name(f"{KOREAN_FONT}Bold.ttf")):
            if weight_file.exists():
                font_manager.fontManager.addfont(str(weight_file))
    matplotlib.rcParams["font.family"] = [KOREAN_FONT, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return KOREAN_FONT
