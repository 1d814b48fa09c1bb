"""Extractive briefing algorithms, one per module, all behind ``Extractor``'s signature.

The registry knows every algorithm's name without importing it (see ``polybrief.core.registry``),
and ``Budget``, ``Extractor`` and ``SentencePool`` load from ``base`` when first used, so the
command line starts without scipy.
"""
from __future__ import annotations

import inspect
from typing import Any

from polybrief.core import defaults
from polybrief.core.errors import PolybriefError, did_you_mean
from polybrief.core.registry import LazyRegistry

ALGORITHMS = LazyRegistry({name: f"{__name__}.{module}:{cls}" for name, module, cls in (
    ("support", "support", "Support"), ("lead", "lead", "Lead"), ("centroid", "centroid", "Centroid"),
    ("mmr", "mmr", "MMR"), ("lexrank", "lexrank", "LexRank"))})
DEFAULT_METHOD = defaults.METHOD
_FROM_BASE = ("Budget", "Extractor", "SentencePool")


def get_extractor(name: str = DEFAULT_METHOD, **params: Any) -> Any:
    """An algorithm by name, with its parameters; unknown names get the list of known ones."""
    if name not in ALGORITHMS:
        raise PolybriefError(f"unknown method {name!r}: choose one of {', '.join(ALGORITHMS)}")
    accepted = [p.name for p in inspect.signature(ALGORITHMS[name]).parameters.values()
                if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    unknown = [key for key in params if key not in accepted]
    if unknown:  # Python's own words name the class's __init__, not the key a user wrote
        raise PolybriefError(f"method {name} has no parameter {unknown[0]!r}{did_you_mean(unknown[0], accepted)}; "
                             f"its parameters: {', '.join(accepted) or 'none'}")
    try:
        return ALGORITHMS[name](**params)
    except (TypeError, ValueError) as exc:
        raise PolybriefError(f"method {name}: {exc}") from None


def __getattr__(name: str) -> Any:
    if name in _FROM_BASE:
        from . import base

        return getattr(base, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["ALGORITHMS", "DEFAULT_METHOD", "Budget", "Extractor", "SentencePool", "get_extractor"]
