"""A Plotly figure on the page that the server patches in place instead of rebuilding.

Each figure of the page is a :class:`LiveFigure`: the whole figure as plain JSON (``data``, ``layout``)
kept on the server, and a browser view (:class:`LivePlot`, an ``anywidget`` with ``liveplot.js``)
that draws it. When the page shows a new week, :meth:`LiveFigure.show` compares the new figure with
the one drawn and sends only the difference (:func:`patch`): the new points of each line (Plotly's
``extendTraces``), the trace or layout properties that changed (restyle / relayout), all drawn with
one redraw. A new structure (other traces) is sent whole. A view that was hidden asks for the whole
figure when it is shown again, so a figure the room is not looking at costs nothing.

plotly.js itself is loaded once per page from the ``plotly`` package (Solara serves its
``package_data`` folder at ``/static/assets/``; :func:`serve_plotly_js`): the page stays offline.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anywidget
import traitlets

PLOTLY_URL = "/static/assets/plotly.min.js"
"""Where the page loads plotly.js from (the plotly package's own copy)."""

_JS = Path(__file__).resolve().with_name("liveplot.js").read_text(encoding="utf-8")


def serve_plotly_js() -> None:
    """Let Solara serve the plotly package's ``plotly.min.js`` at :data:`PLOTLY_URL`."""
    import plotly
    import solara.server.settings as settings

    folder = str(Path(plotly.__file__).resolve().parent / "package_data")
    if folder not in settings.assets.extra_locations:
        settings.assets.extra_locations.append(folder)


class LivePlot(anywidget.AnyWidget):
    """The browser view of a :class:`LiveFigure` (see ``liveplot.js``)."""

    _esm = _JS
    plotly_url = traitlets.Unicode(PLOTLY_URL).tag(sync=True)


def _same(a: Any, b: Any) -> bool:
    return a is b or a == b


def _extends(old: list, new: list) -> bool:
    return len(new) >= len(old) and new[: len(old)] == old


def patch(old: dict | None, new: dict) -> dict:
    """The message that turns figure ``old`` into ``new`` (plain-JSON figures: ``data``, ``layout``).

    Returns
    -------
    dict
        ``{"type": "figure", "data", "layout"}`` when the traces differ in number or type (or there
        is no old figure); else ``{"type": "patch", "extend": [{index, x, y}], "restyle": [{index,
        props}], "relayout": {...}}`` with only what changed: a trace whose ``x`` and ``y`` only grew
        (and nothing else changed) is extended by its new points, any other changed top-level
        property of a trace or of the layout is sent whole.
    """
    if (
        old is None
        or len(old["data"]) != len(new["data"])
        or any(a.get("type") != b.get("type") for a, b in zip(old["data"], new["data"], strict=True))
    ):
        return {"type": "figure", "data": new["data"], "layout": new["layout"]}
    extend, restyle = [], []
    for index, (a, b) in enumerate(zip(old["data"], new["data"], strict=True)):
        changed = {k: v for k, v in b.items() if not _same(a.get(k), v)}
        changed.update({k: None for k in a if k not in b})
        grew = set(changed) <= {"x", "y"} and "x" in a and "y" in a and "x" in b and "y" in b
        if (
            grew
            and _extends(a["x"], b["x"])
            and _extends(a["y"], b["y"])
            and len(b["x"]) - len(a["x"]) == len(b["y"]) - len(a["y"])
        ):
            if len(b["x"]) > len(a["x"]):
                extend.append({"index": index, "x": b["x"][len(a["x"]) :], "y": b["y"][len(a["y"]) :]})
        elif changed:
            restyle.append({"index": index, "props": changed})
    relayout = {k: v for k, v in new["layout"].items() if not _same(old["layout"].get(k), v)}
    relayout.update({k: None for k in old["layout"] if k not in new["layout"]})
    return {"type": "patch", "extend": extend, "restyle": restyle, "relayout": relayout}


def apply_patch(fig: dict, msg: dict) -> dict:
    """What the browser does with a message (``liveplot.js``), in Python: for the tests."""
    if msg["type"] == "figure":
        return {"data": [dict(tr) for tr in msg["data"]], "layout": dict(msg["layout"])}
    data = [dict(tr) for tr in fig["data"]]
    for ext in msg["extend"]:
        tr = data[ext["index"]]
        tr["x"], tr["y"] = list(tr["x"]) + list(ext["x"]), list(tr["y"]) + list(ext["y"])
    for res in msg["restyle"]:
        data[res["index"]].update(res["props"])
    layout = {**fig["layout"], **msg["relayout"]}
    strip = lambda d: {k: v for k, v in d.items() if v is not None}  # noqa: E731 -- Plotly drops null props
    return {"data": [strip(tr) for tr in data], "layout": strip(layout)}


class LiveFigure:
    """One figure of the page: its current state on the server and the view that draws it.

    The page calls :meth:`show` with each new figure; :meth:`attach` connects a browser view, which
    asks for the whole figure (``resync``) when it appears. ``on_click`` receives the ``customdata``
    of a tapped point; ``on_size`` the view's width and height in pixels when they change.
    """

    def __init__(self, on_click: Callable[[Any], None] | None = None):
        self.figure: dict | None = None
        self.week: int | None = None
        self.widget: LivePlot | None = None
        self.size: tuple[int, int] | None = None
        self.on_click = on_click
        self.on_size: Callable[[int, int], None] | None = None
        self._lock = threading.RLock()

    def show(self, figure: dict, week: int | None = None) -> dict:
        """Make the view show ``figure`` (drawn at ``week``); returns the message sent."""
        with self._lock:
            msg = patch(self.figure, figure)
            self.figure, self.week = figure, week
            self._send({**msg, "week": week})
            return msg

    def attach(self, widget: LivePlot) -> None:
        """Connect a browser view; it is sent the whole figure when it asks."""
        with self._lock:
            if widget is self.widget:
                return
            self.widget = widget
            widget.on_msg(self._on_message)

    def _send(self, msg: dict) -> None:
        if self.widget is not None:
            self.widget.send(msg)

    def _on_message(self, _widget, content: dict, _buffers) -> None:
        kind = content.get("type")
        if kind == "resync":
            with self._lock:
                if self.figure is not None:
                    self._send({"type": "figure", **self.figure, "week": self.week})
        elif kind == "click" and self.on_click is not None:
            self.on_click(content.get("customdata"))
        elif kind == "size":
            self.size = (int(content["width"]), int(content["height"]))
            if self.on_size is not None:
                self.on_size(*self.size)
