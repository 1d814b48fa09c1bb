"""The experiment configuration as a JSON Schema, for YAML editors and for checking configs in CI.

Pydantic writes the schema of ``ExperimentConfig``; two things it cannot know are added here: a metric
may be written as its bare name (``metrics: [bleu, chrf]``), and which names are metrics; and
``data.path`` may be left to ``--set data.path=...`` (configs/wmt23.yaml does). A YAML
editor with the Red Hat YAML extension picks the schema up from a first line
``# yaml-language-server: $schema=polybrief-config.schema.json`` (the file ``polybrief run --schema``
writes), giving completion, descriptions and checks while typing. The schema checks shapes and
ranges; what needs the files (does data.path exist, does a system's outputs cover every id) stays
with ``polybrief run --check``.
"""
from __future__ import annotations

from typing import Any

from ..metrics import METRICS
from .config import ExperimentConfig

__all__ = ["config_schema"]

SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"


def config_schema() -> dict[str, Any]:
    """The JSON Schema every file in configs/ validates against."""
    schema = ExperimentConfig.model_json_schema()
    schema["$schema"] = SCHEMA_DRAFT
    schema["title"] = "polybrief experiment"
    data = schema["$defs"]["DataConfig"]
    data["required"] = [k for k in data.get("required", []) if k != "path"]  # may come from --set data.path=...
    names = sorted(METRICS)
    schema["$defs"]["MetricConfig"]["properties"]["name"]["enum"] = names
    metrics = schema["properties"]["metrics"]
    metrics["anyOf"] = [{"type": "array", "items": {"anyOf": [{"type": "string", "enum": names},
                                                              {"$ref": "#/$defs/MetricConfig"}]}},
                        {"type": "null"}]
    return schema
