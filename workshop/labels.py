"""Every word the workshop page shows, in Chinese and English, from one table (``words.toml``).

The page, Mesa's page (``renosim viz --mesa``) and the saved record never write a user-visible
string themselves: they look it up here with :func:`t`, so a language switch changes every label at
once and a test can check that the table is complete in both languages. ``docs/GLOSSARY.md`` is
generated from the same table (:func:`glossary_markdown`; ``python -m workshop.labels``), and a test
keeps the two equal.

Strings may hold :meth:`str.format` fields (``{week}``); :func:`t` fills them.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from pathlib import Path

LANGS: tuple[str, ...] = ("zh", "en")
"""Languages of the page, in the order the switch shows them."""

LANG_NAMES: Mapping[str, str] = {"zh": "中文", "en": "English"}
"""What the language switch shows for each language (each in its own script)."""

DEFAULT_LANG = "zh"
"""Workshops are held in Chinese; ``renosim viz --lang en`` changes the default."""

WORDS_FILE = Path(__file__).resolve().with_name("words.toml")

with WORDS_FILE.open("rb") as _f:
    _TABLE = tomllib.load(_f)

LABELS: dict[str, dict[str, str]] = _TABLE["words"]
"""Label key -> {language -> text}. Every entry has every language in :data:`LANGS`."""

GLOSSARY: dict[str, dict[str, str]] = _TABLE["glossary"]
"""Label key -> {language -> what the term means}, for ``docs/GLOSSARY.md``."""


def t(key: str, lang: str = DEFAULT_LANG, /, **fields: object) -> str:
    """Return the text for ``key`` in ``lang``, with ``{fields}`` filled in.

    Parameters
    ----------
    key : str
        A key of :data:`LABELS`.
    lang : str, default :data:`DEFAULT_LANG`
        One of :data:`LANGS`; anything else falls back to English.
    **fields
        Values for the ``str.format`` fields of the text.

    Raises
    ------
    KeyError
        If ``key`` is not in the table (a programming error, caught by the tests).

    Examples
    --------
    >>> t("week_counter", "en", week=3, year=1)
    'Week 3 (year 1)'
    """
    text = LABELS[key].get(lang) or LABELS[key]["en"]
    return text.format(**fields) if fields else text


def missing(value: object) -> bool:
    """Whether a measure has no value (None or NaN): "not yet" or "does not apply" on the page."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def pct(value: float) -> str:
    """A share as the page writes it in both languages: ``0.774`` -> ``"77%"`` (no space, half-width %)."""
    return f"{float(value):.0%}"


def stage_key(stage: object) -> str:
    """Return the :data:`LABELS` key for a stage name as the model reports it.

    Stage names are matched without case, spaces, underscores, hyphens or slashes, so
    ``"CouncilFormation"``, ``"council_formation"`` and ``"Council formation"`` all map to
    ``"stage.councilformation"``.
    """
    norm = "".join(ch for ch in str(stage).lower() if ch.isalnum())
    return f"stage.{norm}"


def stage_name(stage: object, lang: str) -> str:
    """Return a stage in plain words; a stage not in the table is shown as given."""
    key = stage_key(stage)
    return t(key, lang) if key in LABELS else str(stage)


def regime_name(regime: str, lang: str) -> str:
    """A regime in plain words ("政府主导", "Government-led"); an unknown preset is shown as named."""
    key = "regime." + regime
    return t(key, lang) if key in LABELS else regime


def glossary_markdown() -> str:
    """``docs/GLOSSARY.md``: every term of :data:`GLOSSARY` in both languages, with its meaning."""
    head = [
        "# Glossary · 词汇表",
        "",
        "The words the workshop page (`renosim viz`), Mesa's page (`renosim viz --mesa`) and the saved",
        "record use, in both languages. Generated from `workshop/words.toml` by `python -m workshop.labels`;",
        "a test keeps this file and the table equal, so edit the table, not this file.",
        "",
        "| 中文 | English | 说明 | Meaning |",
        "|---|---|---|---|",
    ]
    rows = []
    for key, meaning in GLOSSARY.items():
        term = {lang: LABELS[key][lang].replace("{v} = ", "") for lang in LANGS}
        cells = (term["zh"], term["en"], meaning["zh"], meaning["en"])
        rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(head + rows) + "\n"


if __name__ == "__main__":
    print(glossary_markdown(), end="")
