"""The renosim policy-workshop page: ``solara run app.py`` (or ``renosim viz``).

Each browser session builds its own model inside :func:`workshop.page.Page`; this module
holds no model, so visitors never share state.
"""

import sys
from pathlib import Path

# `solara run app.py` from a checkout that is not pip-installed: make the project importable.
_ROOT = str(Path(__file__).resolve().parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from workshop.offline import asset_problems, configure_offline  # noqa: E402

configure_offline()
for _problem in asset_problems():
    print(f"renosim: warning: {_problem}; the page may need the internet", file=sys.stderr)

from workshop.page import Page  # noqa: E402

__all__ = ["Page"]
