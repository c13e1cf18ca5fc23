"""Errors a user can fix: bad parameters, configs, files.

Every such error carries a one-line message that names what is wrong and what is allowed;
the CLI prints it and exits with status 2 (see ``experiments.cli``).
"""


class InputError(ValueError):
    """A user-supplied value, file or name is invalid. The message is one line."""
