"""Where the shipped YAML files are: ``configs/`` of a checkout, ``renosim_configs`` of a wheel.

``configs/`` stays at the top level of the repository; the wheel maps it into the package
``renosim_configs`` (pyproject.toml), read here through :mod:`importlib.resources`. In a source
checkout (``pyproject.toml`` beside ``experiments/``, as in an editable install) the checkout's own
``configs/`` wins, so an edited YAML file takes effect without reinstalling (an editable install
also holds a copy as ``renosim_configs``).

Importing :mod:`experiments` points :data:`sim.params.CONFIG_DIR` (the regime presets) at the same
folder, so ``renosim`` works from any directory after a wheel install.
"""

from __future__ import annotations

import importlib.resources
from functools import cache
from pathlib import Path

PACKAGE = "renosim_configs"


@cache
def config_dir() -> Path:
    """The folder holding ``regimes/``, ``experiments/``, ``scenarios/`` and ``targets/``."""
    top = Path(__file__).resolve().parents[1]
    if (top / "pyproject.toml").is_file() and (top / "configs" / "__init__.py").is_file():
        return top / "configs"  # a source checkout
    return Path(str(importlib.resources.files(PACKAGE)))


def config_path(*parts: str) -> Path:
    """A shipped file, e.g. ``config_path("targets", "nanning.yaml")``."""
    return config_dir().joinpath(*parts)


def point_model_at_configs() -> None:
    """Make the model's regime presets (``sim.params``) read the same folder."""
    import sim.params

    sim.params.CONFIG_DIR = config_dir()
