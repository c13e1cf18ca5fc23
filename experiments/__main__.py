"""``python -m experiments`` runs the ``renosim`` command line."""

from experiments.cli import main

main()
