"""User-facing errors, and the "did you mean" hint they share.

Every failure a user can cause (bad path, bad file, bad option) is raised as a
``PolybriefError`` so the CLI can print one clear line and exit non-zero instead
of a traceback.
"""

import difflib


def did_you_mean(name: str, choices: list[str]) -> str:
    """' (did you mean X?)' for the closest choice, or '' when nothing is close."""
    match = difflib.get_close_matches(name, choices, n=1, cutoff=0.5)
    return f" (did you mean {match[0]!r}?)" if match else ""


def unknown_name(kind: str, name: str, choices: list[str], lookup: str | None = None) -> str:
    """"unknown KIND 'NAME' (did you mean X?); known: A, B": the message for a name no registry has."""
    return f"unknown {kind} {name!r}{did_you_mean(lookup or name, choices)}; known: {', '.join(choices)}"


class PolybriefError(Exception):
    """An error caused by the input or options, reported to the user in one line."""


class InputError(PolybriefError):
    """An input file, folder or dataset could not be read as clusters."""


__all__ = ["InputError", "PolybriefError", "did_you_mean", "unknown_name"]
