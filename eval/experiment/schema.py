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
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from polybrief.core import defaults
from polybrief.core.errors import PolybriefError, did_you_mean, unknown_name

from ..metrics import METRICS, parse_metric_spec

__all__ = ["BackendConfig", "BriefingSystem", "COLUMN_PREFIX", "ColumnsConfig", "DATA_PATH", "DataConfig",
           "ExperimentConfig", "FLAT_DEFAULTS", "FieldError", "GRID_KEYS", "GeneratorSystem", "MAX_SYSTEMS",
           "MetricConfig", "NAME", "OutputConfig", "OutputsSystem", "SUMMARIZATION", "SYSTEM_KINDS", "SYSTEM_NAME",
           "StatisticsConfig", "Strict", "SystemConfig", "TRANSLATION", "TRANSLATORS", "TranslatorSystem", "Work",
           "briefing_methods", "config_schema", "expand_grids", "infer_task", "kind_of", "known_translator",
           "set_dotted"]

NAME = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$"  # names become folder names: nothing that escapes
SYSTEM_NAME = r"^[A-Za-z0-9][A-Za-z0-9._=+-]{0,120}$"  # grid systems are named key=value
DEVICE = r"^(auto|cpu|mps|cuda(:[0-9]+)?)$"  # what torch accepts ("gpu7" crashed a run as a bug)
GRID_KEYS = ("params", "words", "sentences", "encoder", "method", "model", "generation", "seed", "translator")
SUMMARIZATION = "summarization"
TRANSLATION = "translation"
COLUMN_PREFIX = "column:"  # outputs: column:NAME takes a system's outputs from a column of the data
DATA_PATH = "${data.path}"  # in a system's outputs, replaced by the data path (configs/wmt23.yaml)
Work = Literal["brief", "translate", "outputs"]  # the work a run does: brief a cluster, run an MT backend, take outputs
KIND_DESCRIPTION = ("what the system is, which decides the fields it takes: briefing (an extractive method), "
                    "generator (a generation method with a model), translator (an MT backend run on a test set) or "
                    "outputs (made by any tool); default: outputs when it gives outputs, translator on a test set, "
                    "generator for a generation method, else briefing")


def briefing_methods() -> tuple[list[str], list[str]]:
    """(every briefing method, those that generate text): asked of the briefing code only when a
    config names a briefing system, so scoring never needs it."""
    from polybrief.summarize.methods import GENERATING, METHODS

    return METHODS, GENERATING


class FieldError(ValueError):
    """A problem a model's own check finds at one of its fields: ``at`` is the field's path below the place
    pydantic reports (the model, or the list a field validator checks), so the message names the line of the
    field and not of the entry that holds it."""

    def __init__(self, at: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.at = at


TRANSLATORS = ("apertium", "none")  # the backends named by a word; any other is hf:NAME or a model folder


def known_translator(value: str) -> str:
    """A misspelt backend name (``nonee``) is refused now: it was read as a model folder and failed later
    without a line."""
    if value in TRANSLATORS or value.startswith("hf:") or "/" in value or Path(value).expanduser().exists():
        return value
    raise ValueError(f"unknown translator {value!r}{did_you_mean(value, list(TRANSLATORS))}: apertium, none, "
                     "hf:MODEL or a model folder")


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


class _System(Strict):
    """What every kind of system has: a name, and a ``kind`` that says which fields it reads."""

    work: ClassVar[Work]  # the work a run does for it: brief a cluster, run an MT backend, take given outputs
    does: ClassVar[str]  # what a system of this kind is, for messages
    name: str | None = Field(default=None, pattern=SYSTEM_NAME, description="the system's name on the leaderboard "
                             "(default: the method, the translator, or the outputs file's name)")

    @property
    def display_name(self) -> str:
        return self.name or self.default_name()

    def default_name(self) -> str:
        raise NotImplementedError

    def record(self) -> dict[str, Any]:
        """The system as a run folder's config.yaml records it: its kind's fields, in the order configs give
        them (pydantic orders inherited fields by base class: the model settings came before the name)."""
        dump = self.model_dump(mode="json")
        order = ["name", "kind", *FLAT_DEFAULTS]
        return {k: dump[k] for k in sorted(dump, key=lambda k: order.index(k) if k in order else len(order))}

    def flat(self) -> dict[str, Any]:
        """The system as the one flat record every kind shared before kinds had types: what the config hash
        reads, so a config names the same run folder as it did then (and an earlier run resumes)."""
        return {**FLAT_DEFAULTS, **self.model_dump(mode="json", exclude={"kind"})}


class _Sweeping(_System):
    grid: dict[str, list[Any]] | None = Field(default=None, description="parameter sweep: key -> values; keys are "
                                              "this kind's fields (params.NAME, generation.NAME for one entry)")

    @model_validator(mode="after")
    def grid_keys(self) -> Self:
        """A grid key the kind has no field for would sweep nothing: two identical systems, run twice."""
        sweepable = [k for k in GRID_KEYS if k in type(self).model_fields]
        nested = ", ".join(f"{k}.NAME" for k in ("params", "generation") if k in sweepable)
        for key, values in (self.grid or {}).items():
            top = key.split(".")[0]
            if top not in sweepable:
                raise FieldError(("grid", key), f"grid key {key!r}{did_you_mean(top, sweepable)}: a {self.kind} "
                                                f"system sweeps {', '.join(sweepable)} ({nested})")
            if not values:
                raise FieldError(("grid", key), f"grid key {key!r} has no values")
            seen = [json.dumps(v, sort_keys=True) for v in values]
            if len(set(seen)) < len(seen):  # two systems alike, and one name for both
                raise FieldError(("grid", key), f"grid key {key!r} repeats a value: give each value once")
        return self


class _Briefing(_Sweeping):
    """What every briefing system reads, extractive or generating."""

    work: ClassVar[Work] = "brief"
    method: str = Field(default=defaults.METHOD, description="briefing: an extractive method (support, lead, "
                        "lexrank, centroid, mmr) or, with model, a generation strategy")
    words: int | None = Field(default=defaults.WORDS, ge=1, description="briefing: word budget")
    sentences: int | None = Field(default=None, ge=2, description="briefing: at most this many sentences, "
                                                                  "headline included")
    language: str | None = Field(default=None, description="briefing language (see brief --lang)")
    translator: str = Field(default=defaults.TRANSLATOR, description="translation backend for articles in other "
                            "languages and the briefing's language: apertium, none, or a seq2seq model folder")

    @field_validator("method")
    @classmethod
    def known_method(cls, value: str) -> str:
        methods, _ = briefing_methods()
        if value not in methods:
            raise ValueError(unknown_name("method", value, methods))
        return value

    @field_validator("translator")
    @classmethod
    def translator_named(cls, value: str) -> str:
        return known_translator(value)

    def default_name(self) -> str:
        return self.method


class BriefingSystem(_Briefing):
    """An extractive briefing method: it picks sentences from the articles."""

    does: ClassVar[str] = "an extractive briefing method"
    kind: Literal["briefing"] = Field(default="briefing", description=KIND_DESCRIPTION)
    params: dict[str, Any] = Field(default_factory=dict, description="the method's own parameters")
    encoder: str = Field(default=defaults.ENCODER, description="sentence encoder (a name or a folder)")

    @field_validator("method")
    @classmethod
    def extractive(cls, value: str) -> str:
        if value in briefing_methods()[1]:
            raise ValueError(f"method {value} is a generation method: its system is a generator, with 'model: PATH' "
                             "(and 'kind: generator', or no kind)")
        return value

    @model_validator(mode="after")
    def encoder_is_read(self) -> BriefingSystem:
        """Only methods that rank by sentence vectors read ``encoder``; on any other it changed nothing."""
        from polybrief.summarize.algorithms import ALGORITHMS

        swept = "encoder" in (self.grid or {})
        if ("encoder" in self.model_fields_set or swept) and not ALGORITHMS[self.method].reads_vectors:
            readers = ", ".join(m for m in ALGORITHMS if ALGORITHMS[m].reads_vectors)
            raise FieldError(("grid", "encoder") if swept else ("encoder",), f"encoder would be ignored: method "
                             f"{self.method} reads no sentence vectors ({readers} do)")
        return self

    @field_validator("params")
    @classmethod
    def method_takes_them(cls, value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        """An unknown or out-of-range parameter is refused at its line, as the config is read, not when the
        run starts (``--check`` missed it) and not in Python's words."""
        method = info.data.get("method")
        if value and method:
            from polybrief.summarize.algorithms import get_extractor

            try:
                get_extractor(method, **value)
            except PolybriefError as exc:
                raise ValueError(str(exc)) from None
        return value


class _ModelRun(Strict):
    """How a generation or translation model runs."""

    generation: dict[str, Any] = Field(default_factory=dict, description="model.generate() arguments")
    device: str = Field(default=defaults.DEVICE, pattern=DEVICE, description="auto, cpu, cuda, cuda:N or mps")
    seed: int = Field(default=defaults.GENERATION_SEED, description="generation sampling seed")
    batch_size: int = Field(default=defaults.BATCH_SIZE, ge=1, description="model batch size")
    max_input_tokens: int | None = Field(default=None, ge=16, description="truncate model inputs to this many tokens")

    @field_validator("generation")
    @classmethod
    def generate_settings(cls, value: dict[str, Any]) -> dict[str, Any]:
        """A misspelt ``generate()`` setting is refused as the config is read; it failed only when the model
        first generated, after loading it."""
        if value:
            from transformers import GenerationConfig  # only when settings are given: it takes a second or two

            known = sorted(set(GenerationConfig().to_dict()) - {"_from_model_config", "transformers_version"})
            unknown = [key for key in value if key not in known]
            if unknown:
                raise FieldError((unknown[0],), f"{unknown[0]!r} is not a model.generate() setting"
                                                f"{did_you_mean(unknown[0], known)}")
        return value


class GeneratorSystem(_Briefing, _ModelRun):
    """A generation strategy: a seq2seq or causal model writes the briefing."""

    does: ClassVar[str] = "a generation method with a model"
    kind: Literal["generator"] = Field(default="generator", description=KIND_DESCRIPTION)
    model: str | None = Field(default=None, description="generation model folder")
    instruction: str | None = Field(default=None, description="a causal LM's prompt before the articles")

    @model_validator(mode="after")
    def generating(self) -> GeneratorSystem:
        methods = ", ".join(briefing_methods()[1])
        if "method" not in self.model_fields_set:
            raise FieldError(("kind",), f"a generator system names its generation method: method: {methods}")
        if self.method not in briefing_methods()[1]:
            raise FieldError(("method",), f"method {self.method} is extractive: a generator system takes a "
                                          f"generation method ({methods}); for {self.method}, drop 'kind: generator'")
        if not self.model:
            raise ValueError(f"method {self.method} generates text: add 'model: PATH' to the system")
        return self


class TranslatorSystem(_Sweeping, _ModelRun):
    """An MT backend run on the test set's sources: Apertium, or a seq2seq model folder."""

    work: ClassVar[Work] = "translate"
    does: ClassVar[str] = "an MT backend run on the test set's sources"
    kind: Literal["translator"] = Field(default="translator", description=KIND_DESCRIPTION)
    translator: str = Field(default=defaults.TRANSLATOR, description="apertium, none, or a seq2seq model folder")

    @model_validator(mode="after")
    def model_settings_need_a_model(self) -> TranslatorSystem:
        """Apertium runs no model: a device or batch size given to it would be ignored without a word."""
        swept = {key.split(".")[0]: key for key in self.grid or {}}
        unused = sorted((self.model_fields_set | set(swept)) & set(_ModelRun.model_fields))
        if self.translator in TRANSLATORS and unused:
            at = ("grid", swept[unused[0]]) if unused[0] in swept else (unused[0],)
            raise FieldError(at, f"{', '.join(unused)} would be ignored: {self.translator} is not a model folder "
                                 "(these settings are for a seq2seq model)")
        return self

    @field_validator("translator")
    @classmethod
    def translator_named(cls, value: str) -> str:
        return known_translator(value)

    def model_options(self) -> dict[str, Any] | None:
        """The model's settings as ``GenerationOptions`` takes them, when the config gives any; None leaves
        the backend's own defaults (as every run before these settings reached translators)."""
        if not self.model_fields_set & set(_ModelRun.model_fields):
            return None
        return {"device": self.device, "batch_size": self.batch_size, "seed": self.seed,
                "max_input_tokens": self.max_input_tokens, "kwargs": dict(self.generation)}

    def default_name(self) -> str:
        return Path(self.translator.rstrip("/")).name or self.translator


class OutputsSystem(_System):
    """Outputs made by any tool, scored as they are."""

    work: ClassVar[Work] = "outputs"
    does: ClassVar[str] = "outputs made elsewhere, scored as they are"
    kind: Literal["outputs"] = Field(default="outputs", description=KIND_DESCRIPTION)
    outputs: str = Field(description="a file (aligned lines, or JSONL keyed by id), a folder (one system per "
                         "file), or column:NAME")

    @model_validator(mode="after")
    def folder_names_its_systems(self) -> OutputsSystem:
        """A folder holds one system per file, each named after its file: one ``name`` cannot name them."""
        if self.name and not self.outputs.startswith(COLUMN_PREFIX) and Path(self.outputs).is_dir():
            raise FieldError(("name",), "a folder of outputs names its systems after its files: drop 'name' "
                                        "(or give one file)")
        return self

    def default_name(self) -> str:
        if self.outputs.startswith(COLUMN_PREFIX):
            return self.outputs.removeprefix(COLUMN_PREFIX)
        path = Path(self.outputs)
        return path.name[: -len(path.suffix)] if path.suffix else path.name


SystemConfig = Annotated[BriefingSystem | GeneratorSystem | TranslatorSystem | OutputsSystem,
                         Field(discriminator="kind")]
SYSTEM_KINDS: dict[str, type[_System]] = {"briefing": BriefingSystem, "generator": GeneratorSystem,
                                          "translator": TranslatorSystem, "outputs": OutputsSystem}
# the flat system record of the versions before kinds had types, with its defaults (see _System.flat)
FLAT_DEFAULTS: dict[str, Any] = {
    "name": None, "method": defaults.METHOD, "params": {}, "words": defaults.WORDS, "sentences": None,
    "encoder": defaults.ENCODER, "language": None, "translator": defaults.TRANSLATOR, "model": None,
    "generation": {}, "device": defaults.DEVICE, "seed": defaults.GENERATION_SEED,
    "batch_size": defaults.BATCH_SIZE, "max_input_tokens": None, "instruction": None, "outputs": None, "grid": None}


def kind_of(system: dict[str, Any], task: str) -> str:
    """A system's kind when its entry does not say: given outputs, a translator (on a translation test set),
    a generator (a generation method), else an extractive briefing method."""
    if "outputs" in system:
        return "outputs"
    if task == TRANSLATION:
        return "translator"
    return "generator" if system.get("method") in briefing_methods()[1] else "briefing"


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
            raise ValueError(f"statistics.baseline {self.statistics.baseline!r} is not a system"
                             f"{did_you_mean(self.statistics.baseline, names)}; systems: {', '.join(names)}")
        return self

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
            except ValidationError as exc:  # named by its entry and values, not by the whole config
                first = exc.errors()[0]
                field = ".".join(str(p) for p in first["loc"])
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
    metrics["anyOf"] = [{"type": "array", "items": {"anyOf": [{"type": "string", "enum": names},
                                                              {"$ref": "#/$defs/MetricConfig"}]}},
                        {"type": "null"}]
    _kinds_apart(schema["$defs"])
    return schema


def _kinds_apart(defs: dict[str, Any]) -> None:
    """What the kinds' own checks refuse, said in JSON Schema so an editor flags it too: without it an entry
    with kind left out matched some kind's shape whatever it held (``seed`` on lexrank read as a generator
    missing its model, ``device`` on Apertium as a model translator)."""
    from polybrief.summarize.algorithms import ALGORITHMS

    extractive, generating = [m for m in briefing_methods()[0] if m not in briefing_methods()[1]], briefing_methods()[1]
    briefing, generator, translator = defs["BriefingSystem"], defs["GeneratorSystem"], defs["TranslatorSystem"]
    briefing["properties"]["method"].update(enum=extractive, description="an extractive method")
    generator["properties"]["method"].update(enum=generating, description="a generation method")
    generator["required"] = ["method", "model"]
    no_vectors = [m for m in extractive if not ALGORITHMS[m].reads_vectors]
    briefing.update({"if": {"properties": {"method": {"enum": no_vectors}}},  # support, the default, included
                     "then": {"not": {"required": ["encoder"]}}})
    settings = sorted(_ModelRun.model_fields)
    translator.update({"if": {"properties": {"translator": {"enum": list(TRANSLATORS)}}},  # apertium, the default
                       "then": {"not": {"anyOf": [{"required": [f]} for f in settings]}}})
    for model in (briefing, generator, translator):
        keys = [k for k in GRID_KEYS if k in model["properties"]]
        model["properties"]["grid"]["anyOf"][0]["propertyNames"] = {"pattern": f"^({'|'.join(keys)})(\\..+)?$"}
