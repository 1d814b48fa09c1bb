"""Machine translation backends behind one interface (``Translator``).

``apertium`` (rule-based, Debian packages, offline, the default) and ``hf`` (any seq2seq
translation model by folder or hub id). ``get_translator('apertium')`` or
``get_translator('path/to/model')``; ``none`` turns translation off.
"""
from __future__ import annotations

import json
from dataclasses import asdict
from functools import cache
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
    A backend is built once per process for each spec and options, and shared: a model loads once."""
    return _shared(spec, None if options is None else json.dumps(asdict(options), sort_keys=True))


@cache
def _shared(spec: str, options: str | None) -> Translator | None:
    """Keyed by the options as JSON: they hold a dict of generate() arguments, which cannot be a key."""
    from ..generation import GenerationOptions

    return _make(spec, None if options is None else GenerationOptions(**json.loads(options)))


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
