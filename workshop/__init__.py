"""The policy-workshop page: one compound (or two arms of it) in the browser, in Chinese and English.

Modules
-------
labels
    Every word the page shows, in both languages (:func:`labels.t`).
status
    Plain-language status lines from ``RenovationModel.status()``.
figures
    Plotly builders: the compound's network (by building, state, party, tie strength) and the
    time-series charts.
plotly_widget
    A Plotly ``FigureWidget`` component that updates in place, one message per step.
levers
    The levers the page offers, their ranges (from ``sim.params``) and regime presets.
session
    One browser session's model (built inside the page, never shared).
page
    The Solara page (``Page``) that ``app.py`` exposes and ``renosim viz`` serves.
offline
    Keeps the page off the internet: local front-end assets, no telemetry or version checks.
"""
