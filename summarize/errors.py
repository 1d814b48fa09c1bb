"""User-facing errors.

Every failure a user can cause (bad path, bad file, bad option) is raised as a
``PolybriefError`` so the CLI can print one clear line and exit non-zero instead
of a traceback.
"""


class PolybriefError(Exception):
    """An error caused by the input or options, reported to the user in one line."""


class InputError(PolybriefError):
    """An input file, folder or dataset could not be read as clusters."""
