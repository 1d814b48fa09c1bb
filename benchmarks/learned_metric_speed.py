"""Segments per second of the learned metric against chrF and BERTScore, measured in the same run.

    python benchmarks/learned_metric_speed.py [--segments 2000]

Takes the first N rows of the TED zh-en MQM file (English translations with source and reference)
and scores them in a fresh process per metric, start-up and model loading included: ``chrf``,
``bertscore`` (packaged MiniLM), ``mqm`` as it runs by default with a reference and sources (the
reference+source head: multilingual E5 on source, output and reference), and ``mqm:source=false``
(the reference head: chrF statistics and checks, no encoder). Prints seconds, segments per second,
peak RSS and the ratios to chrF and BERTScore. The machine is shared: only the ratios compare.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import SHARED_DATA

RUNS = {"chrf": ["--metrics", "chrf"], "bertscore": ["--metrics", "bertscore"],
        "mqm (default, reference+source)": ["--metrics", "mqm", "--src", "{src}"],
        "mqm:source=false (reference head)": ["--metrics", "mqm:source=false", "--src", "{src}"]}


def write_inputs(folder: Path, count: int) -> dict[str, Path]:
    rows = [json.loads(line) for line in (SHARED_DATA / "mqm_ted_zhen.jsonl").open(encoding="utf-8")][:count]
    files = {}
    for key in ("mt", "ref", "src"):
        files[key] = folder / f"{key}.txt"
        files[key].write_text("".join(r[key].replace("\n", " ") + "\n" for r in rows), encoding="utf-8")
    return files


def timed(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one child process (its own rusage, through wait4)."""
    start = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if status:
        raise SystemExit(f"{' '.join(args)} failed")
    return wall, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--segments", type=int, default=2000)
    args = parser.parse_args()
    cli = [sys.executable, "-m", "polybrief", "score", "--resamples", "0", "--format", "json"]
    with tempfile.TemporaryDirectory() as tmp:
        files = write_inputs(Path(tmp), args.segments)
        print(f"{args.segments} segments (first rows of mqm_ted_zhen.jsonl), one fresh process each\n")
        print("| metric | seconds | segments/s | peak RSS MiB | speed vs chrF | speed vs BERTScore |\n"
              "|---|---|---|---|---|---|")
        rates = {}
        for name, extra in RUNS.items():
            extra = [a.format(src=files["src"]) for a in extra]
            wall, rss = timed(cli + ["--hyp", str(files["mt"]), "--ref", str(files["ref"]), *extra])
            rates[name] = args.segments / wall
            print(f"| {name} | {wall:.1f} | {rates[name]:.0f} | {rss:.0f} | {rates[name] / rates['chrf']:.2f}x | "
                  f"{rates[name] / rates['bertscore']:.2f}x |" if "bertscore" in rates else
                  f"| {name} | {wall:.1f} | {rates[name]:.0f} | {rss:.0f} | {rates[name] / rates['chrf']:.2f}x | |",
                  flush=True)


if __name__ == "__main__":
    main()
