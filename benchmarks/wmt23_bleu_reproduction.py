"""polybrief's BLEU (and chrF) on the WMT23 dev pairs against the organisers' official scores.

Runs ``configs/wmt23.yaml`` on each pair folder under ../shared/data/wmt23 (third-party data, read in
place, never copied into the repository) the way the README tells a user to reproduce the official
table: reference A only (the organisers' "bleu-all" equals their "bleu-refA": reference B of he-en is
not in it) and the official tokenizer, which for a Japanese target is ``char`` rather than
polybrief's default ja-mecab. Intervals and pairwise tests are switched off: they change no score.
Prints, per pair and system, polybrief's number, the official one and their difference, then the
largest absolute difference per metric, with the signature that names the tokenizer used.

    python benchmarks/wmt23_bleu_reproduction.py [--data ../shared/data/wmt23]
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import tempfile
from pathlib import Path

from common import ROOT, SHARED_DATA

from polybrief.cli import main as polybrief

CONFIG = ROOT / "configs" / "wmt23.yaml"
OFFICIAL_TOKENIZE = {"ja": "char"}  # WMT23's BLEU for a Japanese target; every other target: sacreBLEU's default
METRICS = {"bleu": "bleu-refA", "chrf": "chrf-refA"}  # polybrief metric -> official column


def overrides(pair_dir: Path, target: str, out: Path) -> list[str]:
    """The ``--set`` lines that make configs/wmt23.yaml compute the official table."""
    tokenize = OFFICIAL_TOKENIZE.get(target)
    bleu = f"bleu:tokenize={tokenize}" if tokenize else "bleu"
    return [f"data.path={pair_dir}", "data.references=[A]", f"metrics=[{bleu}, chrf]",
            "statistics.resamples=0", "statistics.pairwise=false", f"output.dir={out}"]


def official(pair_dir: Path) -> dict[tuple[str, str], float]:
    with (pair_dir / "official_automatic_scores.tsv").open(encoding="utf-8") as handle:
        return {(row["system"], row["metric"]): float(row["score"]) for row in csv.DictReader(handle, delimiter="\t")}


def ours(pair_dir: Path, target: str) -> dict[str, dict]:
    """Per system, per metric: (score, signature), from a real ``polybrief run`` of the config."""
    with tempfile.TemporaryDirectory() as out:
        args = ["run", str(CONFIG)] + [a for o in overrides(pair_dir, target, Path(out)) for a in ("--set", o)]
        with contextlib.redirect_stdout(io.StringIO()):
            code = polybrief(args)
        if code:
            raise SystemExit(f"polybrief run failed on {pair_dir} (exit {code})")
        results = json.loads(next(Path(out).glob("*/*/results.json")).read_text(encoding="utf-8"))
    return {system: {m: (entry["metrics"][m]["scores"]["score"]["score"], entry["metrics"][m]["signature"])
                     for m in METRICS} for system, entry in results["systems"].items()}


def report(pair_dir: Path) -> dict[str, float]:
    """Print one pair's table; return the largest absolute difference per metric."""
    target = pair_dir.name.split("-")[1]
    theirs, scored = official(pair_dir), ours(pair_dir, target)
    worst = dict.fromkeys(METRICS, 0.0)
    print(f"\n## {pair_dir.name}  (--set {' --set '.join(overrides(pair_dir, target, Path('OUT'))[:3])})\n")
    print("| system | polybrief BLEU | official BLEU | diff | polybrief chrF | official chrF | diff |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for system in sorted(scored):
        cells = []
        for metric, column in METRICS.items():
            mine, expected = scored[system][metric][0], theirs[(system, column)]
            worst[metric] = max(worst[metric], abs(mine - expected))
            cells += [f"{mine:.4f}", f"{expected:.4f}", f"{mine - expected:+.1e}"]
        print(f"| {system} | {' | '.join(cells)} |")
    for metric in METRICS:
        print(f"\n{pair_dir.name} {metric}: max |diff| = {worst[metric]:.3g}; "
              f"signature {next(iter(scored.values()))[metric][1]}")
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED_DATA / "wmt23", help="folder of WMT23 pair folders")
    args = parser.parse_args()
    pairs = sorted(p for p in args.data.glob("*-*") if (p / "official_automatic_scores.tsv").exists())
    if not pairs:
        raise SystemExit(f"no WMT23 pair folders with official_automatic_scores.tsv in {args.data}")
    worst = [report(p) for p in pairs]
    print("\nall pairs: " + ", ".join(f"{m} max |diff| = {max(w[m] for w in worst):.3g}" for m in METRICS))


if __name__ == "__main__":
    main()
