"""ROUGE of polybrief's default briefing against lead and sumy's LexRank and TextRank.

    python benchmarks/briefing_quality.py [--data ../shared/data/multinews_dev250.jsonl] [--words 250]

Every system ranks the same cleaned, split candidate sentences and is cut to the same word
budget by the same greedy fill; ROUGE-1/2/Lsum F1 come from Google's rouge-score with the
Porter stemmer, references split into sentences for Lsum. The last column is the paired
bootstrap 95% interval of (default - system) ROUGE-2 over clusters. Prints, never asserts.
"""
from __future__ import annotations

import time

import numpy as np
from common import DEFAULT_METHOD, base_parser, load_clusters, make_system, selected
from rouge_score import rouge_scorer

from polybrief.core.sentences import split_sentences
from polybrief.summarize.algorithms import Budget, SentencePool

BASELINES = ["lead", "sumy-lexrank", "sumy-textrank", "lexrank"]
KEYS = ("rouge1", "rouge2", "rougeLsum")


def score_system(name, pools, references, words):
    scorer = rouge_scorer.RougeScorer(list(KEYS), use_stemmer=True)
    system = make_system(name)
    start = time.perf_counter()
    rows = []
    for pool, reference in zip(pools, references):
        summary = "\n".join(s.text for s in selected(system, pool, Budget(words=words)))
        scores = scorer.score(reference, summary)
        rows.append([scores[k].fmeasure * 100 for k in KEYS])
    return np.array(rows), time.perf_counter() - start


def paired_ci(a, b, resamples=1000, seed=0):
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(a), size=(resamples, len(a)))
    diffs = (a[idx] - b[idx]).mean(axis=1)
    return np.percentile(diffs, [2.5, 97.5])


def main() -> None:
    parser = base_parser(__doc__.split("\n")[0])
    parser.add_argument("--systems", default=",".join([DEFAULT_METHOD] + BASELINES),
                        help="comma-separated; the first is compared with the rest")
    args = parser.parse_args()
    clusters = [c for c in load_clusters(args.data, args.limit) if c.reference_summaries]
    references = ["\n".join(split_sentences(c.reference_summaries[0], "en")) for c in clusters]
    pools = [SentencePool(c) for c in clusters]
    names = args.systems.split(",")
    results = {name: score_system(name, pools, references, args.words) for name in names}
    first = results[names[0]][0]
    print(f"{len(clusters)} clusters, {args.words}-word budget, ROUGE F1 x100 (rouge-score, stemmed)\n")
    print(f"| system | ROUGE-1 | ROUGE-2 | ROUGE-Lsum | {names[0]} - system, ROUGE-2 (95% CI) | seconds |")
    print("|---|---|---|---|---|---|")
    for name in names:
        rows, seconds = results[name]
        r1, r2, rl = rows.mean(axis=0)
        if name == names[0]:
            delta = "-"
        else:
            low, high = paired_ci(first[:, 1], rows[:, 1])
            delta = f"{first[:, 1].mean() - r2:+.2f} ({low:+.2f}, {high:+.2f})"
        print(f"| {name} | {r1:.2f} | {r2:.2f} | {rl:.2f} | {delta} | {seconds:.1f} |")


if __name__ == "__main__":
    main()
