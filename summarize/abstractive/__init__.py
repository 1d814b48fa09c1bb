"""Abstractive briefing systems: a Hugging Face generation model and a multi-document
strategy (``concat``, ``map_reduce``, ``extract_then_generate``), one strategy per module."""
from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from polybrief.core import defaults
from polybrief.core.errors import PolybriefError
from polybrief.core.registry import LazyRegistry

if TYPE_CHECKING:
    from ..generation import GenerationOptions, Generator
    from .base import Strategy

# names known at once, classes imported when used (polybrief.core.registry)
STRATEGIES = LazyRegistry({name: f"{__name__}.{module}:{cls}" for name, module, cls in (
    ("concat", "concat", "Concat"), ("map_reduce", "map_reduce", "MapReduce"),
    ("extract_then_generate", "extract_then_generate", "ExtractThenGenerate"))})
TOKENS_PER_WORD = 1.5  # subword tokenizers: about 1.3-1.6 tokens per English word
_GENERATORS: dict[str, Generator] = {}


def get_generator(model: str, options: GenerationOptions) -> Generator:
    """A loaded model, reused within this process (loading is the slow part)."""
    key = json.dumps([model, options.device, options.batch_size, options.seed, options.max_input_tokens,
                      options.kwargs], sort_keys=True, default=str)
    if key not in _GENERATORS:
        from ..generation import Generator

        _GENERATORS[key] = Generator(model, options)
    return _GENERATORS[key]


def get_strategy(name: str, model: str | None, words: int | None = defaults.WORDS,
                 options: GenerationOptions | None = None,
                 instruction: str | None = None) -> Strategy:
    """Strategy ``name`` on ``model``; ``max_new_tokens`` follows the word budget unless given."""
    if name not in STRATEGIES:
        raise PolybriefError(f"unknown strategy {name!r}: choose one of {', '.join(STRATEGIES)}")
    if not model:
        raise PolybriefError(f"method {name} generates text: give a model (--model PATH, or 'model:' in YAML)")
    from ..generation import GenerationOptions

    options = options or GenerationOptions()
    kwargs = {"max_new_tokens": int((words or defaults.WORDS) * TOKENS_PER_WORD), **options.kwargs}
    options = replace(options, kwargs=kwargs)
    return STRATEGIES[name](get_generator(model, options), words, instruction)


def __getattr__(name: str) -> Any:
    if name in ("Strategy", "fair_shares"):
        from . import base

        return getattr(base, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["STRATEGIES", "Strategy", "fair_shares", "get_generator", "get_strategy"]
