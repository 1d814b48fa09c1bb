"""One system of a run, resolved: typed, so the planner, the workers and the results read fields.

A config entry becomes one or more systems (a grid expands, a folder of outputs becomes one system per
file); each knows its name, the kind of work it is and its configured settings. Specs travel to Ray
workers, so they stay plain picklable values.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .runrecord import SystemResult
from .systems import OutputsSystem, SystemConfig, TranslatorSystem, Work

__all__ = ["SystemSpec", "Work"]


@dataclass(frozen=True)
class SystemSpec:
    """A system as a run does its work: ``config`` holds its settings as the config gave them."""

    name: str
    config: SystemConfig  # a BriefingSystem, GeneratorSystem, TranslatorSystem or OutputsSystem

    @property
    def work(self) -> Work:
        """What a run does for it: brief, translate, or take its outputs (its kind's)."""
        return self.config.work

    @property
    def outputs(self) -> str | None:
        return self.config.outputs if isinstance(self.config, OutputsSystem) else None

    @property
    def translator(self) -> str | None:
        return None if isinstance(self.config, OutputsSystem) else self.config.translator

    def model_options(self) -> dict[str, Any] | None:
        """A translation model's settings as ``GenerationOptions`` takes them (see TranslatorSystem)."""
        return self.config.model_options() if isinstance(self.config, TranslatorSystem) else None

    def brief_settings(self) -> dict[str, Any]:
        """The settings a briefing system passes to ``BriefOptions.from_settings``."""
        return self.config.model_dump(mode="json", exclude={"grid", "name", "kind"})

    def result(self) -> SystemResult:
        """The system's entry in results.json before any metric: outputs made elsewhere carry no method or
        word budget of ours, a translator carries its backend."""
        config = self.config
        if isinstance(config, OutputsSystem):
            return SystemResult({}, "outputs", outputs=config.outputs)
        if isinstance(config, TranslatorSystem):
            return SystemResult({}, "translator", translator=config.translator)
        return SystemResult({}, config.kind, method=config.method, words=config.words)
