"""``renosim viz``: serve the policy-workshop page (or, with ``--mesa``, Mesa's own page) in a browser.

Runs Solara's server in production mode on the page's file or module — ``app.py`` at the project
root, or the ``workshop.mesa_page`` module — without importing the page: the workshop is the layer
above the CLI. It listens on 127.0.0.1 unless ``--host`` is given, so a workshop laptop does not
expose the page to the room's network by accident. The page itself keeps Solara offline (no
telemetry, no badge, no version check; see ``workshop/offline.py``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from experiments.cli import app
from sim.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
APP_PATH = ROOT / "app.py"
MESA_PAGE = "workshop.mesa_page"
"""Mesa's SolaraViz on the model, as a module Solara imports (``renosim viz --mesa``)."""
PAGE_LANGUAGES = ("zh", "en")
"""The workshop page's languages (``workshop.labels.LANGS``; a test keeps the two equal)."""


def solara_args(target: str, host: str, port: int) -> list[str]:
    """The ``solara`` command-line arguments ``renosim viz`` runs (without the program name)."""
    return [
        "run",
        target,
        "--host",
        host,
        "--port",
        str(port),
        "--production",  # no auto-restart, no version-check iframe
        "--no-open",
        "--no-check-version",  # would ask PyPI for the latest Solara
    ]


@app.command()
def viz(
    port: int = typer.Option(8765, help="Port to listen on (0 picks a free one)."),
    host: str = typer.Option("127.0.0.1", help="Address to listen on; give 0.0.0.0 to let other machines connect."),
    lang: str = typer.Option("zh", help="Language the page opens in: zh or en."),
    mesa: bool = typer.Option(False, "--mesa", help="Serve Mesa's stock SolaraViz page on the model instead."),
) -> None:
    """Serve the interactive workshop page (Chinese / English) at http://HOST:PORT/."""
    if not 0 <= port <= 65535:
        raise InputError(f"--port {port} is out of range; allowed 0..65535")
    if lang not in PAGE_LANGUAGES:
        raise InputError(f"--lang {lang!r} is not allowed; choose one of {', '.join(PAGE_LANGUAGES)}")
    if not mesa and not APP_PATH.is_file():
        raise InputError(f"the page {APP_PATH} is missing")
    target = MESA_PAGE if mesa else str(APP_PATH)
    os.environ["RENOSIM_VIZ_LANG"] = lang
    # Read by Solara's settings when first imported (the page sets them again when it loads).
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    os.environ.setdefault("SOLARA_THEME_SHOW_BANNER", "False")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))  # Solara imports workshop.mesa_page from a checkout too

    from solara.__main__ import cli as solara_cli

    page = "Mesa's SolaraViz page" if mesa else "the workshop page"
    print(f"renosim: serving {page} at http://{host}:{port}/", file=sys.stderr)
    solara_cli.main(args=solara_args(target, host, port), standalone_mode=False)
