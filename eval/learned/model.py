"""The learned metric's model folder: linear heads over named features, in one JSON file.

A linear head is small (tens of numbers), readable (each weight names its feature), and can be
hashed into the metric's signature; nothing is unpickled, so a foreign folder cannot run code.
A folder states the feature definitions it was trained on (``FEATURES_VERSION``): features that
changed meaning since would give numbers that look right and are not, so such a folder is refused.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from polybrief.core.errors import PolybriefError

FORMAT = "polybrief-learned-metric"
FEATURES_VERSION = 1  # bump when a feature in features.py changes meaning
MODEL_FILE = "polybrief-metric.json"
PACKAGED = Path(__file__).resolve().parent / "model"
# Heads by the feature blocks they read, best first: the first whose blocks the inputs allow is used.
HEAD_BLOCKS = {"reference+bertscore+source": ["lexical", "bertscore", "source"],
               "reference+bertscore": ["lexical", "bertscore"], "reference+source": ["lexical", "source"],
               "reference": ["lexical"], "source": ["source"]}


@dataclass
class LinearHead:
    """score = transform^-1(((x - mean) / scale) . weights + intercept) over the named features."""

    blocks: list[str]
    features: list[str]
    mean: list[float]
    scale: list[float]
    weights: list[float]
    intercept: float

    def predict(self, matrix: np.ndarray) -> np.ndarray:
        """Predicted MQM score (0 = no errors, more negative = worse) for each row of features."""
        z = (matrix - np.asarray(self.mean)) / np.asarray(self.scale)
        return from_log_penalty(z @ np.asarray(self.weights) + self.intercept)


def to_log_penalty(score: np.ndarray) -> np.ndarray:
    """MQM score to -log(1 + penalty): the long tail of -25 'non-translation' rows stops dominating a fit."""
    return -np.log1p(-np.minimum(score, 0.0))


def from_log_penalty(value: np.ndarray) -> np.ndarray:
    """The inverse of ``to_log_penalty``, monotone, so rankings are the head's own."""
    return -np.expm1(-np.asarray(value, dtype=np.float64))


@dataclass
class LearnedModel:
    """Heads by name plus what they need and where they came from."""

    heads: dict[str, LinearHead]
    bertscore_layer: int
    trained_on: list[dict[str, Any]] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)
    digest: str = ""

    def head_for(self, has_reference: bool, has_source: bool, english_target: bool) -> tuple[str, LinearHead]:
        """The best head the inputs allow: BERTScore features need an English target (the packaged
        encoder knows English alone), lexical ones a reference, the source block the sources."""
        allowed = {"lexical": has_reference, "bertscore": has_reference and english_target, "source": has_source}
        for name in HEAD_BLOCKS:
            head = self.heads.get(name)
            if head is not None and all(allowed[block] for block in head.blocks):
                return name, head
        given = " and ".join(k for k, v in (("references", has_reference), ("sources", has_source)) if v) or "nothing"
        raise PolybriefError(f"mqm: this model has no head for {given} (heads: {', '.join(self.heads)})")

    def save(self, folder: Path) -> Path:
        from importlib.metadata import version

        from polybrief.core.files import write_text_atomic

        document = {"format": FORMAT, "features_version": FEATURES_VERSION, "polybrief_version": version("polybrief"),
                    "bertscore_layer": self.bertscore_layer, "trained_on": self.trained_on, "notes": self.notes,
                    "heads": {name: asdict(head) for name, head in self.heads.items()}}
        path = folder / MODEL_FILE
        write_text_atomic(path, json.dumps(document, indent=1) + "\n")
        return path


def load_model(folder: str | Path | None = None) -> LearnedModel:
    """The model in ``folder`` (default: the one shipped in the package), checked before use."""
    folder = Path(folder) if folder else PACKAGED
    path = folder / MODEL_FILE if folder.is_dir() else folder
    if not path.is_file():
        raise PolybriefError(f"mqm model {folder}: not a polybrief metric folder (no {MODEL_FILE})")
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
    try:
        heads = {name: LinearHead(**head) for name, head in document["heads"].items()}
        for head in heads.values():
            if not len(head.features) == len(head.mean) == len(head.scale) == len(head.weights):
                raise ValueError("feature, mean, scale and weight lists differ in length")
        model = LearnedModel(heads, int(document["bertscore_layer"]), document.get("trained_on", []),
                             document.get("notes", {}), hashlib.sha256(raw).hexdigest()[:12])
    except (KeyError, TypeError, ValueError) as exc:
        raise PolybriefError(f"mqm model {path}: damaged ({exc})") from None
    return model
