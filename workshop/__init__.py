"""The policy-workshop page: one compound (or two arms of it) in the browser, in Chinese and English.

The top layer of the project (state -> agents -> models -> experiments and CLI -> workshop page):
it may import ``sim``, ``agents`` and ``experiments``; nothing below imports it (``renosim viz``
runs Solara on ``app.py`` or ``workshop.mesa_page`` by name).

Modules
-------
page
    The Solara page (``Page``) that ``app.py`` exposes: state, app bar, sidebar, compare mode.
controls
    Run buttons, week counters (``data-testid=week`` per arm) and one arm's regime and levers.
panels
    Networks, the fixed key, status lines, the line of differences and the charts; the layout CSS.
network, charts
    Plotly builders: the compound's network (strong ties, bands between buildings, a tapped
    household's ties) and the time-series charts (years, one or two arms, "not yet").
compare
    The plain-language differences between two arms.
saving
    "Save the session": one offline HTML file.
labels, status, levers
    Every word in both languages; status sentences; the levers, their ranges and regime presets.
session
    One browser session's model (built inside the page, never shared).
plotly_widget, fit_figures.vue
    A Plotly widget that updates in place; the browser-side measure of each figure's box.
fonts, style
    The shipped CJK font subset (``assets/``) and the type sizes and font stack.
offline
    Keeps the page off the internet: local front-end assets, no telemetry, badge or version checks.
mesa_page
    Mesa's stock ``SolaraViz`` on the same model (``renosim viz --mesa``).
"""
