"""renosim's command line run in-process, as the tests run it: exit status, stdout and stderr.

``main`` ends with ``SystemExit`` on every error path (exit 2 for bad input, 130 for an interrupt);
a run that returns normally exited 0.
"""

from __future__ import annotations

import contextlib
import io

from experiments.cli import main


def exit_code(argv) -> int:
    """Run ``renosim ARGV...``; its exit status (output goes where pytest captures it)."""
    try:
        main([str(a) for a in argv])
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def captured(argv) -> tuple[int, str, str]:
    """Run ``renosim ARGV...``; its exit status, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = exit_code(argv)
    return code, out.getvalue(), err.getvalue()
