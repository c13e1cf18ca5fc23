"""PNG copies of report figures through kaleido and Debian's chromium, each captioned with its provenance."""

from __future__ import annotations

import html
import os
import shutil
from collections.abc import Mapping
from pathlib import Path

import plotly.graph_objects as go

from experiments import provenance


def browser_path() -> str | None:
    """A Chromium for kaleido: ``$BROWSER_PATH``, else Debian's chromium on PATH."""
    if os.environ.get("BROWSER_PATH"):
        return os.environ["BROWSER_PATH"]
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def export_pngs(figs: Mapping[str, go.Figure], folder: str | Path, caption: str | None = None) -> list[Path]:
    """Write each figure as a PNG through kaleido; return the files written.

    ``caption`` (e.g. :func:`experiments.provenance.caption`) is printed under each figure.

    Quietly writes nothing when kaleido or a Chromium is missing, or the export fails: the
    HTML report has every figure anyway.
    """
    browser = browser_path()
    if browser is None:
        return []
    try:
        import kaleido  # noqa: F401
        import plotly.io as pio
    except ImportError:
        return []
    # kaleido 1.x finds the browser through choreographer, which honours BROWSER_PATH.
    os.environ.setdefault("BROWSER_PATH", browser)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    names = ["".join(ch if ch.isalnum() else "_" for ch in t.lower()).strip("_") for t in figs]
    paths = [folder / f"{n}.png" for n in names]
    if caption:
        figs = {t: _captioned(f, caption) for t, f in figs.items()}
    try:
        pio.write_images(list(figs.values()), paths, format="png", width=1100, height=550)
    except Exception:  # noqa: BLE001 - optional output; the HTML report is the record
        for p in paths:
            p.unlink(missing_ok=True)
        return []
    for p in paths:
        if p.exists():
            p.chmod(provenance.MODE)
    return [p for p in paths if p.exists()]


def _captioned(fig: go.Figure, caption: str) -> go.Figure:
    """A copy of ``fig`` with a small provenance line along its bottom edge."""
    out = go.Figure(fig)
    out.add_annotation(
        text=html.escape(caption[:160]),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-70,
        showarrow=False,
        xanchor="left",
        font=dict(size=9, color="#777"),
    )
    out.update_layout(margin=dict(b=90))
    return out
