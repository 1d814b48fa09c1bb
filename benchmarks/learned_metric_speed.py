"""Time and peak memory of the learned metric against BERTScore (packaged MiniLM) on the same segments.

    python benchmarks/learned_metric_speed.py [--segments 10000]

Takes the first N rows of the TED zh-en MQM file (English translations with source and
reference), and scores them in a fresh process per metric, start-up and model loading included:
``bertscore`` (the anchor), ``mqm`` as it runs by default when it has a reference (lexical +
BERTScore features; the sources are given and not read) and ``mqm:source=true`` (plus multilingual
E5 on source and translation). Prints seconds, peak RSS and the
ratio to BERTScore measured in the same run.
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

RUNS = {"bertscore": ["--metrics", "bertscore"], "mqm (default)": ["--metrics", "mqm", "--src", "{src}"],
        "mqm:source=true": ["--metrics", "mqm:source=true", "--src", "{src}"]}


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
    parser.add_argument("--segments", type=int, default=10_000)
    args = parser.parse_args()
    cli = [sys.executable, "-m", "polybrief", "score", "--resamples", "0", "--format", "json"]
    with tempfile.TemporaryDirectory() as tmp:
        files = write_inputs(Path(tmp), args.segments)
        print(f"{args.segments} segments (first rows of mqm_ted_zhen.jsonl), one fresh process each\n")
        print("| metric | seconds | peak RSS MiB | time vs bertscore |\n|---|---|---|---|")
        anchor = None
        for name, extra in RUNS.items():
            extra = [a.format(src=files["src"]) for a in extra]
            wall, rss = timed(cli + ["--hyp", str(files["mt"]), "--ref", str(files["ref"]), *extra])
            anchor = anchor or wall
            print(f"| {name} | {wall:.1f} | {rss:.0f} | {wall / anchor:.2f}x |", flush=True)


if __name__ == "__main__":
    main()
