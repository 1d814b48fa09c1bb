"""What an experiment configuration may say: the pydantic models, and the JSON Schema made from them.

This module is the schema alone; reading a YAML file into it (overrides, relative paths, errors
that name the file and line) is ``config.py``. Pydantic writes the JSON Schema of ``ExperimentConfig``;
two things it cannot know are added in ``config_schema``: a metric may be written as its bare name
(``metrics: [bleu, chrf]``), and which names are metrics; and ``data.path`` may be left to
``--set data.path=...`` (configs/wmt23.yaml does). A YAML editor with the Red Hat YAML extension picks
the schema up from a first line ``# yaml-language-server: $schema=polybrief-config.schema.json`` (the
file ``polybrief run --schema`` writes), giving completion, descriptions and checks while typing. The
schema checks shapes and ranges; what needs the files (does data.path exist, does a system's outputs
cover every id) stays with ``polybrief run --check``.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from polybrief.core import defaults
from polybrief.core.errors import PolybriefError, did_you_mean, unknown_name

from ..metrics import METRICS, parse_metric_spec

__all__ = ["BackendConfig", "COLUMN_PREFIX", "ColumnsConfig", "DATA_PATH", "DataConfig", "ExperimentConfig",
           "GENERATION_FIELDS", "GRID_KEYS", "KIND_FIELDS", "MAX_SYSTEMS", "MODEL_FIELDS", "MetricConfig", "NAME",
           "OutputConfig", "SUMMARIZATION", "SYSTEM_NAME", "StatisticsConfig", "Strict", "SystemConfig", "TRANSLATION",
           "briefing_methods", "config_schema", "expand_grids", "infer_task", "set_dotted"]

NAME = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$"  # names become folder names: nothing that escapes
SYSTEM_NAME = r"^[A-Za-z0-9][A-Za-z0-9._=+-]{0,120}$"  # grid systems are named key=value
DEVICE = r"^(auto|cpu|mps|cuda(:[0-9]+)?)$"  # what torch accepts ("gpu7" crashed a run as a bug)
GRID_KEYS = ("params", "words", "sentences", "encoder", "method", "model", "generation", "seed", "translator")
SUMMARIZATION = "summarization"
TRANSLATION = "translation"
COLUMN_PREFIX = "column:"  # outputs: column:NAME takes a system's outputs from a column of the data
DATA_PATH = "${data.path}"  # in a system's outputs, replaced by the data path (configs/wmt23.yaml)


def briefing_methods() -> tuple[list[str], list[str]]:
    """(every briefing method, those that generate text): asked of the briefing code only when a
    config names a briefing system, so scoring never needs it."""
    from polybrief.summarize.methods import GENERATING, METHODS

    return METHODS, GENERATING


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


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


class SystemConfig(Strict):
    name: str | None = Field(default=None, pattern=SYSTEM_NAME, description="the system's name on the leaderboard "
                             "(default: the method, or the outputs file's name)")
    method: str = Field(default=defaults.METHOD, description="briefing: an extractive method (support, lead, "
                        "lexrank, centroid, mmr) or, with model, a generation strategy")
    params: dict[str, Any] = Field(default_factory=dict, description="the method's own parameters")
    words: int | None = Field(default=defaults.WORDS, ge=1, description="briefing: word budget")
    sentences: int | None = Field(default=None, ge=2, description="briefing: at most this many sentences, "
                                                                  "headline included")
    encoder: str = Field(default=defaults.ENCODER, description="briefing: sentence encoder (a name or a folder)")
    language: str | None = Field(default=None, description="briefing language (see brief --lang)")
    translator: str = Field(default=defaults.TRANSLATOR, description="translation backend: apertium, none, or a "
                            "seq2seq model folder (translation systems; briefing systems for other-language articles)")
    model: str | None = Field(default=None, description="generation model folder for abstractive methods")
    generation: dict[str, Any] = Field(default_factory=dict, description="model.generate() arguments")
    device: str = Field(default=defaults.DEVICE, pattern=DEVICE, description="generation and translation models: "
                        "auto, cpu, cuda, cuda:N or mps")
    seed: int = Field(default=defaults.GENERATION_SEED, description="generation sampling seed")
    batch_size: int = Field(default=defaults.BATCH_SIZE, ge=1, description="model batch size")
    max_input_tokens: int | None = Field(default=None, ge=16, description="truncate model inputs to this many tokens")
    instruction: str | None = Field(default=None, description="a causal LM's prompt before the articles")
    outputs: str | None = Field(default=None, description="outputs made by any tool: a file (aligned lines, or "
                                "JSONL keyed by id), a folder (one system per file), or column:NAME")
    grid: dict[str, list[Any]] | None = Field(default=None, description="parameter sweep: key -> values")

    @field_validator("method")
    @classmethod
    def known_method(cls, value: str) -> str:
        methods, _ = briefing_methods()
        if value not in methods:
            raise ValueError(unknown_name("method", value, methods))
        return value

    @model_validator(mode="after")
    def model_for_strategies(self) -> SystemConfig:
        if self.outputs is None and self.method in briefing_methods()[1] and not self.model:
            raise ValueError(f"method {self.method} generates text: add 'model: PATH' to the system")
        return self

    @field_validator("grid")
    @classmethod
    def grid_keys(cls, value: dict[str, list[Any]] | None) -> dict[str, list[Any]] | None:
        for key, values in (value or {}).items():
            top = key.split(".")[0]
            if top not in GRID_KEYS:
                raise ValueError(f"grid key {key!r}: sweep {', '.join(GRID_KEYS)} (params.NAME, generation.NAME)")
            if not values:
                raise ValueError(f"grid key {key!r} has no values")
        return value

    @property
    def display_name(self) -> str:
        if self.name:
            return self.name
        if self.outputs and not self.outputs.startswith(COLUMN_PREFIX):
            path = Path(self.outputs)
            return path.name[: -len(path.suffix)] if path.suffix else path.name
        return self.outputs.removeprefix(COLUMN_PREFIX) if self.outputs else self.method

    def kind(self, task: str) -> str:
        """'outputs' (given outputs), 'translate' (an MT backend run on the sources) or 'brief'."""
        if self.outputs is not None:
            return "outputs"
        return "translate" if task == TRANSLATION else "brief"


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

    @field_validator("systems")
    @classmethod
    def not_too_many(cls, value: list[SystemConfig]) -> list[SystemConfig]:
        """Count the grids' systems before any is built: a 300 x 300 grid took minutes to validate, printed
        90,000 names, and could never be run."""
        total = sum(math.prod(len(v) for v in s.grid.values()) if s.grid else 1 for s in value)
        if total > MAX_SYSTEMS:
            raise ValueError(f"the grids make {total:,} systems; at most {MAX_SYSTEMS:,} can be run "
                             "(sweep fewer values)")
        return value

    @field_validator("systems")
    @classmethod
    def fields_of_each_kind(cls, value: list[SystemConfig], info: ValidationInfo) -> list[SystemConfig]:
        """A field the system's kind never reads is an error, not silently ignored (checked before grids
        expand, after which every field counts as given)."""
        data = info.data.get("data")
        task = info.data.get("task") or (infer_task(data) if data else SUMMARIZATION)
        for number, system in enumerate(value, 1):
            problem = _unused_fields(system, system.kind(task))
            if problem:
                raise ValueError(f"system {number} ({system.display_name}): {problem}")
        return value

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
        folders = any(s.outputs and Path(s.outputs).is_dir() for s in self.systems)
        if self.statistics.baseline and not folders and self.statistics.baseline not in names:
            raise ValueError(f"statistics.baseline {self.statistics.baseline!r} is not a system"
                             f"{did_you_mean(self.statistics.baseline, names)}; systems: {', '.join(names)}")
        return self

    @property
    def leaderboard_path(self) -> Path:
        return Path(self.output.dir) / (self.output.leaderboard or "leaderboard.jsonl")

    def canonical(self) -> dict[str, Any]:
        """The resolved configuration as plain data (what the run folder records)."""
        return self.model_dump(mode="json")

    def config_hash(self) -> str:
        """Hash of everything that changes results (not where outputs go, nor where work runs)."""
        payload = {k: v for k, v in self.canonical().items() if k not in ("output", "backend")}
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:12]


# what each kind of system reads: any other field given would be ignored without a word
KIND_FIELDS = {"outputs": ({"name", "outputs"}, "gives outputs made elsewhere", "name and outputs"),
               "translate": ({"name", "translator", "grid"}, "translates the test set (with {translator})",
                             "name, translator and grid")}
MODEL_FIELDS = {"device", "batch_size", "seed", "max_input_tokens", "generation"}  # how a translation model runs
GENERATION_FIELDS = {"model", "generation", "instruction"}  # read by generation strategies only


def _unused_fields(system: SystemConfig, kind: str) -> str | None:
    """Why a system's config gives a field its kind of system never reads (``device`` on a translator,
    ``words`` on given outputs, ``model`` on an extractive method), or None. One schema serves every
    kind, so the kinds' own fields are checked here."""
    given = system.model_fields_set | {key.split(".")[0] for key in system.grid or {}}  # a grid sets them too
    if kind == "translate" and system.translator not in ("apertium", "none"):
        unused = sorted(given - KIND_FIELDS["translate"][0] - MODEL_FIELDS)
        what = ("it translates with a model; such a system takes name, translator, grid and "
                + ", ".join(sorted(MODEL_FIELDS)))
    elif kind in KIND_FIELDS:
        allowed, doing, takes = KIND_FIELDS[kind]
        unused = sorted(given - allowed)
        what = f"it {doing.format(translator=system.translator)}; such a system takes {takes}"
    else:
        generating = system.method in briefing_methods()[1]
        unused = [] if generating else sorted(given & GENERATION_FIELDS)
        what = (f"method {system.method} is extractive; {', '.join(sorted(GENERATION_FIELDS))} are for generation "
                f"strategies ({', '.join(briefing_methods()[1])})")
    if not unused:
        return None
    return f"{', '.join(unused)} would be ignored: {what}"


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


def expand_grids(systems: list[SystemConfig]) -> list[SystemConfig]:
    """Each system with a grid becomes one system per combination, named after its values."""
    out: list[SystemConfig] = []
    for system in systems:
        if not system.grid:
            out.append(system)
            continue
        keys = list(system.grid)
        for values in itertools.product(*(system.grid[k] for k in keys)):
            data = system.model_dump(exclude={"grid"})
            data["params"], data["generation"] = dict(data["params"]), dict(data["generation"])
            for key, value in zip(keys, values):
                set_dotted(data, key, value)
            suffix = "-".join(f"{k.split('.')[-1]}={v}" for k, v in zip(keys, values))
            data["name"] = re.sub(r"[^A-Za-z0-9._=+-]", "_", f"{system.display_name}-{suffix}")[:120]
            out.append(SystemConfig(**data))
    return out


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
