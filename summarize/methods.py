"""Every briefing method's name: the extractive algorithms and the generation strategies.

Names only (the registries import nothing until a method is used), so the command line and an
experiment's config can check a method without loading the briefing code.
"""
from __future__ import annotations

from .abstractive import STRATEGIES
from .algorithms import ALGORITHMS

METHODS = sorted(ALGORITHMS) + sorted(STRATEGIES)
GENERATING = sorted(STRATEGIES)  # methods that need a model


__all__ = ["GENERATING", "METHODS"]
