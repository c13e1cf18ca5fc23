"""Where the shipped YAML files are (see :mod:`sim.config_files`, which defines it once).

Also the shipped files a command names in its help (as a default), here so that ``renosim --help``
need not import the module that reads them.
"""

from sim.config_files import PACKAGE, config_dir, config_path

#: The X2 knock-outs of three_integrations, the ``scenarios`` of an experiment file: what
#: ``renosim compare --knockouts`` runs (the same file ``renosim sweep`` runs).
KNOCKOUTS_FILE = config_path("experiments", "x2_knockouts.yaml")

__all__ = ["KNOCKOUTS_FILE", "PACKAGE", "config_dir", "config_path"]
