"""A Plotly figure on the page that updates in place, in one message per step.

:func:`solara.FigurePlotly` replaces a figure by adding the new traces, deleting the old ones and
relaying out: three redraws in the browser for every update. The page redraws five figures every
week of a run, so this component keeps the same Plotly ``FigureWidget`` (through ``anywidget``,
as ``FigurePlotly`` does) and, while the figure keeps the same traces, sends the new data and
layout as a single ``Plotly.update``; it falls back to a full replacement when the traces change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go
import solara
from plotly.graph_objs import FigureWidget

# Set once per trace; a trace of another type means a full replacement.
_FIXED_TRACE_KEYS = ("type", "uid")


def same_structure(widget: go.FigureWidget | go.Figure, fig: go.Figure) -> bool:
    """Whether ``fig`` has the same number and types of traces as ``widget``."""
    return len(widget.data) == len(fig.data) and all(
        a.type == b.type for a, b in zip(widget.data, fig.data, strict=True)
    )


def update_in_place(widget: go.FigureWidget, fig: go.Figure) -> None:
    """Make ``widget`` show ``fig``, in one front-end update when the traces line up.

    Parameters
    ----------
    widget : plotly.graph_objects.FigureWidget
        The figure already on the page.
    fig : plotly.graph_objects.Figure
        What it should show now.
    """
    # The page's figures come from builders that the tests validate; Plotly's per-property
    # validation would otherwise be most of the time an update takes.
    widget._validate = False
    if not same_structure(widget, fig):
        # Same steps as solara.FigurePlotly: new traces in, old traces out.
        widget.layout = fig.layout
        n_old = len(widget.data)
        widget.add_traces(fig.data)
        widget.data = list(widget.data)[n_old:]
        widget._renosim_sent = ([tr.to_plotly_json() for tr in fig.data], fig.layout.to_plotly_json())
        return
    # Send only the top-level properties that differ from what was sent last time: usually the
    # x/y arrays, not the layout template. Comparing against our own copy of what was sent is much
    # cheaper than asking the widget for its state.
    sent_traces, sent_layout = getattr(widget, "_renosim_sent", (None, None))
    if sent_traces is None:
        sent_traces = [tr.to_plotly_json() for tr in widget.data]
        sent_layout = widget.layout.to_plotly_json()
    new_traces = [tr.to_plotly_json() for tr in fig.data]
    new_layout = fig.layout.to_plotly_json()
    with widget.batch_update():
        for target, shown, props in zip(widget.data, sent_traces, new_traces, strict=True):
            changed = {
                k: v for k, v in props.items() if k not in _FIXED_TRACE_KEYS and not _same(shown.get(k, _ABSENT), v)
            }
            if changed:
                target.update(changed, overwrite=True)
        changed = {k: v for k, v in new_layout.items() if not _same(sent_layout.get(k, _ABSENT), v)}
        if changed:
            widget.layout.update(changed, overwrite=True)
    widget._renosim_sent = (new_traces, new_layout)


_ABSENT = object()


def _same(a: Any, b: Any) -> bool:
    # Structural equality for plotly JSON (dicts, lists, tuples, numpy arrays, scalars).
    if a is b:
        return True
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape or a.dtype.kind != b.dtype.kind:
            return False
        try:
            return bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
        except TypeError:
            return bool(np.array_equal(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        if len(a) != len(b):
            return False
        try:
            # C-speed for lists of numbers and strings (NaN != NaN only costs a resend).
            return bool(list(a) == list(b))
        except ValueError:  # an element is a numpy array
            return all(_same(x, y) for x, y in zip(a, b, strict=True))
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


@solara.component
def PlotlyFigure(fig: go.Figure, dependencies: Sequence[Any] | None = None, on_click: Callable | None = None):
    """Show a Plotly figure and update it in place when ``dependencies`` change.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
    dependencies : sequence, optional
        Values that change when the figure should be redrawn (for the page: the session, the
        week and the language). Without them the figure object itself is the dependency.
    on_click : callable, optional
        Called with the ``customdata`` of a clicked (tapped) point.
    """
    element = FigureWidget.element()

    def update():
        widget = solara.get_widget(element)
        update_in_place(widget, fig)
        if on_click is not None:

            def clicked(trace, points, _state):
                if points.point_inds and trace.customdata is not None:
                    on_click(trace.customdata[points.point_inds[0]])

            for trace in widget.data:
                trace.on_click(clicked)

    solara.use_effect(update, list(dependencies) if dependencies is not None else [fig])
    return element
