"""Sub-commands of ``renosim``; each module registers its commands on ``experiments.cli.app``."""
