"""``renosim viz``: serve the policy-workshop page in a browser.

Runs ``app.py`` (at the project root) under Solara's server in production mode. It listens on
127.0.0.1 unless ``--host`` is given, so a workshop laptop does not expose the page to the room's
network by accident.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from experiments.cli import app
from sim.errors import InputError

APP_PATH = Path(__file__).resolve().parents[2] / "app.py"


def solara_args(app_path: Path, host: str, port: int) -> list[str]:
    """The ``solara`` command-line arguments ``renosim viz`` runs (without the program name)."""
    return [
        "run",
        str(app_path),
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
) -> None:
    """Serve the interactive workshop page (Chinese / English) at http://HOST:PORT/."""
    if not 0 <= port <= 65535:
        raise InputError(f"--port {port} is out of range; allowed 0..65535")
    from workshop.labels import LANGS

    if lang not in LANGS:
        raise InputError(f"--lang {lang!r} is not allowed; choose one of {', '.join(LANGS)}")
    if not APP_PATH.is_file():
        raise InputError(f"the page {APP_PATH} is missing")

    import os

    from workshop.offline import asset_problems, set_offline_environment

    set_offline_environment()
    os.environ["RENOSIM_VIZ_LANG"] = lang
    for problem in asset_problems():
        print(f"renosim: warning: {problem}; the page may need the internet", file=sys.stderr)

    from solara.__main__ import cli as solara_cli

    print(f"renosim: serving the workshop page at http://{host}:{port}/", file=sys.stderr)
    solara_cli.main(args=solara_args(APP_PATH, host, port), standalone_mode=False)
