"""The ``mqm`` model folder: ``mqm.json`` (what the model is, readable) and ``mqm.npz`` (its numbers).

Each head is a scorer over named feature blocks: z-scoring, then per seed a small network (or one
linear layer), the seeds' scores averaged, then a monotone map onto the MQM scale (0 = no errors,
more negative = worse) so the numbers read like the judgements the model learned from. Nothing is
unpickled (``np.load(allow_pickle=False)``), so a foreign folder cannot run code; both files are hashed
into the metric's signature. A folder states the feature definitions it was trained on
(``FEATURES_VERSION``) and the target languages it was trained for: features that changed meaning
give numbers that look right and are not, so such a folder is refused.
"""
from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from polybrief.core.errors import PolybriefError

from . import features
from .ranking import forward

FORMAT = "polybrief-mqm"
FEATURES_VERSION = 2  # bump when a feature in features.py changes meaning (2: no batch median, E5 vectors)
MODEL_FILE, WEIGHTS_FILE = "mqm.json", "mqm.npz"
LEGACY_FILE = "polybrief-metric.json"  # what polybrief wrote before the model got the metric's name
PACKAGED = Path(__file__).resolve().parent / "model"
# Heads by the feature blocks they read, best first: the first whose inputs are given is used. With a
# reference, sentence vectors lost in the cross-validation (docs/benchmarks.md): those heads read none.
HEAD_BLOCKS = {"reference+source": ["lexical", "source"],
               "reference": ["lexical"],
               "source": ["source", "embedding_free"]}
Layers = list[tuple[np.ndarray, np.ndarray]]


@dataclass
class Head:
    """score = calibrate(mean over seeds of net_seed((x - mean) / scale)) over the named blocks."""

    blocks: list[str]
    mean: np.ndarray
    scale: np.ndarray
    seeds: list[Layers]
    calibration: tuple[float, float] = (1.0, 0.0)  # raw -> -log(1 + MQM penalty), slope > 0
    fit: dict[str, Any] = field(default_factory=dict)

    def raw(self, matrix: np.ndarray) -> np.ndarray:
        """The averaged network score: what the ranking loss trained (unitless)."""
        z = (matrix - self.mean) / self.scale
        return np.mean([forward(layers, z) for layers in self.seeds], axis=0)

    def predict(self, matrix: np.ndarray) -> np.ndarray:
        """Predicted MQM score for each row of features; a monotone map of ``raw``, so the same order."""
        slope, intercept = self.calibration
        return from_log_penalty(slope * self.raw(matrix) + intercept)

    def needs(self) -> set[str]:
        """The inputs this head reads: 'reference', 'source'."""
        return set().union(*(features.NEEDS[b] for b in self.blocks))


def to_log_penalty(score: np.ndarray) -> np.ndarray:
    """MQM score to -log(1 + penalty): the long tail of -25 'non-translation' rows stops dominating a fit."""
    return -np.log1p(-np.minimum(score, 0.0))


def from_log_penalty(value: np.ndarray) -> np.ndarray:
    """The inverse of ``to_log_penalty``, monotone, so rankings are the head's own."""
    return -np.expm1(-np.asarray(value, dtype=np.float64))


@dataclass
class LearnedModel:
    """Heads by name plus the target languages they were trained for and where they came from."""

    heads: dict[str, Head]
    target_languages: list[str]
    trained_on: list[dict[str, Any]] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)
    digest: str = ""

    def head_for(self, has_reference: bool, has_source: bool) -> tuple[str, Head]:
        """The best head the inputs allow."""
        given = {k for k, v in (("reference", has_reference), ("source", has_source)) if v}
        for name in HEAD_BLOCKS:
            head = self.heads.get(name)
            if head is not None and head.needs() <= given:
                return name, head
        said = " and ".join(sorted(k + "s" for k in given)) or "nothing"
        raise PolybriefError(f"mqm: this model has no head for {said} (heads: {', '.join(self.heads)})")

    def check_language(self, language: str) -> None:
        """Refuse a target language the model was not trained for, in one line."""
        code = language.split("-")[0].lower()
        if code not in self.target_languages:
            raise PolybriefError(f"mqm: this model was trained for target languages "
                                 f"{', '.join(self.target_languages)}, not {code!r}; use chrf, or train one on "
                                 f"{code} judgements with `polybrief train-metric`")

    def save(self, folder: Path) -> Path:
        """Write mqm.npz, then mqm.json (the file that makes a folder a model) last."""
        from importlib.metadata import version

        from polybrief.core.files import atomic_path, write_text_atomic

        arrays: dict[str, np.ndarray] = {}
        described = {}
        for name, head in self.heads.items():
            arrays[f"{name}/mean"], arrays[f"{name}/scale"] = head.mean, head.scale
            for s, layers in enumerate(head.seeds):
                for k, (weight, bias) in enumerate(layers):
                    arrays[f"{name}/{s}/{k}/weight"], arrays[f"{name}/{s}/{k}/bias"] = weight, bias
            described[name] = {"blocks": head.blocks, "features": len(head.mean), "seeds": len(head.seeds),
                               "layers": [list(w.shape) for w, _ in head.seeds[0]],
                               "calibration": list(head.calibration), "fit": head.fit}
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **{k: np.asarray(v, dtype=np.float32) for k, v in arrays.items()})
        folder.mkdir(parents=True, exist_ok=True)
        with atomic_path(folder / WEIGHTS_FILE) as tmp:
            tmp.write_bytes(buffer.getvalue())
        document = {"format": FORMAT, "features_version": FEATURES_VERSION, "polybrief_version": version("polybrief"),
                    "target_languages": self.target_languages, "trained_on": self.trained_on, "notes": self.notes,
                    "weights_sha256": hashlib.sha256(buffer.getvalue()).hexdigest(), "heads": described}
        path = folder / MODEL_FILE
        write_text_atomic(path, json.dumps(document, indent=1) + "\n")
        return path


def _model_path(folder: str | Path | None) -> Path:
    folder = Path(folder) if folder else PACKAGED
    path = folder / MODEL_FILE if folder.is_dir() else folder
    if not path.is_file():
        if (folder / LEGACY_FILE).is_file():
            raise PolybriefError(f"mqm model {folder}: written by an older polybrief ({LEGACY_FILE}); "
                                 "retrain it with `polybrief train-metric`")
        raise PolybriefError(f"mqm model {folder}: not a polybrief metric folder (no {MODEL_FILE})")
    return path


def load_model(folder: str | Path | None = None) -> LearnedModel:
    """The model in ``folder`` (default: the one shipped in the package), checked before use."""
    path = _model_path(folder)
    raw = path.read_bytes()
    try:
        document = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise PolybriefError(f"mqm model {path}: not valid JSON") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise PolybriefError(f"mqm model {path}: not a polybrief learned metric (format is not {FORMAT!r})")
    if document.get("features_version") != FEATURES_VERSION:
        raise PolybriefError(f"mqm model {path}: trained on feature version {document.get('features_version')} "
                             f"by polybrief {document.get('polybrief_version', '?')}; this polybrief computes "
                             f"version {FEATURES_VERSION}: retrain it with `polybrief train-metric`")
    weights = path.parent / WEIGHTS_FILE
    try:
        blob = weights.read_bytes()
        if hashlib.sha256(blob).hexdigest() != document["weights_sha256"]:
            raise ValueError(f"{WEIGHTS_FILE} is not the file {MODEL_FILE} was written with")
        with np.load(io.BytesIO(blob), allow_pickle=False) as stored:
            arrays = {k: stored[k].astype(np.float64) for k in stored.files}
        heads = {name: _head(name, spec, arrays) for name, spec in document["heads"].items()}
        model = LearnedModel(heads, list(document["target_languages"]), document.get("trained_on", []),
                             document.get("notes", {}), hashlib.sha256(raw + blob).hexdigest()[:12])
    except OSError as exc:
        raise PolybriefError(f"mqm model {path.parent}: cannot read {WEIGHTS_FILE} ({exc.strerror or exc})") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise PolybriefError(f"mqm model {path}: damaged ({exc})") from None
    return model


def _head(name: str, spec: dict[str, Any], arrays: dict[str, np.ndarray]) -> Head:
    blocks = list(spec["blocks"])
    unknown = [b for b in blocks if b not in features.BLOCKS]
    if unknown:
        raise ValueError(f"head {name} reads unknown feature block {unknown[0]!r}")
    width = len(features.feature_names(blocks))
    mean, scale = arrays[f"{name}/mean"], arrays[f"{name}/scale"]
    seeds = [[(arrays[f"{name}/{s}/{k}/weight"], arrays[f"{name}/{s}/{k}/bias"]) for k in range(len(spec["layers"]))]
             for s in range(int(spec["seeds"]))]
    if not (len(mean) == len(scale) == width == seeds[0][0][0].shape[0]):
        raise ValueError(f"head {name}: {width} features, but weights for {seeds[0][0][0].shape[0]}")
    slope, intercept = (float(v) for v in spec["calibration"])
    return Head(blocks, mean, scale, seeds, (slope, intercept), spec.get("fit", {}))


__all__ = ["FEATURES_VERSION", "FORMAT", "HEAD_BLOCKS", "Head", "LEGACY_FILE", "Layers", "LearnedModel",
           "PACKAGED", "from_log_penalty", "load_model", "to_log_penalty"]
