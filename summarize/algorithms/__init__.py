"""Extractive briefing algorithms, one per module, all behind ``Extractor``'s signature."""
from __future__ import annotations

from typing import Any

from polybrief.core.errors import PolybriefError

from .base import Budget, Extractor, SentencePool
from .centroid import Centroid
from .lead import Lead
from .lexrank import LexRank
from .mmr import MMR
from .support import Support

ALGORITHMS: dict[str, type[Extractor]] = {
    cls.name: cls for cls in (Support, Lead, Centroid, MMR, LexRank)
}
DEFAULT_METHOD = Support.name


def get_extractor(name: str = DEFAULT_METHOD, **params: Any) -> Extractor:
    """An algorithm by name, with its parameters; unknown names get the list of known ones."""
    if name not in ALGORITHMS:
        raise PolybriefError(f"unknown method {name!r}: choose one of {', '.join(ALGORITHMS)}")
    try:
        return ALGORITHMS[name](**params)
    except (TypeError, ValueError) as exc:
        raise PolybriefError(f"method {name}: {exc}") from None


__all__ = ["ALGORITHMS", "DEFAULT_METHOD", "Budget", "Extractor", "SentencePool", "get_extractor"]
