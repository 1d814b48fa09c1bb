"""Reading an experiment configuration: YAML in, a validated ``ExperimentConfig`` (schema.py) out,
before any work starts.

Errors name the file, the line, the key and, for a misspelt key, the nearest valid one,
because a typo in a YAML file should cost seconds, not a failed overnight run. YAML is read
with the safe loader only (no Python object tags). ``--set a.b=value`` overrides apply to
the raw mapping before validation, so overrides are checked like the file itself.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from polybrief.core.errors import PolybriefError, did_you_mean
from polybrief.core.readers import read_file_bytes
from polybrief.core.yamlfile import read_yaml

from .schema import COLUMN_PREFIX, DATA_PATH, ExperimentConfig, set_dotted
from .systems import FLAT_DEFAULTS, SYSTEM_KINDS, FieldError


def apply_overrides(raw: dict[str, Any], overrides: list[str]) -> dict[str, Any]:
    """Apply 'a.b=value' overrides (values parsed as YAML scalars/lists) to a raw mapping."""
    for item in overrides:
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            raise PolybriefError(f"--set {item!r}: expected key=value, e.g. data.path=clusters.jsonl")
        try:
            value = yaml.safe_load(text) if text.strip() else ""
            set_dotted(raw, key.strip(), value)
        except (yaml.YAMLError, ValueError, IndexError, TypeError, AttributeError) as exc:
            raise PolybriefError(f"--set {item!r}: cannot apply ({exc})") from None
    return raw


def _listed_systems(raw: dict[str, Any]) -> list[Any]:
    """The ``systems`` list as written, or nothing when it is not a list: ``systems: 1000`` crashed these
    walks ("'int' object is not iterable") before validation could say "systems: Input should be a valid list"."""
    systems = raw.get("systems")
    return systems if isinstance(systems, list) else []


def resolve_inputs(raw: dict[str, Any], folder: Path) -> None:
    """Relative input paths written in a config (data.path, a system's outputs) are relative to the config
    file, as most tools read them, and so is a model folder a system or metric names when it lies there;
    ``--set`` values, applied after, stay relative to where you run. Hub names (hf:NAME) and ${data.path}
    references are left as they are."""
    def resolved(value: Any) -> Any:
        if not isinstance(value, str) or not value.strip() or value.startswith(("hf:", DATA_PATH, COLUMN_PREFIX)):
            return value
        return value if Path(value).is_absolute() else str(folder / value)

    data = raw.get("data")
    if isinstance(data, dict) and "path" in data:
        data["path"] = resolved(data["path"])
    for system in _listed_systems(raw):
        if isinstance(system, dict) and "outputs" in system:
            system["outputs"] = resolved(system["outputs"])
        for key in [k for k in MODEL_KEYS if k in system] if isinstance(system, dict) else []:
            system[key] = beside(system[key], folder)
    for metric in raw.get("metrics") or [] if isinstance(raw.get("metrics"), list) else []:
        params = metric.get("params") if isinstance(metric, dict) else None
        if isinstance(params, dict) and "model" in params:
            params["model"] = beside(params["model"], folder)


MODEL_KEYS = ("model", "encoder", "translator")  # a name (minilm, apertium) or a model folder


def beside(value: Any, folder: Path) -> Any:
    """A model folder written relative to the config file, when one is there; anything else as written (a
    name such as minilm or apertium, or a folder relative to where you run, as before this rule)."""
    if not isinstance(value, str) or not value.strip() or Path(value).is_absolute() or value.startswith("hf:"):
        return value
    return str(folder / value) if (folder / value).exists() else value


def substitute_data_path(raw: dict[str, Any]) -> None:
    """``${data.path}`` in a system's outputs becomes the data path, so one config can evaluate the
    systems/ folder of whatever test set is named on the command line."""
    data = raw.get("data")
    path = data.get("path") if isinstance(data, dict) else None
    for system in _listed_systems(raw):
        if isinstance(system, dict) and isinstance(system.get("outputs"), str) and DATA_PATH in system["outputs"]:
            if not isinstance(path, str):
                raise PolybriefError(f"system outputs {system['outputs']!r} use {DATA_PATH}, but data.path is not "
                                     "set: give it on the command line, --set data.path=PATH")
            system["outputs"] = system["outputs"].replace(DATA_PATH, path.rstrip("/"))


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """1-based line of the YAML node at ``loc`` (or of its nearest existing parent)."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == part), None)
            key = next((k for k, _ in node.value if k.value == part), None)
            if match is None:
                return line
            line = (key or match).start_mark.line + 1
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _fields_at(loc: tuple[Any, ...]) -> list[str]:
    """Valid keys of the model that the location ``loc`` points into."""
    model: Any = ExperimentConfig
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            break
        annotation = field.annotation
        inner = getattr(annotation, "__args__", None)
        candidates = [annotation, *(inner or [])]
        model = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None)
        if model is None:
            return []
    return list(getattr(model, "model_fields", {}))


def _override_for(where: str, message: str, overrides: list[str]) -> str | None:
    """The ``--set`` an error comes from: its key is the failing key, above or below it, or (for checks
    across the whole config, which have no key) named in the message. A config line is blamed otherwise."""
    def related(key: str) -> bool:
        return bool(where) and (key == where or key.startswith(where + ".") or where.startswith(key + "."))

    keys = [(o, o.partition("=")[0].strip()) for o in overrides]
    return (next((o for o, key in keys if related(key)), None)
            or next((o for o, key in keys if not where and key and key in message), None))


def _where(source: str, root: yaml.Node | None, loc: tuple[Any, ...], given: str | None) -> str:
    """``--set KEY=VALUE`` when the value came from the command line, else ``file:line``."""
    line = _line_of(root, loc)
    return f"--set {given}" if given else f"{source}:{line}" if line else source


def _system_kind(loc: tuple[Any, ...]) -> tuple[tuple[Any, ...], str | None]:
    """A location inside a system entry without the kind pydantic inserts (``systems.1.briefing.words`` is
    ``systems.1.words`` in the file), and that kind."""
    if len(loc) > 2 and loc[0] == "systems" and isinstance(loc[1], int) and loc[2] in SYSTEM_KINDS:
        return loc[:2] + loc[3:], str(loc[2])
    return loc, None


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _not_this_kinds(key: str, kind: str) -> str:
    """Why a system entry may not give ``key``: another kind reads it, or no kind does (a typo)."""
    model = SYSTEM_KINDS[kind]
    order = list(FLAT_DEFAULTS)  # the order configs give them in, not pydantic's (by base class)
    own = sorted((f for f in model.model_fields if f not in ("kind", "name", "grid")), key=order.index)
    takes = ", ".join(["name", *own, *(["grid"] if "grid" in model.model_fields else [])])
    readers = [k for k, other in SYSTEM_KINDS.items() if key in other.model_fields]
    if not readers:
        hint = did_you_mean(key, list(model.model_fields))
        return f"unknown key {key!r}{hint} ({_article(kind)} {kind} system takes {takes})"
    return (f"{key} would be ignored: this is {_article(kind)} {kind} system ({model.does}), which takes "
            f"{takes}; {key} is for {' and '.join(readers)} systems")


def _format_error(err: dict[str, Any], source: str, root: yaml.Node | None, overrides: list[str]) -> str:
    loc, kind = _system_kind(tuple(p for p in err["loc"] if p not in ("function-after",)) + FieldError.below(err))
    if err["type"] == "union_tag_invalid":
        loc = (*loc, "kind")
    where = ".".join(str(p) for p in loc)
    prefix = _where(source, root, loc, _override_for(where, err["msg"], overrides))  # blame where it came from
    where = where or "(top level)"
    if err["type"] == "extra_forbidden" and kind and len(loc) == 3:
        return f"{prefix}: systems.{loc[1]}: {_not_this_kinds(str(loc[2]), kind)}"
    if err["type"] == "extra_forbidden":
        return f"{prefix}: unknown key {where!r}{did_you_mean(str(loc[-1]), _fields_at(loc[:-1]))}"
    if err["type"] == "union_tag_invalid":
        given = str(err["input"].get("kind"))
        hint = did_you_mean(given.lower(), list(SYSTEM_KINDS))
        return f"{prefix}: {where}: {given!r} is not a kind of system{hint}: {', '.join(SYSTEM_KINDS)}"
    if err["type"] == "missing":
        hint = f" (or give it on the command line: --set {where}=...)" if where == "data.path" else ""
        return f"{prefix}: missing required key {where!r}{hint}"
    message = err["msg"].removeprefix("Value error, ")
    return f"{prefix}: {where}: {message}"


MAX_NESTING = 32  # a config is a handful of levels deep; validators and serializers recurse on every level


def nesting(value: Any, limit: int = MAX_NESTING) -> int:
    """How many levels of mappings and lists ``value`` holds, counted without recursion (which is what deep
    nesting breaks) and only up to ``limit`` + 1 (a YAML alias can make a list that contains itself)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else None
        if children is not None:
            deepest = max(deepest, depth + 1)
            if deepest > limit:
                return deepest
            stack.extend((child, depth + 1) for child in children)
    return deepest


def load_config(path: str | Path, overrides: list[str] | None = None) -> ExperimentConfig:
    """Read, override and validate an experiment YAML; every problem becomes one PolybriefError."""
    path = Path(path)
    if not path.is_file():
        read_file_bytes(path, "config file")  # says what the path is instead (a folder, a pipe, nothing)
    raw, root = read_yaml(path)  # bounded: no alias bomb, no nesting past the parser, UTF-8 only
    if not isinstance(raw, dict):
        raise PolybriefError(f"{path}: expected a mapping with name, data, systems, metrics")
    if nesting(raw) > MAX_NESTING:
        raise PolybriefError(f"{path}: nested more than {MAX_NESTING} levels deep; no config needs that")
    resolve_inputs(raw, path.parent)
    raw = apply_overrides(raw, overrides or [])
    substitute_data_path(raw)
    try:
        config = ExperimentConfig(**raw)
    except ValidationError as exc:
        messages = [_format_error(e, str(path), root, overrides or []) for e in exc.errors()]
        raise PolybriefError("; ".join(messages)) from None
    check_metric_params(config, str(path), root, overrides or [])
    given = overrides or []  # where each entry is written, for the checks that need the files (plan.py)
    config._entry_places = {k: _where(str(path), root, ("systems", k), _override_for(f"systems.{k}", "", given))
                            for k in range(len(_listed_systems(raw)))}
    return config


def check_metric_params(config: ExperimentConfig, source: str, root: yaml.Node | None, overrides: list[str]) -> None:
    """Build each metric once so an unknown or out-of-range parameter is reported at its config line (or
    its ``--set``), like every other key, not later without a place."""
    from .work import metric_instance

    # the language known before the test set is read; the plan checks again with the test set's own
    language = config.language or config.data.target_language or "en"
    for k, m in enumerate(config.metrics or []):
        try:
            metric_instance(m.name, m.params, language)
        except PolybriefError as exc:
            loc = ("metrics", k, "params") if m.params else ("metrics", k)
            where = _where(source, root, loc, _override_for(f"metrics.{k}", "", overrides))
            raise PolybriefError(f"{where}: {exc}") from None


__all__ = ["MAX_NESTING", "MODEL_KEYS", "apply_overrides", "beside", "check_metric_params", "load_config",
           "nesting", "resolve_inputs", "substitute_data_path"]
