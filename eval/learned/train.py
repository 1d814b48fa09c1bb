"""Training the learned metric: expert MQM rows in, a model folder out.

The fit is ridge regression on features centred within each source segment, against
-log(1 + MQM penalty): centring makes the head learn what separates translations of the same
segment (what grouped segment correlation rewards) rather than which segments are hard, and the
log keeps a handful of -25 'non-translation' rows from outweighing everything else. These
choices, the penalty and the BERTScore layer were settled by cross-validation by document on the
TED judgements alone, before any WMT23 number was looked at (docs/benchmarks.md).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from polybrief.core.errors import InputError, PolybriefError

from ..metaeval.correlation import JudgedRows, read_judgements
from ..metaeval.selection import centred_by_item
from . import features
from .model import HEAD_BLOCKS, LearnedModel, LinearHead, to_log_penalty

RIDGE = 10.0  # penalty per 100 rows, on z-scored features (TED cross-validation)
BERTSCORE_LAYER = 6  # MiniLM layer for the BERTScore features (TED cross-validation)


@dataclass
class TrainingSet:
    """Judged rows of one file with the target language they were translated into."""

    path: Path
    rows: JudgedRows
    target_language: str
    sha256: str


def target_language_of(path: Path, fallback: str) -> str:
    """The target language from the rows' ``lang_pair`` ("zh-en" -> "en"), else ``fallback``."""
    import json

    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if line.strip():
                pair = json.loads(line).get("lang_pair") or ""
                return pair.split("-")[-1] if "-" in pair else fallback
    return fallback


def read_training_file(path: str | Path, language: str = "en") -> TrainingSet:
    """One training file, refused in one line when it cannot teach a metric anything sound."""
    path = Path(path)
    rows = read_judgements(path, strict_scores=True)
    if not any(rows.ref):
        raise InputError(f"{path}: no row has a reference ('ref' missing or empty): the learned metric is "
                         "trained with references")
    missing_ref = sum(1 for r in rows.ref if not r.strip())
    if missing_ref:
        raise InputError(f"{path}: {missing_ref} row(s) with an empty or missing 'ref'")
    if not any(rows.src):
        raise InputError(f"{path}: no 'src' field in any row: the reference-free head needs sources")
    if len(set(rows.system)) < 2:
        raise InputError(f"{path}: judgements of one system only ({rows.system[0]}): nothing to compare within "
                         "a segment")
    if not np.any(np.abs(centred_by_item(rows.human, rows.item)) > 1e-9):  # the fit sees only these differences
        raise InputError(f"{path}: no segment has two different human scores: a metric fitted on them would be "
                         "a constant")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return TrainingSet(path, rows, target_language_of(path, language), digest)


def block_features(data: TrainingSet, layer: int) -> dict[str, np.ndarray]:
    """Each feature block the file allows, computed once: heads are column subsets of these."""
    rows = data.rows
    blocks = ["lexical", "source"] + (["bertscore"] if data.target_language == "en" else [])
    return {block: features.compute([block], rows.mt, rows.ref, rows.src, layer) for block in blocks}


def fit_head(block_names: list[str], matrix: np.ndarray, human: np.ndarray, items: list[str],
             ridge: float = RIDGE) -> LinearHead:
    """Ridge weights over z-scored, item-centred features; the intercept puts predictions on the MQM scale."""
    mean, scale = matrix.mean(0), matrix.std(0)
    scale = np.where(scale > 0, scale, 1.0)
    z = (matrix - mean) / scale
    target = to_log_penalty(human)
    zc, tc = centred_by_item(z, items), centred_by_item(target, items)
    weights = np.linalg.solve(zc.T @ zc + ridge * len(zc) / 100 * np.eye(z.shape[1]), zc.T @ tc)
    intercept = float(target.mean() - z.mean(0) @ weights)
    return LinearHead(block_names, features.feature_names(block_names), mean.tolist(), scale.tolist(),
                      weights.tolist(), intercept)


def train(paths: list[str | Path], language: str = "en", ridge: float = RIDGE, layer: int = BERTSCORE_LAYER,
          progress=None) -> LearnedModel:
    """Every head the training files allow: BERTScore features only from English-target files."""
    sets = [read_training_file(p, language) for p in paths]
    computed = [block_features(s, layer) for s in (progress(sets) if progress else sets)]
    heads = {}
    for name, block_names in HEAD_BLOCKS.items():
        usable = [(s, c) for s, c in zip(sets, computed) if all(b in c for b in block_names)]
        if not usable:
            continue
        matrix = np.vstack([np.column_stack([c[b] for b in block_names]) for _, c in usable])
        human = np.concatenate([s.rows.human for s, _ in usable])
        items = [f"{s.path}#{item}" for s, _ in usable for item in s.rows.item]
        if not np.isfinite(matrix).all():
            raise PolybriefError(f"head {name}: features came out non-finite; is a text field empty everywhere?")
        heads[name] = fit_head(block_names, matrix, human, items, ridge)
    trained_on = [{"file": s.path.name, "rows": len(s.rows), "systems": len(set(s.rows.system)),
                   "target_language": s.target_language, "sha256": s.sha256} for s in sets]
    return LearnedModel(heads, layer, trained_on, {"ridge": ridge, "target": "-log(1 + MQM penalty)",
                                                   "fit": "ridge on item-centred z-scored features"})

