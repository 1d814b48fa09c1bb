"""The kinds of system an experiment compares, one type each: what a config entry may say.

A config's ``systems`` list holds briefing methods (``BriefingSystem``: extractive; ``GeneratorSystem``: a
model writes the briefing), translators run on a test set (``TranslatorSystem``) and outputs made by any
tool (``OutputsSystem``). An entry may state its ``kind``; otherwise it follows from the entry's fields
(``kind_of``). Each type holds only the fields its kind reads, so a field of another kind is refused at
its own line instead of being ignored. The experiment as a whole (data, metrics, statistics) is
``schema.py``; the config hash still reads each system as the one flat record every kind shared before
the types (``FLAT_DEFAULTS``), so run ids did not change with them.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from polybrief.core import defaults
from polybrief.core.errors import PolybriefError, did_you_mean, unknown_name

__all__ = ["BriefingSystem", "COLUMN_PREFIX", "DEVICE", "FLAT_DEFAULTS", "FieldError", "GRID_KEYS", "GeneratorSystem",
           "KIND_DESCRIPTION", "MODEL_RUN_FIELDS", "OutputsSystem", "SUMMARIZATION", "SYSTEM_KINDS", "SYSTEM_NAME",
           "Strict", "SystemConfig", "TRANSLATION", "TRANSLATORS", "TranslatorSystem", "Work", "briefing_methods",
           "kind_of", "known_translator"]

SYSTEM_NAME = r"^[A-Za-z0-9][A-Za-z0-9._=+-]{0,120}$"  # grid systems are named key=value
DEVICE = r"^(auto|cpu|mps|cuda(:[0-9]+)?)$"  # what torch accepts ("gpu7" crashed a run as a bug)
GRID_KEYS = ("params", "words", "sentences", "encoder", "method", "model", "generation", "seed", "translator")
SUMMARIZATION = "summarization"
TRANSLATION = "translation"
COLUMN_PREFIX = "column:"  # outputs: column:NAME takes a system's outputs from a column of the data
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

    @staticmethod
    def below(error: dict[str, Any]) -> tuple[str | int, ...]:
        """The field path a FieldError adds below a pydantic error's ``loc`` (empty for any other error)."""
        return tuple(getattr((error.get("ctx") or {}).get("error"), "at", ()))


TRANSLATORS = ("apertium", "none")  # the backends named by a word; any other is hf:NAME or a model folder


def known_translator(value: str) -> str:
    """A misspelt backend name (``nonee``) is refused now: it was read as a model folder and failed later
    without a line."""
    if value in TRANSLATORS or value.startswith("hf:") or "/" in value or Path(value).expanduser().exists():
        return value
    raise ValueError(f"unknown translator {value!r}{did_you_mean(value, list(TRANSLATORS))}: apertium, none, "
                     "hf:MODEL or a model folder")


TranslatorName = Annotated[str, AfterValidator(known_translator)]  # what briefing and translator systems name


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _System(Strict):
    """What every kind of system has: a name, and a ``kind`` that says which fields it reads."""

    work: ClassVar[Work]  # the work a run does for it: brief a cluster, run an MT backend, take given outputs
    does: ClassVar[str]  # what a system of this kind is, for messages
    name: str | None = Field(default=None, pattern=SYSTEM_NAME, description="the system's name on the leaderboard "
                             "(default: the method, the translator, or the outputs file's name)")
    _entry: int | None = PrivateAttr(default=None)  # the config entry it came from: a grid makes several of one

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
    """A kind whose settings a grid can sweep (every kind but given outputs)."""

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
    translator: TranslatorName = Field(default=defaults.TRANSLATOR, description="translation backend for articles "
                                       "in other languages and the briefing's language: apertium, none, or a "
                                       "seq2seq model folder")

    @field_validator("method")
    @classmethod
    def known_method(cls, value: str) -> str:
        methods, _ = briefing_methods()
        if value not in methods:
            raise ValueError(unknown_name("method", value, methods))
        return value

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
        if "method" in (self.grid or {}):  # each method of the sweep is checked with it
            return self
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
        if value and method and "method" not in (info.data.get("grid") or {}):  # a sweep's methods: each checked
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
        methods, swept = ", ".join(briefing_methods()[1]), self.grid or {}
        if "method" in swept:  # each method of the sweep is checked with it
            return self
        if "method" not in self.model_fields_set:
            raise FieldError(("kind",), f"a generator system names its generation method: method: {methods}")
        if self.method not in briefing_methods()[1]:
            raise FieldError(("method",), f"method {self.method} is extractive: a generator system takes a "
                                          f"generation method ({methods}); for {self.method}, drop 'kind: generator'")
        if not self.model and "model" not in swept:
            raise ValueError(f"method {self.method} generates text: add 'model: PATH' to the system")
        return self


class TranslatorSystem(_Sweeping, _ModelRun):
    """An MT backend run on the test set's sources: Apertium, or a seq2seq model folder."""

    work: ClassVar[Work] = "translate"
    does: ClassVar[str] = "an MT backend run on the test set's sources"
    kind: Literal["translator"] = Field(default="translator", description=KIND_DESCRIPTION)
    translator: TranslatorName = Field(default=defaults.TRANSLATOR,
                                       description="apertium, none, or a seq2seq model folder")

    @model_validator(mode="after")
    def model_settings_need_a_model(self) -> TranslatorSystem:
        """Apertium runs no model: a device or batch size given to it would be ignored without a word."""
        if self.translator == "none":
            raise FieldError(("translator",), "translator 'none' translates nothing: a translator system runs "
                                              "apertium, hf:MODEL or a model folder")
        swept = {key.split(".")[0]: key for key in self.grid or {}}
        unused = sorted((self.model_fields_set | set(swept)) & set(_ModelRun.model_fields))
        if self.translator in TRANSLATORS and unused:
            at = ("grid", swept[unused[0]]) if unused[0] in swept else (unused[0],)
            raise FieldError(at, f"{', '.join(unused)} would be ignored: {self.translator} is not a model folder "
                                 "(these settings are for a seq2seq model)")
        return self

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
MODEL_RUN_FIELDS = tuple(_ModelRun.model_fields)  # how a model runs: refused on Apertium
# the flat system record of the versions before kinds had types, with its defaults (see _System.flat)
FLAT_DEFAULTS: dict[str, Any] = {
    "name": None, "method": defaults.METHOD, "params": {}, "words": defaults.WORDS, "sentences": None,
    "encoder": defaults.ENCODER, "language": None, "translator": defaults.TRANSLATOR, "model": None,
    "generation": {}, "device": defaults.DEVICE, "seed": defaults.GENERATION_SEED,
    "batch_size": defaults.BATCH_SIZE, "max_input_tokens": None, "instruction": None, "outputs": None, "grid": None}


def kind_of(system: dict[str, Any], task: str) -> str:
    """A system's kind when its entry does not say: given outputs, a translator (on a translation test set),
    a generator (a generation method, or a model, or a grid of generation methods), else an extractive
    briefing method."""
    if "outputs" in system:
        return "outputs"
    if task == TRANSLATION:
        return "translator"
    generating = briefing_methods()[1]
    if "method" in system:
        return "generator" if system["method"] in generating else "briefing"
    grid = system.get("grid") if isinstance(system.get("grid"), dict) else {}
    swept = grid.get("method") if isinstance(grid.get("method"), list) else []
    return "generator" if "model" in system or (swept and all(m in generating for m in swept)) else "briefing"
