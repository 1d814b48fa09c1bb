"""Agreement of each offline metric with expert MQM judgements (WMT23 zh-en), chrF as the anchor.

    python benchmarks/metric_validity.py [--data ../shared/data/wmt23_mqm_zhen_dev.jsonl] [--resamples 1000]

Runs polybrief's meta-evaluation (the same code as ``polybrief meta-eval``): Kendall tau at
segment level grouped by source segment (the WMT metrics-task "group by item" view), pooled
segment level, and system level, each with a bootstrap 95% interval over segments; the last
column is each metric's grouped tau minus chrF's, with the paired interval of the difference.
"""
from __future__ import annotations

import argparse
import sys
import time

from common import SHARED_DATA

from polybrief.eval.metaeval.correlation import meta_evaluate, read_judgements, to_table

METRICS = ["bleu", "chrf", "chrf++", "ter", "rouge", "embedding", "bertscore", "bertscore.recall", "xling",
           "chrf+embedding", "chrf+bertscore.recall"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(SHARED_DATA / "wmt23_mqm_zhen_dev.jsonl"))
    parser.add_argument("--metrics", default=",".join(METRICS))
    parser.add_argument("--resamples", type=int, default=1000)
    args = parser.parse_args()
    start = time.perf_counter()
    rows = read_judgements(args.data)
    report = meta_evaluate(rows, args.metrics.split(","), baseline="chrf", resamples=args.resamples)
    print(to_table(report))
    print(f"\nskipped rows: {report['skipped']}; {time.perf_counter() - start:.0f} s")
    winners = [(name, m["vs_baseline_grouped_kendall"]) for name, m in report["metrics"].items()
               if "vs_baseline_grouped_kendall" in m and m["vs_baseline_grouped_kendall"]["value"] >= 0.03]
    for name, diff in winners:
        proven = "interval excludes 0" if diff["low"] > 0 else "interval includes 0"
        print(f"beats chrF by >= 0.03 grouped tau: {name} {diff['value']:+.3f} "
              f"[{diff['low']:+.3f}, {diff['high']:+.3f}] ({proven})")
    if not winners:
        print("no metric beats chrF by 0.03 grouped tau", file=sys.stderr)


if __name__ == "__main__":
    main()
