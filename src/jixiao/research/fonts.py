"""Chinese-capable matplotlib setup using the font shipped in ``jixiao/data/fonts``.

``use_cjk_font()`` registers ``Jixiao Sans SC`` (a subset of Noto Sans CJK SC, OFL-1.1) with
matplotlib's font manager and puts it first in ``font.sans-serif`` so that Chinese labels render as
glyphs, never as boxes, on machines without any system CJK font.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

FAMILY = "Jixiao Sans SC"
FONT_FILE = "JixiaoSansSC-Regular.otf"


def font_path() -> Path:
    return Path(str(resources.files("jixiao.data").joinpath("fonts", FONT_FILE)))


def use_cjk_font() -> str:
    """Register the shipped CJK font with matplotlib and make it the default; returns the family name."""
    import matplotlib
    from matplotlib import font_manager

    path = font_path()
    if not path.is_file():
        raise FileNotFoundError(f"{path}: shipped CJK font missing (reinstall jixiao)")
    if FAMILY not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(path))
    # the family list gives per-glyph fallback (DejaVu Sans has the few symbols the subset lacks)
    matplotlib.rcParams["font.family"] = [FAMILY, "DejaVu Sans", "sans-serif"]
    sans = [f for f in matplotlib.rcParams["font.sans-serif"] if f != FAMILY]
    matplotlib.rcParams["font.sans-serif"] = [FAMILY, *sans]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return FAMILY


__all__ = ["FAMILY", "font_path", "use_cjk_font"]
