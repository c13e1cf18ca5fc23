"""Keep the workshop page off the internet: local front-end assets, no calls home.

Workshop rooms often have no internet. Solara's page loads its JavaScript libraries through the
server's ``/_solara/cdn/`` proxy, which serves them from ``<prefix>/share/solara/cdn`` when the
``solara-assets`` package (of the same version as ``solara``) is installed and otherwise fetches
them from a CDN, so without it an offline page stays blank. Solara also sends usage telemetry
from the server and, in development mode, embeds a version-check iframe in the page; both are
switched off here. Plotly's JavaScript ships inside the ``plotly`` package; the page serves that
copy at ``/static/assets/plotly.min.js`` (:func:`workshop.liveplot.serve_plotly_js`).
"""

from __future__ import annotations

import os
from importlib import metadata
from pathlib import Path

# Read by Solara's settings when it is first imported; the page sets the same values again
# below in case Solara was imported before this module.
_ENV = {
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    # Solara's English "This website runs on Solara" badge covers the page's bottom-right corner.
    "SOLARA_THEME_SHOW_BANNER": "False",
}
ASSETS = Path(__file__).resolve().parent / "assets"
"""The page's own static files (the CJK font), served by Solara at ``/static/assets/``."""


def set_offline_environment(env: dict[str, str] | None = None) -> dict[str, str]:
    """Put the offline settings into ``env`` (default: this process's environment).

    Returns
    -------
    dict
        The mapping that was updated (for a child process's environment).
    """
    target = os.environ if env is None else env
    for key, value in _ENV.items():
        target.setdefault(key, value)
    return target


def configure_offline() -> None:
    """Switch off Solara's telemetry, badge and version-check iframe; serve the page's own assets.

    Safe to call more than once and before or after Solara's server has started.
    """
    set_offline_environment()
    import solara.checks
    import solara.server.settings as settings

    settings.telemetry.mixpanel_enable = False
    settings.theme.show_banner = False
    if str(ASSETS) not in settings.assets.extra_locations:
        settings.assets.extra_locations.append(str(ASSETS))
    from workshop.liveplot import serve_plotly_js

    serve_plotly_js()
    # The check is an <iframe> to solara.dev in development mode (plain `solara run app.py`);
    # offline it only fails, and it is a request leaving the room.
    solara.checks.should_perform_solara_check = _never
    solara.checks.should_perform_jupyter_check = _never


def _never() -> bool:
    return False


def asset_problems() -> list[str]:
    """Say what would make the page load its front end from the internet.

    Returns
    -------
    list of str
        Empty when ``solara-assets`` is installed at the same version as ``solara`` and its
        files are where Solara's proxy looks; otherwise one sentence per problem.
    """
    problems = []
    try:
        solara_version = metadata.version("solara")
    except metadata.PackageNotFoundError:
        return ["solara is not installed"]
    try:
        assets_version = metadata.version("solara-assets")
    except metadata.PackageNotFoundError:
        return [f"solara-assets is not installed (install solara-assets=={solara_version})"]
    if assets_version != solara_version:
        problems.append(
            f"solara-assets {assets_version} does not match solara {solara_version}; pin both to the same version"
        )
    import solara.server.settings as settings

    cdn = Path(settings.assets.proxy_cache_dir)
    if not (cdn / "@widgetti").is_dir():
        problems.append(f"Solara's asset folder {cdn} is missing or empty")
    return problems


# Debian's chromium (never a downloaded browser) and the flags it needs headless, as root, on a machine
# whose network is closed: without the background-networking flags it keeps trying to reach Google.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
