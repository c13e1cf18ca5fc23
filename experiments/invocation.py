"""The ``renosim`` command this process is running, as its provenance records name it.

Set by :func:`experiments.cli.main` (which may be called with its own argument list, e.g. from a
notebook) and read by :func:`experiments.provenance.command_line`. A module of its own so that
setting it costs the command line nothing: :mod:`experiments.provenance` loads pandas and pyarrow.
"""

from __future__ import annotations

#: The arguments of the ``renosim`` command this process is running; None: the process's own ``sys.argv``.
INVOCATION: list[str] | None = None
