"""Where the shipped YAML files are (see :mod:`sim.config_files`, which defines it once)."""

from sim.config_files import PACKAGE, config_dir, config_path

__all__ = ["PACKAGE", "config_dir", "config_path"]
