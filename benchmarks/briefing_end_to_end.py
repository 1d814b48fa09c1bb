"""Whole briefings (selection, figure tracking, layout) over the Multi-News dev clusters: time and ROUGE-2.

    python benchmarks/briefing_end_to_end.py [--repeat 5] [--words 250]

``briefing_speed.py`` times the extractor alone against sumy; this times ``build_briefing`` as
``polybrief brief`` runs it (the best of --repeat passes, clusters read once before the clock), and
scores each briefing's text with ROUGE-2 F against the cluster's reference summary. To compare two
versions, run it once in each checkout on the same machine, one after the other.
"""
from __future__ import annotations

import argparse
import json
import time

from common import MULTINEWS

from polybrief.core.readers import read_clusters
from polybrief.eval.metrics import Segments, get_metric
from polybrief.summarize.briefing import build_briefing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(MULTINEWS))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--words", type=int, default=250)
    args = parser.parse_args()
    clusters = list(read_clusters(args.data))
    best = float("inf")
    for _ in range(args.repeat):
        start = time.perf_counter()
        briefings = [build_briefing(c, words=args.words) for c in clusters]
        best = min(best, time.perf_counter() - start)
    rouge = get_metric("rouge")
    stats = rouge.segment_stats(Segments([b.text for b in briefings], [[c.reference_summaries[0] for c in clusters]]))
    print(json.dumps({"clusters": len(clusters), "seconds": round(best, 3),
                      "rouge2_f": round(100 * rouge.corpus_scores(stats)["rouge2_f"], 2),
                      "briefings_with_figures": sum(1 for b in briefings if getattr(b, "figures", None))}))


if __name__ == "__main__":
    main()
