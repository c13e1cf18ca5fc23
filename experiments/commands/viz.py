"""``renosim viz``: serve the policy-workshop page (or, with ``--mesa``, Mesa's own page) in a browser.

Runs Solara's server in production mode on the page's module — ``workshop.app`` (which ``app.py``
at the project root re-exports for ``solara run app.py``), or ``workshop.mesa_page`` — by name,
without importing the page: the workshop is the layer above the CLI. Both modules are in the
package, so an installed wheel serves them too. It listens on 127.0.0.1 unless ``--host`` is
given, so a workshop laptop does not expose the page to the room's network by accident. The
address is tried before Solara starts: a busy port or a host that is not this machine's is one
line and exit 2. The page itself keeps Solara offline (no telemetry, no badge, no version check;
see ``workshop/offline.py``).
"""

from __future__ import annotations

import errno
import os
import socket
import sys
from pathlib import Path

import typer

from experiments.cli import app
from sim.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
APP_PATH = ROOT / "app.py"
"""The checkout's script for ``solara run app.py``; ``renosim viz`` serves :data:`APP_MODULE`."""
APP_MODULE = "workshop.app"
"""The workshop page, as a module Solara imports (``renosim viz``)."""
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


def check_address(host: str, port: int) -> int:
    """Bind ``host:port`` once (as the server will) and return the port; one line if it cannot be.

    Port 0 is resolved here to a free port, so the address printed is the one served.
    """
    try:
        family, kind, proto, _, addr = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError) as exc:
        why = getattr(exc, "strerror", None) or str(exc)
        raise InputError(
            f"--host {host!r} is not an address of this machine ({why}); give e.g. 127.0.0.1 or 0.0.0.0"
        ) from None
    with socket.socket(family, kind, proto) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: a port in TIME_WAIT is free
        try:
            s.bind(addr)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise InputError(
                    f"port {port} on {host} is in use by another program; choose another --port (0 picks a free one)"
                ) from None
            if exc.errno == errno.EADDRNOTAVAIL:
                raise InputError(f"--host {host!r} is not an address of this machine; give e.g. 127.0.0.1") from None
            raise InputError(
                f"cannot listen on {host}:{port} ({exc.strerror}); choose another --host or --port"
            ) from None
        return s.getsockname()[1]


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
    port = check_address(host, port)
    target = MESA_PAGE if mesa else APP_MODULE
    os.environ["RENOSIM_VIZ_LANG"] = lang
    # Read by Solara's settings when first imported (the page sets them again when it loads).
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    os.environ.setdefault("SOLARA_THEME_SHOW_BANNER", "False")
    if (ROOT / "workshop").is_dir() and str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))  # a checkout that is not pip-installed

    from solara.__main__ import cli as solara_cli

    page = "Mesa's SolaraViz page" if mesa else "the workshop page"
    print(f"renosim: serving {page} at http://{host}:{port}/", file=sys.stderr)
    solara_cli.main(args=solara_args(target, host, port), standalone_mode=False)
