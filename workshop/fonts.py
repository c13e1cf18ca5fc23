"""The CJK face the page ships, so Chinese renders on a machine that has no CJK font.

``workshop/assets/renosim-sans-sc.woff2`` is a subset of Noto Sans CJK SC Regular (SIL Open Font
License 1.1, ``workshop/assets/OFL.txt``; taken from Debian's ``fonts-noto-cjk``), holding every
character of every label (:data:`workshop.labels.LABELS`) plus ASCII and common CJK punctuation.
Solara serves ``workshop/assets/`` at ``/static/assets/`` (:func:`workshop.offline.configure_offline`
adds the folder), and :data:`FONT_FACE_CSS` declares the face for the page.

After adding labels, rebuild the subset (a test fails until then)::

    apt-get download fonts-noto-cjk && dpkg-deb -x fonts-noto-cjk_*.deb noto
    python -m workshop.fonts noto/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
"""

from __future__ import annotations

import string
import sys
from pathlib import Path

from workshop.style import FONT_FAMILY

ASSETS = Path(__file__).resolve().parent / "assets"
FONT_FILE = ASSETS / "renosim-sans-sc.woff2"
FONT_URL = "/static/assets/" + FONT_FILE.name
SC_INDEX = 2
"""Noto Sans CJK SC's index in ``NotoSansCJK-Regular.ttc`` (JP, KR, SC, TC, HK, ...)."""

EXTRA_CHARACTERS = string.printable.strip() + " ，。：；、！？（）《》“”‘’—…·％～「」【】－＋＝０１２３４５６７８９"
"""Characters kept besides the labels': ASCII, and the punctuation that numbers and quotes need."""

FONT_FACE_CSS = f"""
@font-face {{
  font-family: '{FONT_FAMILY}';
  src: url('{FONT_URL}') format('woff2');
  font-weight: 100 900;
  font-display: block;
}}
"""
"""The ``@font-face`` rule the page injects (``block``: no flash of boxes while it loads)."""


def label_characters() -> set[str]:
    """Every character any label of the page can show, in any language."""
    from workshop.labels import LABELS, LANG_NAMES

    texts = [text for entry in LABELS.values() for text in entry.values()] + list(LANG_NAMES.values())
    return {ch for text in texts for ch in text if not ch.isspace()}


def parameter_doc_characters() -> set[str]:
    """Characters of the parameter table's descriptions (Mesa's page shows them as input labels)."""
    from sim.params import SPECS

    return {ch for spec in SPECS for ch in spec.doc if not ch.isspace()}


def wanted_characters() -> set[str]:
    """The characters the subset keeps: the labels', the parameter docs' and :data:`EXTRA_CHARACTERS`."""
    return label_characters() | parameter_doc_characters() | set(EXTRA_CHARACTERS)


def covered_characters(path: Path = FONT_FILE) -> set[str]:
    """The characters a font file maps to a glyph (its ``cmap``)."""
    from fontTools.ttLib import TTFont

    with TTFont(path) as font:
        return {chr(code) for code in font.getBestCmap()}


def font_data_url(path: Path = FONT_FILE) -> str:
    """The font as a ``data:`` URL, for a saved page that must render offline on its own."""
    import base64

    return "data:font/woff2;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def subset_font(source: Path, out: Path = FONT_FILE) -> int:
    """Write the WOFF2 subset of Noto Sans CJK SC to ``out``; returns its size in bytes."""
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    font = TTCollection(source).fonts[SC_INDEX]
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]  # keep the copyright and licence records
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(wanted_characters())))
    subsetter.subset(font)
    out.parent.mkdir(parents=True, exist_ok=True)
    font.flavor = "woff2"
    font.save(out)
    return out.stat().st_size


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python -m workshop.fonts PATH/NotoSansCJK-Regular.ttc")
    size = subset_font(Path(sys.argv[1]))
    print(f"wrote {FONT_FILE} ({size / 1024:.0f} KiB, {len(wanted_characters())} characters)")
