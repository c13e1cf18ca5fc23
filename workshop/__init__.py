"""The policy-workshop page: one compound (or two arms of it) in the browser, in Chinese and English.

The top layer of the project (state -> agents -> models -> experiments and CLI -> workshop page):
it may import ``sim``, ``agents`` and ``experiments``; nothing below imports it (``renosim viz``
runs Solara on ``app.py`` or ``workshop.mesa_page`` by name).

Modules
-------
page
    The Solara page (``Page``) that ``app.py`` exposes: the app bar, settings panel, run bar, views.
board
    One visitor's page outside Solara: the sides, their bands and figures; step, levers, branch, reset.
session
    One side's model: build, step, change levers mid-run, branch (a copy at the current week).
measures
    What the tiles and charts show, chosen in one place (the participation measure included).
band
    The spread across runs: the same settings over 20 seeds in a background process, percentiles.
controls, panels
    The settings panel and run bar; the compound view (titles, networks, tiles, differences) and the
    charts view; the layout CSS.
network, charts
    Plain-JSON figures: the compound's network (households by state, strong ties, bands between
    buildings, a tapped household's ties) and the charts (one line per side over its band).
liveplot, liveplot.js
    The figures in the browser: an anywidget that patches a Plotly figure in place.
compare
    Each side's name, its big-number tiles and the line of differences.
saving
    "Save record" (one offline HTML file) and "Data (CSV)".
labels, words.toml, status, levers
    Every word in both languages (one table; docs/GLOSSARY.md is made from it); status sentences;
    the levers, their ranges and regime presets.
fonts, style
    The shipped CJK font subset (``assets/``) and the type sizes and font stack.
offline
    Keeps the page off the internet: local front-end assets, no telemetry, badge or version checks.
mesa_page
    Mesa's stock ``SolaraViz`` on the same model (``renosim viz --mesa``), with the page's words.
"""
