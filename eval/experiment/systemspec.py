"""One system of a run, resolved: typed, so the planner, the workers and the results read fields.

A config entry becomes one or more systems (a grid expands, a folder of outputs becomes one system per
file); each knows its name, the kind of work it is and its configured settings. Specs travel to Ray
workers, so they stay plain picklable values.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .runrecord import SystemResult
from .schema import MODEL_FIELDS, SystemConfig

__all__ = ["Kind", "SystemSpec"]

Kind = Literal["brief", "translate", "outputs"]  # brief a cluster, run an MT backend, or take given outputs


@dataclass(frozen=True)
class SystemSpec:
    """A system as a run does its work: ``config`` holds its settings as the config gave them."""

    name: str
    kind: Kind
    config: SystemConfig

    @property
    def outputs(self) -> str | None:
        return self.config.outputs

    @property
    def translator(self) -> str:
        return self.config.translator

    def model_options(self) -> dict[str, Any] | None:
        """A translation model's generation settings, as ``GenerationOptions`` takes them, when the config
        gives any; None leaves the backend's own defaults (as every run before these settings reached
        translators)."""
        config = self.config
        if not config.model_fields_set & MODEL_FIELDS:
            return None
        return {"device": config.device, "batch_size": config.batch_size, "seed": config.seed,
                "max_input_tokens": config.max_input_tokens, "kwargs": dict(config.generation)}

    def brief_settings(self) -> dict[str, Any]:
        """The settings a briefing system passes to ``BriefOptions.from_settings``."""
        return self.config.model_dump(mode="json", exclude={"grid", "name", "outputs"})

    def result(self) -> SystemResult:
        """The system's entry in results.json before any metric: outputs made elsewhere carry no method or
        word budget of ours, a translator carries its backend."""
        if self.kind == "outputs":
            return SystemResult({}, "outputs", outputs=self.outputs)
        if self.kind == "translate":
            return SystemResult({}, "translate", translator=self.translator)
        return SystemResult({}, "brief", method=self.config.method, words=self.config.words)
