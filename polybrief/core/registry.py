"""A name -> class registry whose classes are imported on first use.

The command line needs every method's *name* to build its parser, but importing the methods
themselves pulls in scipy, encoders and transformers: a second or more before ``--help`` or
``polybrief score`` could answer. Names are known at once; a class loads when it is asked for.
"""
from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import Any


class LazyRegistry(Mapping[str, Any]):
    """``{name: "package.module:Class"}``, read as ``{name: Class}``."""

    def __init__(self, targets: dict[str, str]) -> None:
        self._targets = dict(targets)

    def __getitem__(self, name: str) -> Any:
        module, _, attribute = self._targets[name].partition(":")
        return getattr(importlib.import_module(module), attribute)

    def __iter__(self) -> Iterator[str]:
        return iter(self._targets)

    def __len__(self) -> int:
        return len(self._targets)


__all__ = ["LazyRegistry"]
