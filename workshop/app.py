"""The renosim policy-workshop page as a module: ``renosim viz`` serves it (``solara run workshop.app``).

Inside the package, so an installed wheel has it too; ``app.py`` at the project root re-exports it
for ``solara run app.py`` from a checkout. Each browser session builds its own model inside
:func:`workshop.page.Page`; this module holds no model, so visitors never share state.
"""

import sys

from workshop.offline import asset_problems, configure_offline

configure_offline()
for _problem in asset_problems():
    print(f"renosim: warning: {_problem}; the page may need the internet", file=sys.stderr)

from workshop.page import Page  # noqa: E402 - after configure_offline, which Solara reads on import

__all__ = ["Page"]
