"""The ``renosim`` command line.

Each sub-command lives in its own module under ``experiments/commands/`` and registers itself on
:data:`app`. Errors a user can fix (:class:`sim.errors.InputError`) are printed as one line on
stderr with exit status 2; nothing is written in that case.
"""

from __future__ import annotations

import sys

import typer

from sim.errors import InputError

app = typer.Typer(
    name="renosim",
    help="Simulate resident participation in old-compound renovation (Nanning Laoyou councils).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register_commands() -> None:
    # Imported for their side effect of adding commands to ``app``.
    import importlib
    import pkgutil

    from experiments import commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"experiments.commands.{info.name}")


def fail(message: str) -> None:
    """Print a one-line error and exit with status 2."""
    first = " ".join(str(message).split())
    print(f"renosim: error: {first}", file=sys.stderr)
    raise SystemExit(2)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    _register_commands()
    try:
        app(args=argv, standalone_mode=True)
    except InputError as exc:
        fail(str(exc))
    except FileNotFoundError as exc:
        fail(f"file not found: {exc.filename or exc}")
