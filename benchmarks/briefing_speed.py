"""Clusters per second and peak memory of the default briefing next to sumy's LexRank.

    python benchmarks/briefing_speed.py [--data ../shared/data/multinews_dev250.jsonl] [--repeat 3]

Each system runs in its own fresh process (so peak RSS is its own). Reading and cleaning
the JSONL is the same for both and is done once before the clock starts; the timed part
is what differs: sentence splitting, ranking and the budget fill, for every cluster. The
time is the best of --repeat passes; the ratio is default / sumy.
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
import time

from common import DEFAULT_METHOD, base_parser, load_clusters, make_system, selected

from polybrief.summarize.algorithms import Budget, SentencePool


def measure(name: str, data, limit, words: int, repeat: int) -> dict:
    clusters = load_clusters(data, limit)
    system = make_system(name)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for cluster in clusters:
            selected(system, SentencePool(cluster), Budget(words=words))
        best = min(best, time.perf_counter() - start)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"system": name, "clusters": len(clusters), "seconds": best,
            "clusters_per_s": len(clusters) / best, "peak_rss_mib": peak_mib}


def main() -> None:
    parser = base_parser(__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", default=None, help=argparse_hidden())
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.data, args.limit, args.words, args.repeat)))
        return
    rows = []
    for name in (DEFAULT_METHOD, "sumy-lexrank"):
        cmd = [sys.executable, __file__, "--child", name, "--data", str(args.data), "--words", str(args.words),
               "--repeat", str(args.repeat)] + (["--limit", str(args.limit)] if args.limit else [])
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
    print(f"{rows[0]['clusters']} clusters, {args.words}-word budget, best of {args.repeat}\n")
    print("| system | clusters/s | seconds | peak RSS (MiB) |")
    print("|---|---|---|---|")
    for row in rows:
        print(f"| {row['system']} | {row['clusters_per_s']:.1f} | {row['seconds']:.2f} | {row['peak_rss_mib']:.0f} |")
    print(f"\nspeed ratio {rows[0]['system']} / sumy-lexrank: {rows[0]['clusters_per_s'] / rows[1]['clusters_per_s']:.2f}x")


def argparse_hidden() -> str:
    import argparse

    return argparse.SUPPRESS


if __name__ == "__main__":
    main()
