"""Speed of polybrief's scoring against rouge-score and sacreBLEU, measured in the same run.

    python benchmarks/metric_speed.py [--data ../shared/data/multinews_dev250.jsonl] [--pairs 10000]

1. ROUGE-1/2/Lsum F with a 1,000-resample bootstrap interval on --pairs Multi-News-length
   summary pairs (built from the dev clusters: a ~230-word run of an article's sentences
   against the cluster's reference summary, one sentence per line): rouge-score's
   RougeScorer + BootstrapAggregator against polybrief's Rouge + bootstrap_ci. Point scores
   are compared with rouge-score's exact mean (polybrief's rouge-score-compatible tokenizer
   and its default Unicode tokenizer, which differs only on non-ASCII letters).
2. Paired bootstrap on chrF (1,000 resamples) for two such systems: the sacrebleu CLI
   (--paired-bs) against the polybrief CLI (score --paired-with), end to end.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from common import base_parser

from polybrief.core.sentences import split_sentences, split_text
from polybrief.eval.metrics import get_metric
from polybrief.eval.metrics.base import Segments
from polybrief.eval.stats.resampling import bootstrap_ci

TYPES = ("rouge1", "rouge2", "rougeLsum")


def build_pairs(data: Path, n: int, words: int = 230) -> tuple[list[str], list[str], list[str]]:
    """Two hypothesis sets (runs of sentences from consecutive offsets) and the references."""
    rows = [json.loads(line) for line in data.open(encoding="utf-8")]
    split = {}

    def sentences(text: str) -> list[str]:
        if text not in split:
            split[text] = [s for s in split_text(text, "en") if len(s.split()) > 4]
        return split[text]

    def run(sents: list[str], start: int) -> str:
        out, count = [], 0
        for s in sents[start:]:
            if count >= words:
                break
            out.append(s)
            count += len(s.split())
        return "\n".join(out) or sents[0] if sents else ""

    sys_a, sys_b, refs = [], [], []
    for k in range(n):
        row = rows[k % len(rows)]
        doc = sentences(row["documents"][(k // len(rows)) % len(row["documents"])]["text"])
        offset = (k // (2 * len(rows))) % 5
        sys_a.append(run(doc, offset))
        sys_b.append(run(doc, offset + 1))
        refs.append("\n".join(split_sentences(row["reference_summaries"][0], "en")))
    return sys_a, sys_b, refs


def rouge_score_side(hyps: list[str], refs: list[str], resamples: int) -> tuple[float, dict, np.ndarray]:
    from rouge_score import rouge_scorer, scoring

    start = time.perf_counter()
    scorer = rouge_scorer.RougeScorer(list(TYPES), use_stemmer=True)
    aggregator = scoring.BootstrapAggregator(confidence_interval=0.95, n_samples=resamples)
    per_pair = []
    for hyp, ref in zip(hyps, refs):
        scores = scorer.score(ref, hyp)
        aggregator.add_scores(scores)
        per_pair.append([scores[t].fmeasure for t in TYPES])
    result = aggregator.aggregate()
    seconds = time.perf_counter() - start
    return seconds, {t: (result[t].low.fmeasure, result[t].high.fmeasure) for t in TYPES}, np.array(per_pair)


def polybrief_side(hyps: list[str], refs: list[str], resamples: int, tokenizer: str) -> tuple[float, dict, dict]:
    start = time.perf_counter()
    metric = get_metric("rouge", tokenizer=tokenizer, types=TYPES)
    stats = metric.segment_stats(Segments(hyps, [refs]))
    intervals = bootstrap_ci(metric, stats, resamples)
    seconds = time.perf_counter() - start
    return seconds, {t: intervals[f"{t}_f"] for t in TYPES}, metric.corpus_scores(stats)


def rouge_benchmark(hyps: list[str], refs: list[str], resamples: int) -> None:
    print(f"## ROUGE-1/2/Lsum + {resamples}-resample bootstrap, {len(hyps)} summary pairs\n")
    rs_seconds, rs_ci, rs_pairs = rouge_score_side(hyps, refs, resamples)
    rs_mean = rs_pairs.mean(axis=0)
    print("| implementation | seconds | ratio | ROUGE-1 F | ROUGE-2 F | ROUGE-Lsum F | max abs diff of mean F vs rouge-score |")
    print("|---|---|---|---|---|---|---|")
    print(f"| rouge-score 0.1.2 (RougeScorer + BootstrapAggregator) | {rs_seconds:.1f} | 1.0x | "
          + " | ".join(f"{m:.6f}" for m in rs_mean) + " | - |")
    for tokenizer in ("rouge-score", "unicode"):
        seconds, ci, point = polybrief_side(hyps, refs, resamples, tokenizer)
        means = np.array([point[f"{t}_f"] for t in TYPES])
        print(f"| polybrief Rouge(tokenizer={tokenizer}) + bootstrap_ci | {seconds:.1f} | {rs_seconds / seconds:.1f}x | "
              + " | ".join(f"{m:.6f}" for m in means) + f" | {np.abs(means - rs_mean).max():.2e} |")
    print(f"\n95% intervals, ROUGE-2 F: rouge-score {rs_ci['rouge2'][0]:.4f}-{rs_ci['rouge2'][1]:.4f}")


def paired_benchmark(sys_a: list[str], sys_b: list[str], refs: list[str], resamples: int) -> None:
    print(f"\n## Paired bootstrap on chrF, {resamples} resamples, {len(sys_a)} segments (CLI end to end)\n")
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for name, lines in (("a", sys_a), ("b", sys_b), ("ref", refs)):
            paths[name] = Path(tmp) / f"{name}.txt"
            paths[name].write_text("\n".join(x.replace("\n", " ") for x in lines) + "\n", encoding="utf-8")
        bin_dir = Path(sys.executable).parent
        start = time.perf_counter()
        sacre = subprocess.run([str(bin_dir / "sacrebleu"), str(paths["ref"]), "-i", str(paths["a"]), str(paths["b"]),
                                "-m", "chrf", "--paired-bs", "--paired-bs-n", str(resamples), "-f", "text"],
                               capture_output=True, text=True, check=True)
        sacre_seconds = time.perf_counter() - start
        start = time.perf_counter()
        ours = subprocess.run([str(bin_dir / "polybrief"), "score", "--hyp", str(paths["b"]), "--paired-with",
                               str(paths["a"]), "--ref", str(paths["ref"]), "--metrics", "chrf", "--resamples",
                               str(resamples), "--format", "json"], capture_output=True, text=True, check=True)
        ours_seconds = time.perf_counter() - start
    p_sacre = next((line.split("p =")[1].split(")")[0].strip() for line in sacre.stdout.splitlines() if "p =" in line),
                   "?")
    significance = json.loads(ours.stdout)["results"]["chrf"]["significance"]
    print("| implementation | seconds | ratio | p-value |")
    print("|---|---|---|---|")
    print(f"| sacrebleu --paired-bs | {sacre_seconds:.1f} | 1.0x | {p_sacre} |")
    print(f"| polybrief score --paired-with | {ours_seconds:.1f} | {sacre_seconds / ours_seconds:.1f}x | "
          f"{significance['p_value']:.4f} |")


def main() -> None:
    parser = base_parser(__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=10000)
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--skip-rouge", action="store_true")
    args = parser.parse_args()
    sys_a, sys_b, refs = build_pairs(args.data, args.pairs)
    if not args.skip_rouge:
        rouge_benchmark(sys_a, refs, args.resamples)
    paired_benchmark(sys_a, sys_b, refs, args.resamples)


if __name__ == "__main__":
    main()
