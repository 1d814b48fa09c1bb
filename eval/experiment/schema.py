"""What an experiment configuration may say: the pydantic models, and the JSON Schema made from them.

This module is the schema alone; the kinds of system it lists are ``systems.py``, and reading a YAML
file into it (overrides, relative paths, errors that name the file and line) is ``config.py``. Pydantic
writes the JSON Schema of ``ExperimentConfig``; what it cannot know is added in ``config_schema``: a
metric may be written as its bare name (``metrics: [bleu, chrf]``), and which names are metrics;
``data.path`` may be left to ``--set data.path=...`` (configs/wmt23.yaml does); and what tells the kinds
of system apart. A YAML editor with the Red Hat YAML extension picks the schema up from a first line
``# yaml-language-server: $schema=polybrief-config.schema.json`` (the file ``polybrief run --schema``
writes), giving completion, descriptions and checks while typing. The schema checks shapes and ranges;
what needs the files (does data.path exist, does a system's outputs cover every id) stays with
``polybrief run --check``.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, PrivateAttr, ValidationError, ValidationInfo, field_validator, model_validator

from polybrief.core import defaults
from polybrief.core.errors import PolybriefError, did_you_mean, unknown_name

from ..metrics import METRICS, parse_metric_spec
from .systems import (
    COLUMN_PREFIX,
    GRID_KEYS,
    MODEL_RUN_FIELDS,
    SUMMARIZATION,
    SYSTEM_KINDS,
    TRANSLATION,
    TRANSLATORS,
    FieldError,
    OutputsSystem,
    Strict,
    SystemConfig,
    briefing_methods,
    kind_of,
)

__all__ = ["BackendConfig", "COLUMN_PREFIX", "ColumnsConfig", "DATA_PATH", "DataConfig", "ExperimentConfig",
           "MAX_SYSTEMS", "MetricConfig", "NAME", "OutputConfig", "SCHEMA_DRAFT", "SUMMARIZATION", "StatisticsConfig",
           "Strict", "TRANSLATION", "config_schema", "expand_grids", "infer_task", "set_dotted"]

NAME = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$"  # names become folder names: nothing that escapes
DATA_PATH = "${data.path}"  # in a system's outputs, replaced by the data path (configs/wmt23.yaml)


class ColumnsConfig(Strict):
    """Where a translation test set's fields are in JSONL rows or a dataset."""

    source: str = Field(default="src", description="the column holding the source segment")
    references: str = Field(default="refs", description="the column holding the references: a list of strings, "
                                                        "or one string ('ref' is read too)")
    id: str = Field(default="seg_id", description="the column holding the segment id")
    doc: str = Field(default="doc_id", description="the column holding the document id")


class DataConfig(Strict):
    path: str = Field(description="clusters (see `polybrief brief`) or a translation test set: a WMT-style "
                                  "folder, a JSONL file of rows, or a dataset")
    limit: int | None = Field(default=None, ge=1, description="use only the first N clusters or segments")
    split: str | None = Field(default=None, description="the split of a Hugging Face dataset (e.g. validation)")
    name: str | None = Field(default=None, pattern=NAME, description="dataset name on the leaderboard")
    source_language: str | None = Field(default=None, description="translation: default from the file names")
    target_language: str | None = Field(default=None, description="translation: default from the file names")
    references: list[str] | None = Field(default=None, description="which reference.<X> files (default: all)")
    columns: ColumnsConfig = Field(default_factory=ColumnsConfig, description="translation rows: which column "
                                   "holds what")

    @field_validator("path")
    @classmethod
    def not_empty(cls, value: str) -> str:
        """An empty path would mean the current folder: whatever lies there, read as if it were the data."""
        if not value.strip():
            raise ValueError("data.path is empty: give a folder, a JSONL file or a dataset")
        return value

    @property
    def dataset_name(self) -> str:
        return self.name or Path(self.path.rstrip("/")).stem or "data"


class MetricConfig(Strict):
    name: str = Field(description="a metric polybrief score --metrics names (bleu, chrf, rouge, ...)")
    params: dict[str, Any] = Field(default_factory=dict, description="the metric's parameters "
                                                                      "(tokenize, beta, model, ...)")

    @field_validator("name")
    @classmethod
    def known_metric(cls, value: str) -> str:
        if value not in METRICS:
            raise ValueError(unknown_name("metric", value, list(METRICS)))
        return value


def _metric_entry(spec: str) -> dict[str, Any]:
    try:
        name, params = parse_metric_spec(spec)
    except PolybriefError as exc:
        raise ValueError(str(exc)) from None
    return {"name": name, "params": params} if params else {"name": name}


class StatisticsConfig(Strict):
    resamples: int = Field(default=defaults.RESAMPLES, ge=0, description="bootstrap resamples (0: no intervals)")
    seed: int = Field(default=defaults.SEED, description="the resampling seed")
    baseline: str | None = Field(default=None, description="the system every other is tested against")
    test: Literal["bs", "ar"] = Field(default="bs", description="paired bootstrap (bs) or approximate "
                                                                "randomization (ar)")
    pairwise: bool = Field(default=True, description="a paired bootstrap test for every pair of systems, "
                                                     "and significance groups and rank ranges from them")
    correction: Literal["bh", "holm", "none"] = Field(default="bh", description="multiple-comparison correction "
                                                      "over the pairs: Benjamini-Hochberg, Holm, or none")
    alpha: float = Field(default=0.05, gt=0, lt=1, description="significance level")


class BackendConfig(Strict):
    name: Literal["local", "ray"] = Field(default="local", description="where the work runs")
    address: str | None = Field(default=None, description="a Ray cluster; default: start one on this machine")
    workers: int | None = Field(default=None, ge=1, description="CPUs for a local Ray instance")


class OutputConfig(Strict):
    dir: str = Field(default="outputs", description="run folders and the leaderboard go under it")
    leaderboard: str | None = Field(default=None, description="relative to dir; default: leaderboard.jsonl")

    @field_validator("leaderboard")
    @classmethod
    def stays_inside(cls, value: str | None) -> str | None:
        """Everything a run writes lies under output.dir: a leaderboard path may not climb out of it."""
        if value is not None and (Path(value).is_absolute() or ".." in Path(value).parts or not value.strip()):
            raise ValueError(f"{value!r} escapes the output directory: give a path inside output.dir")
        return value


class ExperimentConfig(Strict):
    name: str = Field(pattern=NAME, description="the experiment's name (a folder name)")
    task: Literal["summarization", "translation"] | None = Field(
        default=None, description="default: translation when data is a test set (source.<lang> files, src rows)")
    data: DataConfig = Field(description="what is briefed or translated, and its references")
    systems: list[SystemConfig] = Field(min_length=1, description="what is compared: briefing methods, outputs "
                                        "made by any tool, translators (grids expand into several)")
    metrics: list[MetricConfig] | None = Field(default=None, description="default: rouge (summarization), "
                                                                         "bleu and chrf (translation)")
    language: str | None = Field(default=None, description="language of the texts scored; default: the target "
                                                           "language (translation), en (summarization)")
    statistics: StatisticsConfig = Field(default_factory=StatisticsConfig, description="intervals and tests")
    output: OutputConfig = Field(default_factory=OutputConfig, description="where results go")
    backend: BackendConfig = Field(default_factory=BackendConfig, description="where the work runs")
    _entry_places: dict[int, str] = PrivateAttr(default_factory=dict)  # entry number -> file:line (load_config)

    @field_validator("systems")
    @classmethod
    def not_too_many(cls, value: list[SystemConfig]) -> list[SystemConfig]:
        """Count the grids' systems before any is built: a 300 x 300 grid took minutes to validate, printed
        90,000 names, and could never be run."""
        total = sum(math.prod(len(v) for v in grid.values()) if (grid := getattr(s, "grid", None)) else 1
                    for s in value)
        if total > MAX_SYSTEMS:
            raise ValueError(f"the grids make {total:,} systems; at most {MAX_SYSTEMS:,} can be run "
                             "(sweep fewer values)")
        return value

    @field_validator("systems", mode="before")
    @classmethod
    def tag_kinds(cls, value: Any, info: ValidationInfo) -> Any:
        """Each entry's kind, where it does not say (see ``kind_of``): the kind decides which fields the
        entry may give, so a field its kind never reads is refused at its own line. A stated kind the data
        cannot serve is refused first: a translator needs a test set, a briefing needs clusters."""
        if not isinstance(value, list):
            return value
        data = info.data.get("data")
        task = info.data.get("task") or (infer_task(data) if data else SUMMARIZATION)
        for k, system in enumerate(value):
            stated = SYSTEM_KINDS.get(system.get("kind")) if isinstance(system, dict) else None
            if stated and stated.work == "brief" and task == TRANSLATION:
                raise FieldError((k, "kind"), f"a {system['kind']} system briefs clusters, and this data is a "
                                              "translation test set: its systems are translators or outputs")
            if stated and stated.work == "translate" and task == SUMMARIZATION:
                raise FieldError((k, "kind"), "a translator system translates a test set, and this data is "
                                              "clusters: a briefing system's 'translator:' translates its articles")
        return [{"kind": kind_of(s, task), **s} if isinstance(s, dict) and "kind" not in s else s for s in value]

    @field_validator("metrics", mode="before")
    @classmethod
    def metric_shorthand(cls, value: Any) -> Any:
        """'- rouge' is short for '- {name: rouge}', and '- bleu:tokenize=char' for
        '- {name: bleu, params: {tokenize: char}}' (the command line's -m spelling)."""
        if isinstance(value, list):
            return [_metric_entry(v) if isinstance(v, str) else v for v in value]
        return value

    @model_validator(mode="after")
    def expand_and_check(self) -> ExperimentConfig:
        for number, system in enumerate(self.systems):
            system._entry = number
        self.systems = expand_grids(self.systems)
        if self.task is None:
            self.task = infer_task(self.data)
        if self.metrics is None:
            names = ("bleu", "chrf") if self.task == TRANSLATION else ("rouge",)
            self.metrics = [MetricConfig(name=n) for n in names]
        names = [s.display_name for s in self.systems]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"system names must be unique; repeated: {', '.join(duplicates)} (give each a name)")
        folders = any(isinstance(s, OutputsSystem) and Path(s.outputs).is_dir() for s in self.systems)
        if self.statistics.baseline and not folders and self.statistics.baseline not in names:
            raise FieldError(("statistics", "baseline"),  # at its own line, not the file's first
                             f"{self.statistics.baseline!r} is not a system"
                             f"{did_you_mean(self.statistics.baseline, names)}; systems: {', '.join(names)}")
        return self

    def place(self, system: Any) -> str | None:
        """Where a system's entry is written (``file:line``, or the ``--set`` that gave it), when known: what
        a check that needs the files (a model folder, an MT pair) reports beside its message."""
        return self._entry_places.get(system._entry) if system._entry is not None else None

    @property
    def leaderboard_path(self) -> Path:
        return Path(self.output.dir) / (self.output.leaderboard or "leaderboard.jsonl")

    def canonical(self) -> dict[str, Any]:
        """The resolved configuration as plain data (what the run folder records)."""
        return {**self.model_dump(mode="json"), "systems": [s.record() for s in self.systems]}

    def config_hash(self) -> str:
        """Hash of everything that changes results (not where outputs go, nor where work runs)."""
        payload = {k: v for k, v in self.canonical().items() if k not in ("output", "backend")}
        payload["systems"] = [s.flat() for s in self.systems]  # see _System.flat
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:12]


def infer_task(data: DataConfig) -> str:
    """Translation when the data is a parallel test set (a folder with a source.<lang> file, JSONL rows
    with a 'src' field, or stated languages), else summarization (clusters)."""
    if data.source_language or data.target_language:
        return TRANSLATION
    path = Path(data.path)
    if path.is_dir():
        return TRANSLATION if any(path.glob("source.*")) else SUMMARIZATION
    if path.is_file() and path.suffix in (".jsonl", ".ndjson", ".json"):
        try:
            with path.open("rb") as handle:
                first = next((line for line in handle if line.strip()), b"")
            row = json.loads(first) if first else None
        except (OSError, ValueError):
            return SUMMARIZATION  # the reader reports what is wrong with the file
        return TRANSLATION if isinstance(row, dict) and "src" in row and "documents" not in row else SUMMARIZATION
    return SUMMARIZATION


def set_dotted(target: dict[str, Any], dotted: str, value: Any) -> None:
    node: Any = target
    parts = dotted.split(".")
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    last = parts[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


MAX_SYSTEMS = 1000  # each system is a model and a pass over the data: beyond this a grid is a typo, not a plan


def expand_grids(systems: list[Any]) -> list[Any]:
    """Each system with a grid becomes one system per combination, named after its values."""
    out: list[SystemConfig] = []
    for number, system in enumerate(systems):
        if not getattr(system, "grid", None):  # outputs have no grid
            out.append(system)
            continue
        keys = list(system.grid)
        for values in itertools.product(*(system.grid[k] for k in keys)):
            data = system.model_dump(exclude={"grid"}, exclude_unset=True)  # unset fields stay unset: defaults
            data.update({k: dict(data[k]) for k in ("params", "generation") if k in data})
            for key, value in zip(keys, values):
                set_dotted(data, key, value)
            suffix = "-".join(f"{k.split('.')[-1]}={v}" for k, v in zip(keys, values))
            data["name"] = re.sub(r"[^A-Za-z0-9._=+-]", "_", f"{system.display_name}-{suffix}")[:120]
            try:
                out.append(type(system)(**data))
                out[-1]._entry = system._entry
            except ValidationError as exc:  # named by its entry and values, not by the whole config
                first = exc.errors()[0]
                field = ".".join(str(p) for p in (*first["loc"], *FieldError.below(first)))
                raise FieldError(("systems", number, "grid"), f"with {suffix}: {field + ': ' if field else ''}"
                                                              f"{first['msg'].removeprefix('Value error, ')}") from None
    return out


SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"


def config_schema() -> dict[str, Any]:
    """The JSON Schema every file in configs/ validates against."""
    schema = ExperimentConfig.model_json_schema()
    schema["$schema"] = SCHEMA_DRAFT
    systems = schema["properties"]["systems"]["items"]  # kind may be left out: any one kind's shape will do
    systems["anyOf"] = systems.pop("oneOf")
    systems.pop("discriminator", None)
    schema["title"] = "polybrief experiment"
    data = schema["$defs"]["DataConfig"]
    data["required"] = [k for k in data.get("required", []) if k != "path"]  # may come from --set data.path=...
    names = sorted(METRICS)
    schema["$defs"]["MetricConfig"]["properties"]["name"]["enum"] = names
    metrics = schema["properties"]["metrics"]
    spelled = {"type": "string", "pattern": f"^({'|'.join(re.escape(n) for n in names)})(:[^:=]+=[^:]*)+$"}
    metrics["anyOf"] = [{"type": "array", "items": {"anyOf": [{"type": "string", "enum": names}, spelled,  # bleu:k=v
                                                              {"$ref": "#/$defs/MetricConfig"}]}},
                        {"type": "null"}]
    _kinds_apart(schema["$defs"])
    return schema


def _swept(field: str) -> dict[str, Any]:
    """JSON Schema: the entry's grid sweeps ``field``."""
    return {"required": ["grid"], "properties": {"grid": {"type": "object", "required": [field]}}}


def _given_or_swept(field: str) -> dict[str, Any]:
    return {"anyOf": [{"required": [field]}, _swept(field)]}


def _kinds_apart(defs: dict[str, Any]) -> None:
    """What the kinds' own checks refuse, said in JSON Schema so an editor flags it too: without it an entry
    with kind left out matched some kind's shape whatever it held (``seed`` on lexrank read as a generator
    missing its model, ``device`` on Apertium as a model translator)."""
    from polybrief.summarize.algorithms import ALGORITHMS

    extractive, generating = [m for m in briefing_methods()[0] if m not in briefing_methods()[1]], briefing_methods()[1]
    briefing, generator, translator = defs["BriefingSystem"], defs["GeneratorSystem"], defs["TranslatorSystem"]
    briefing["properties"]["method"].update(enum=extractive, description="an extractive method")
    generator["properties"]["method"].update(enum=generating, description="a generation method")
    generator["allOf"] = [_given_or_swept(field) for field in ("method", "model")]
    no_vectors = [m for m in extractive if not ALGORITHMS[m].reads_vectors]
    briefing.update({"if": {"properties": {"method": {"enum": no_vectors}},  # support, the default, included
                            "not": _swept("method")},  # a sweep of methods is checked one method at a time
                     "then": {"not": {"anyOf": [{"required": ["encoder"]}, _swept("encoder")]}}})
    translator["properties"]["translator"]["not"] = {"const": "none"}  # it would translate nothing
    settings = sorted(MODEL_RUN_FIELDS)
    translator.update({"if": {"properties": {"translator": {"enum": list(TRANSLATORS)}}},  # apertium, the default
                       "then": {"not": {"anyOf": [{"required": [f]} for f in settings]}}})
    for model in (briefing, generator, translator):
        keys = [k for k in GRID_KEYS if k in model["properties"]]
        model["properties"]["grid"]["anyOf"][0]["propertyNames"] = {"pattern": f"^({'|'.join(keys)})(\\..+)?$"}
