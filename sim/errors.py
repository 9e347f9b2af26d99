"""Errors a user can fix: the CLI prints them as one message and exits with status 2."""


class UserError(Exception):
    """Bad input from the user: a scenario, a catalog, an override or a path.

    The message must name the file, key or row, the bad value and what is allowed,
    because the CLI shows nothing else.
    """
