"""Machine translation backends behind one interface (``Translator``).

``apertium`` (rule-based, Debian packages, offline, the default) and ``hf`` (any seq2seq
translation model by folder or hub id). ``get_translator('apertium')`` or
``get_translator('path/to/model')``; ``none`` turns translation off.
"""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from polybrief.core.errors import PolybriefError

from .apertium import ApertiumTranslator
from .base import Translation, Translator

if TYPE_CHECKING:
    from ..generation import GenerationOptions

__all__ = ["Translation", "Translator", "get_translator"]


def get_translator(spec: str = "apertium", options: GenerationOptions | None = None) -> Translator | None:
    """The backend ``spec`` names: 'apertium', 'none' (no translation), 'hf:MODEL' or a model folder;
    ``options`` (device, batch size, generate() arguments) configure a model, and are none of Apertium's.
    Without options a backend is built once per process and shared."""
    return _shared(spec) if options is None else _make(spec, options)


@lru_cache(maxsize=4)
def _shared(spec: str) -> Translator | None:
    return _make(spec, None)


def _make(spec: str, options: GenerationOptions | None) -> Translator | None:
    if spec == "none":
        return None
    if spec == "apertium":
        return ApertiumTranslator()
    from pathlib import Path

    from .hf import HFTranslator

    if spec.startswith("hf:"):
        return HFTranslator(spec[3:], options)
    if Path(spec).expanduser().exists():
        return HFTranslator(spec, options)
    raise PolybriefError(f"unknown translator {spec!r}: use apertium, none, hf:MODEL or a model folder")
