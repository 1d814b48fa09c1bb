"""Machine translation backends behind one interface (``Translator``).

``apertium`` (rule-based, Debian packages, offline, the default) and ``hf`` (any seq2seq
translation model by folder or hub id). ``get_translator('apertium')`` or
``get_translator('path/to/model')``; ``none`` turns translation off.
"""
from __future__ import annotations

from functools import lru_cache

from polybrief.core.errors import PolybriefError

from .apertium import ApertiumTranslator
from .base import Translation, Translator

__all__ = ["Translation", "Translator", "get_translator"]


@lru_cache(maxsize=4)
def get_translator(spec: str = "apertium") -> Translator | None:
    """The backend ``spec`` names: 'apertium', 'none' (no translation), 'hf:MODEL' or a model folder."""
    if spec == "none":
        return None
    if spec == "apertium":
        return ApertiumTranslator()
    from pathlib import Path

    from .hf import HFTranslator

    if spec.startswith("hf:"):
        return HFTranslator(spec[3:])
    if Path(spec).expanduser().exists():
        return HFTranslator(spec)
    raise PolybriefError(f"unknown translator {spec!r}: use apertium, none, hf:MODEL or a model folder")
