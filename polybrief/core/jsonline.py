"""One JSON line of a user's file, read so that every way it can be bad is a ``JSONDecodeError``.

``json.loads`` raises other ``ValueError``s too: a number of more than 4,300 digits (Python's limit on
turning text into an int) and bytes that are not UTF-8. Readers that caught only ``JSONDecodeError``
crashed on them ("unexpected ValueError ... a bug") instead of naming the line.
"""
from __future__ import annotations

import json
from typing import Any


def loads(line: str | bytes) -> Any:
    """``json.loads(line)``, with its other ``ValueError``s raised as ``JSONDecodeError`` and a short reason."""
    try:
        return json.loads(line)
    except json.JSONDecodeError:
        raise
    except UnicodeDecodeError as exc:
        raise json.JSONDecodeError("not UTF-8", "", exc.start) from None
    except ValueError as exc:
        reason = "a number too long to read" if "digits" in str(exc) else str(exc).split(";")[0]
        raise json.JSONDecodeError(reason, "", 0) from None


__all__ = ["loads"]
