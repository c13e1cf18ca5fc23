"""Experiment layer: runners, comparisons, sweeps, sensitivity analysis, results store, the CLI."""

from experiments.resources import point_model_at_configs

point_model_at_configs()
