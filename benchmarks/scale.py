"""Throughput and peak memory of `polybrief run` at 1k, 10k and 100k clusters, local and Ray.

    python benchmarks/scale.py [--data ../shared/data/multinews_dev250.jsonl] [--sizes 1000,10000,100000]

Synthesises N clusters by resampling the dev clusters' documents (2-3 per cluster, seeded),
writes them as JSONL, and runs one system (support, 250 words) scored with ROUGE and a
1,000-resample interval, once per backend, each run in a fresh process. Peak memory is the
largest summed RSS seen over the run's whole process tree (and, for Ray, its worker
processes), sampled every 0.2 s. Prints clusters/s and peak RSS, with ratios to the smallest N.
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import yaml
from common import MULTINEWS

RAY_NAMES = ("ray::", "raylet", "gcs_server", "default_worker")


def synthesise(source: Path, n: int, target: Path, seed: int = 0) -> None:
    docs = [d["text"] for line in source.open(encoding="utf-8") for d in json.loads(line)["documents"]]
    refs = [json.loads(line)["reference_summaries"][0] for line in source.open(encoding="utf-8")]
    rng = random.Random(seed)
    with target.open("w", encoding="utf-8") as out:
        for k in range(n):
            chosen = rng.sample(range(len(docs)), rng.choice((2, 3)))
            out.write(json.dumps({"cluster_id": f"s{k:06d}", "documents": [
                {"doc_id": f"s{k:06d}-{j}", "text": docs[i], "language": "en"} for j, i in enumerate(chosen)],
                "reference_summaries": [refs[rng.randrange(len(refs))]]}) + "\n")


def tree_rss(proc: psutil.Process, ray: bool) -> int:
    members = [proc]
    try:
        members += proc.children(recursive=True)
    except psutil.Error:
        pass
    if ray:
        for p in psutil.process_iter(["cmdline", "name"]):
            text = " ".join(p.info.get("cmdline") or []) + (p.info.get("name") or "")
            if any(name in text for name in RAY_NAMES) and p not in members:
                members.append(p)
    total = 0
    for p in members:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def run_once(data: Path, out: Path, backend: str) -> tuple[float, int]:
    config = {"name": "scale", "data": {"path": str(data), "name": data.stem},
              "systems": [{"name": "support", "method": "support", "words": 250}],
              "metrics": ["rouge"], "statistics": {"resamples": 1000, "seed": 1},
              "output": {"dir": str(out)}, "backend": {"name": backend, "workers": 2}}
    path = out / f"{backend}.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    start = time.perf_counter()
    proc = psutil.Popen([sys.executable, "-m", "polybrief", "run", str(path)], stdout=subprocess.DEVNULL,
                        stderr=subprocess.PIPE)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(proc, backend == "ray"))
        time.sleep(0.2)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"run failed: {proc.stderr.read().decode()[-2000:]}")
    if backend == "ray":
        subprocess.run([str(Path(sys.executable).parent / "ray"), "stop", "--force"], capture_output=True)
    return seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=MULTINEWS)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--backends", default="local,ray")
    parser.add_argument("--ray-sizes", default=None, help="sizes to run on Ray (default: all)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            data = Path(tmp) / f"synthetic-{n}.jsonl"
            synthesise(args.data, n, data)
            for backend in args.backends.split(","):
                if backend == "ray" and args.ray_sizes and str(n) not in args.ray_sizes.split(","):
                    continue
                out = Path(tmp) / f"out-{backend}-{n}"
                out.mkdir()
                seconds, peak = run_once(data, out, backend)
                rows.append((backend, n, seconds, peak))
                print(f"{backend} {n}: {n / seconds:.1f} clusters/s, peak {peak / 2**20:.0f} MiB", flush=True)
            data.unlink()
    print("\n| backend | clusters | seconds | clusters/s | peak RSS (MiB) | peak vs smallest N |")
    print("|---|---|---|---|---|---|")
    for backend, n, seconds, peak in rows:
        base = next(p for b, m, _, p in rows if b == backend and m == sizes[0])
        print(f"| {backend} | {n} | {seconds:.0f} | {n / seconds:.1f} | {peak / 2**20:.0f} | {peak / base:.2f}x |")


if __name__ == "__main__":
    main()
