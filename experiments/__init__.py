"""Experiment layer: runners, comparisons, sweeps, sensitivity analysis, results store, the CLI."""
