"""Fonts for the figures: a CJK font found at run time for Chinese, never boxes in place of characters.

`figure_style(lang)` is a context manager (matplotlib's `rc_context`, restored on exit, so no global
setting is left behind) under which figures are both drawn and saved.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import matplotlib
from matplotlib import font_manager

from mrio_tools.choices import Lang
from mrio_tools.errors import OutputError

#: CJK families known to cover simplified Chinese, most preferred first
CJK_FAMILIES: Final = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
    "Noto Sans CJK JP",
    "Noto Serif CJK SC",
)
#: characters a CJK font must have to be used (a sample of the report's Chinese text)
PROBE: Final = "中国碳排放生产消费"
_FILE_HINTS: Final = ("cjk", "han", "wqy", "wenquanyi", "simhei", "msyh", "pingfang", "notosanssc")
DEBIAN_PACKAGE: Final = "fonts-noto-cjk"


def _covers(path: str, index: int = 0) -> bool:
    from matplotlib.ft2font import FT2Font

    try:
        charmap = FT2Font(path, face_index=index).get_charmap()
    except (OSError, RuntimeError, TypeError, ValueError):
        return False
    return all(ord(c) in charmap for c in PROBE)


def _known() -> str | None:
    by_name = {entry.name: entry for entry in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        entry = by_name.get(family)
        if entry is not None and _covers(entry.fname, getattr(entry, "index", 0)):
            return family
    return None


@functools.cache
def cjk_family() -> str:
    """The name of an installed font family covering Chinese; `OutputError` naming the package if none.

    Looks in matplotlib's font list first, then registers system font files whose names suggest CJK
    (matplotlib's font cache may predate a font installed later).
    """
    found = _known()
    if found is None:
        for path in font_manager.findSystemFonts():
            if any(hint in Path(path).name.casefold() for hint in _FILE_HINTS):
                with contextlib.suppress(OSError, RuntimeError, ValueError):
                    font_manager.fontManager.addfont(path)
        found = _known()
    if found is None:
        raise OutputError(
            "no font covering Chinese characters was found, so a --lang zh report would show boxes; "
            f"install one (Debian/Ubuntu: `apt-get install {DEBIAN_PACKAGE}`) and run the report again"
        )
    return found


def font_families(lang: Lang) -> list[str]:
    """Font families for `lang`, first choice first (matplotlib falls back glyph by glyph)."""
    return [cjk_family(), "DejaVu Sans"] if lang == "zh" else ["DejaVu Sans"]


@contextlib.contextmanager
def figure_style(lang: Lang) -> Iterator[None]:
    """Draw and save figures for `lang` inside this block (fonts; settings restored on exit)."""
    with matplotlib.rc_context({"font.family": font_families(lang), "svg.fonttype": "path"}):
        yield
