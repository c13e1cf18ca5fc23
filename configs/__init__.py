"""The shipped YAML files (regimes, experiments, scenarios, targets).

In a source checkout this folder is ``configs/`` at the top of the repository; an installed wheel
carries it as the package ``renosim_configs``. Find files through
:func:`sim.config_files.config_path`, never through a path relative to a module.
"""
