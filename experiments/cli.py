"""The ``renosim`` command line.

Each sub-command lives in its own module under ``experiments/commands/`` and registers itself on
:data:`app`. Every failure a user can cause goes through :func:`main`'s one handler: one line on
stderr naming what is wrong and what is allowed, exit status 2, and nothing written (commands
validate everything before they touch an output folder). That covers :class:`sim.errors.InputError`,
bad or repeated command-line options (click's usage errors), files that cannot be read, and a
run interrupted with Ctrl-C or ``kill`` (SIGINT: exit 130, SIGTERM: exit 143; a results folder
keeps every finished chunk, so ``--resume`` continues it). Anything else is a bug in renosim: one
line, exit 3, and the traceback only with ``RENOSIM_TRACEBACK=1``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys

import click
import typer

from sim.errors import InputError

try:  # typer 0.2x vendors its own click; older typers use click itself
    from typer._click.exceptions import ClickException as _TyperClickException
    from typer._click.exceptions import NoArgsIsHelpError
except ImportError:  # pragma: no cover
    from click.exceptions import ClickException as _TyperClickException
    from click.exceptions import NoArgsIsHelpError

#: Usage errors from typer's click and from click itself (solara's command line, under ``viz``).
ClickException = (_TyperClickException, click.ClickException)
Abort = (typer.Abort, click.exceptions.Abort)

app = typer.Typer(
    name="renosim",
    help="Simulate resident participation in old-compound renovation (Nanning Laoyou councils).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # click's plain help: flags read as flags (`--json`, `--progress / --no-progress`); typer's rich
    # panels show every option with a type, so a flag looked like `--json <bool>`
    rich_markup_mode=None,
)

#: Options that may be given more than once (each lever at most once).
REPEATABLE = frozenset({"--set"})


def _register_commands() -> None:
    # Imported for their side effect of adding commands to ``app``.
    import importlib
    import pkgutil

    from experiments import commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"experiments.commands.{info.name}")


#: The longest error line printed (a path or a value quoted from a hostile file can be huge).
MAX_MESSAGE = 2000


def fail(message: str, code: int = 2) -> None:
    """Print a one-line error and exit with status ``code`` (2: the user can fix it)."""
    first = " ".join(str(message).split())
    if len(first) > MAX_MESSAGE:
        first = first[:MAX_MESSAGE] + " ..."
    print(f"renosim: error: {first}", file=sys.stderr)
    raise SystemExit(code)


class Interrupted(BaseException):
    """SIGINT or SIGTERM, raised in the main thread.

    Not :class:`KeyboardInterrupt`, which typer turns into a silent exit 130; a BaseException so
    no ``except Exception`` on the way up mistakes it for a failure to recover from.
    """

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _raise_interrupted(signum: int, frame) -> None:
    raise Interrupted(signum)


#: The warning filter a command gives the processes it starts. An interrupt kills the pool's workers;
#: loky's resource tracker (a process of its own, sharing stderr) then removes the semaphores they
#: held, as it is meant to, and warns about each one, sometimes after this process has printed its
#: one line. The removal is the tracker's job and the interrupt is already reported: its warnings go.
QUIET_TRACKER = "ignore::UserWarning:loky.backend.resource_tracker"


@contextlib.contextmanager
def _signals_interrupt():
    """While a command runs, SIGINT and SIGTERM unwind it (locks released, temporary files removed)."""
    try:
        old = {s: signal.signal(s, _raise_interrupted) for s in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # not the main thread (an embedding program): leave its handlers alone
        yield
        return
    warnings_before = os.environ.get("PYTHONWARNINGS")
    os.environ["PYTHONWARNINGS"] = ",".join(filter(None, (warnings_before, QUIET_TRACKER)))
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
        if warnings_before is None:
            os.environ.pop("PYTHONWARNINGS", None)
        else:
            os.environ["PYTHONWARNINGS"] = warnings_before


def interrupted(signum: int) -> None:
    name = signal.Signals(signum).name
    fail(
        f"interrupted by {name}; a results folder keeps every finished chunk (run again with --resume to "
        "continue it), other outputs are written only when a run completes",
        128 + signum,
    )


def check_repeated(args: list[str]) -> None:
    """Refuse an option given twice (click would keep the last silently) and a lever set twice."""
    seen: set[str] = set()
    levers: set[str] = set()
    for i, tok in enumerate(args):
        if tok == "--":
            break
        if not tok.startswith("--"):
            continue
        name, eq, value = tok.partition("=")
        if name in REPEATABLE:
            value = value if eq else (args[i + 1] if i + 1 < len(args) else "")
            lever = value.partition("=")[0].strip()
            if lever in levers:
                raise InputError(f"--set {lever}=... is given twice; give each lever once")
            levers.add(lever)
            continue
        key = "--" + name[2:].removeprefix("no-")
        if key in seen:
            raise InputError(f"option {name} is given twice (or with its --no- form); give it once")
        seen.add(key)


def _usage_message(exc: Exception) -> str:
    msg = exc.format_message()
    ctx = getattr(exc, "ctx", None)
    where = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
    return f"{msg}{where}"


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: run a command; every failure through one handler."""
    from experiments import invocation

    _register_commands()
    args = list(sys.argv[1:] if argv is None else argv)
    invocation.INVOCATION = args  # records name this command, even when main() is called in-process
    try:
        _run(args)
    finally:
        invocation.INVOCATION = None


def _run(args: list[str]) -> None:
    from sim.inputs import path_error

    try:
        check_repeated(args)
        with _signals_interrupt():
            code = app(args=args, standalone_mode=False)
        if code == 128 + signal.SIGINT:  # typer's silent exit for a KeyboardInterrupt raised inside
            interrupted(signal.SIGINT)
    except Interrupted as exc:
        interrupted(exc.signum)
    except NoArgsIsHelpError as exc:
        exc.show()  # `renosim` alone: the help text
        raise SystemExit(2) from None
    except ClickException as exc:  # bad option, missing argument, --seed abc, ...
        fail(_usage_message(exc))
    except Abort:
        interrupted(signal.SIGINT)
    except InputError as exc:
        fail(str(exc))
    except OSError as exc:  # a file or folder the command could not use
        fail(path_error(exc))
    except (RecursionError, MemoryError) as exc:
        fail(f"input too large or too deeply nested ({type(exc).__name__}); see the limits in the README")
    except KeyboardInterrupt:
        interrupted(signal.SIGINT)
    except Exception as exc:  # noqa: BLE001 - a bug: still one line, but a distinct status
        if os.environ.get("RENOSIM_TRACEBACK"):
            raise
        fail(f"internal error: {type(exc).__name__}: {exc} (RENOSIM_TRACEBACK=1 shows where; please report it)", 3)
    if isinstance(code, int) and code:
        raise SystemExit(code)
