"""The renosim policy-workshop page: ``solara run app.py`` (or ``renosim viz``).

The page itself is :mod:`workshop.app` (inside the package, so an installed wheel serves it too).
Each browser session builds its own model inside :func:`workshop.page.Page`; this module holds
no model, so visitors never share state.
"""

import sys
from pathlib import Path

# `solara run app.py` from a checkout that is not pip-installed: make the project importable.
_ROOT = str(Path(__file__).resolve().parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from workshop.app import Page  # noqa: E402

__all__ = ["Page"]
