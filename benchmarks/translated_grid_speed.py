"""A grid of methods over clusters with Spanish articles: Apertium calls and time, with and without the memo.

    python benchmarks/translated_grid_speed.py [--methods support,lead,lexrank] [--repeat 2]

Every method briefs every cluster, and a briefing translates its cluster's Spanish articles first; the
memo of Apertium calls (``summarize/translate/apertium.py``) translates each cluster once for the whole
grid. The anchor is the same run with the memo taken away, in its own fresh process; both must write the
same briefings. The clusters are the mixed-language sample feed's three events (docs/examples/feed), each
Spanish article beside the English articles of its event; time is the best of --repeat runs.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
FEED = ROOT / "docs" / "examples" / "feed"
EVENTS = {"library": ["demo_library_en", "demo_library_es"], "flood": ["flood_en", "flood_es"],
          "kiev": ["kiev_es", *(p.stem for p in sorted(FEED.glob("seed_*.txt")))]}


def write_run(folder: Path, methods: list[str]) -> Path:
    """The clusters as JSONL and a config with one system per method."""
    rows = [{"cluster_id": name, "documents": [{"doc_id": d, "text": (FEED / f"{d}.txt").read_text(encoding="utf-8")}
                                               for d in docs]} for name, docs in EVENTS.items()]
    data = folder / "clusters.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    config = {"name": "grid", "data": {"path": str(data)}, "metrics": ["chrf"],  # no references: nothing is scored, only briefed
              "systems": [{"name": m, "method": m, "words": 120} for m in methods],
              "statistics": {"resamples": 0}, "output": {"dir": str(folder / "out")}}
    path = folder / "grid.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def child(config: str, memo: bool) -> None:
    """One run in this process: Apertium calls, seconds and the briefings, as JSON."""
    import polybrief
    from polybrief.summarize.translate import apertium

    if not memo:
        apertium._apertium = apertium._apertium.__wrapped__
    calls, run = [0], subprocess.run

    def counted(*args, **kwargs):
        calls[0] += args[0][:1] == ["apertium"]
        return run(*args, **kwargs)

    subprocess.run = counted
    start = time.perf_counter()
    record = polybrief.run(config, output__dir=str(Path(config).parent / f"out-{memo}-{time.time_ns()}"))
    seconds = time.perf_counter() - start
    predictions = (record.folder / "predictions.jsonl").read_text(encoding="utf-8").splitlines()
    briefings = sorted((r["system"], r["cluster_id"], r["briefing"]) for r in map(json.loads, predictions))
    print(json.dumps({"calls": calls[0], "seconds": seconds, "briefings": briefings}))


def measure(config: Path, memo: bool) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", str(config), *(["--memo"] if memo else [])],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--methods", default="support,lead,lexrank")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--memo", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.memo)
    with tempfile.TemporaryDirectory() as tmp:
        config = write_run(Path(tmp), args.methods.split(","))
        runs = {memo: [measure(config, memo) for _ in range(args.repeat)] for memo in (False, True)}
    best = {memo: min(r["seconds"] for r in rows) for memo, rows in runs.items()}
    same = all(r["briefings"] == runs[False][0]["briefings"] for rows in runs.values() for r in rows)
    print(f"{len(EVENTS)} clusters x {len(args.methods.split(','))} methods, best of {args.repeat}\n")
    print("| Apertium memo | calls | seconds |\n|---|---|---|")
    for memo in (False, True):
        print(f"| {'on' if memo else 'off (anchor)'} | {runs[memo][0]['calls']} | {best[memo]:.1f} |")
    print(f"\nspeed ratio memo / anchor: {best[False] / best[True]:.2f}x; same briefings: {same}")


if __name__ == "__main__":
    main()
