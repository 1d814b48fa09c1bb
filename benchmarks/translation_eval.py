"""A whole WMT23 dev pair, every system: BLEU + chrF with 1,000-resample intervals and significance,
end to end through `polybrief run`, against sacreBLEU's command line doing less
(`sacrebleu REF -i SYS1 SYS2 ... -m bleu chrf --paired-bs`, which tests each system only against
the first, where polybrief tests every pair). Both measured in this run: wall time with start-up
(median of --repeats runs, nothing else running), and in one more run the peak resident memory of
each command's whole process tree (sampled every 20 ms; the sampler reads /proc, so that run is not
timed: on two cores it would slow the command that uses both more than the one that uses one).

    python benchmarks/translation_eval.py                 # every dev pair
    python benchmarks/translation_eval.py --pairs ja-en   # one
    python benchmarks/translation_eval.py --startup       # also: `polybrief score` start-up vs sacrebleu's
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
WMT23 = ROOT.parent / "shared" / "data" / "wmt23"
BIN = Path(sys.executable).parent


def wall(command: list[str]) -> float:
    """Wall seconds of one run of a command, start-up included."""
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr.decode(errors='replace')[-2000:]}")
    return time.perf_counter() - start


def timed(commands: list[list[str]]) -> tuple[float, float]:
    """(median wall seconds over all runs but the last, peak MiB of the process tree in the last, sampled)."""
    times = sorted(wall(command) for command in commands[:-1])
    return times[len(times) // 2], measure(commands[-1])[1]


def measure(command: list[str], cwd: Path | None = None) -> tuple[float, float, str]:
    """(wall seconds, peak MiB summed over the process tree, stderr tail) of one command."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd)
    peak = 0
    handle = psutil.Process(proc.pid)
    while proc.poll() is None:
        try:
            tree = [handle, *handle.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.02)
    wall = time.perf_counter() - start
    stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(command)}\n{stderr[-2000:]}")
    return wall, peak / 2**20, stderr[-500:]


def pair_row(pair: str, out: Path, repeats: int) -> dict[str, float | str | int]:
    folder = WMT23 / pair
    refs = sorted(folder.glob("reference.*"))
    systems = sorted((folder / "systems").iterdir())
    segments = sum(1 for _ in (folder / next(folder.glob("source.*")).name).open(encoding="utf-8"))
    anchor = timed([[str(BIN / "sacrebleu"), *map(str, refs), "-i", *map(str, systems), "-m", "bleu", "chrf",
                     "--paired-bs", "-f", "text"]] * (repeats + 1))
    # a fresh output folder each run: a second run into the same folder would only resume (nothing to do)
    ours = timed([[str(BIN / "polybrief"), "run", str(ROOT / "configs" / "wmt23.yaml"), "--set", f"data.path={folder}",
                   "--set", f"output.dir={out / pair / str(k)}"] for k in range(repeats + 1)])
    return {"pair": pair, "segments": segments, "systems": len(systems), "refs": len(refs),
            "sacrebleu_s": anchor[0], "sacrebleu_mib": anchor[1], "polybrief_s": ours[0], "polybrief_mib": ours[1],
            "pairs_tested_sacrebleu": len(systems) - 1, "pairs_tested_polybrief": len(systems) * (len(systems) - 1) // 2}


def startup_row(tmp: Path) -> tuple[float, float]:
    """Median wall time of 5 calls on a one-line file: polybrief score vs sacrebleu, lexical metrics."""
    (tmp / "hyp.txt").write_text("The cat sat on the mat.\n", encoding="utf-8")
    (tmp / "ref.txt").write_text("The cat is on the mat.\n", encoding="utf-8")
    ours = [str(BIN / "polybrief"), "score", "--hyp", str(tmp / "hyp.txt"), "--ref", str(tmp / "ref.txt"),
            "--metrics", "bleu,chrf,ter,rouge"]
    anchor = [str(BIN / "sacrebleu"), str(tmp / "ref.txt"), "-i", str(tmp / "hyp.txt"), "-m", "bleu", "chrf", "ter"]
    times = {name: sorted(measure(cmd)[0] for _ in range(5))[2] for name, cmd in (("ours", ours), ("anchor", anchor))}
    return times["ours"], times["anchor"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", default="en-de,ja-en,he-en")
    parser.add_argument("--startup", action="store_true")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each command (median reported)")
    args = parser.parse_args()
    if not WMT23.is_dir():
        sys.exit(f"benchmark data not found: {WMT23}")
    tmp = Path(tempfile.mkdtemp(prefix="polybrief-bench-"))
    try:
        print("| pair | segments x systems | refs | sacrebleu --paired-bs s | polybrief run s | speed ratio | "
              "peak MiB sacrebleu | peak MiB polybrief | pairs tested (sacrebleu / polybrief) |")
        print("|---|---|---|---|---|---|---|---|---|")
        for pair in args.pairs.split(","):
            r = pair_row(pair, tmp, args.repeats)
            print(f"| {r['pair']} | {r['segments']} x {r['systems']} | {r['refs']} | {r['sacrebleu_s']:.2f} | "
                  f"{r['polybrief_s']:.2f} | {r['sacrebleu_s'] / r['polybrief_s']:.2f}x | {r['sacrebleu_mib']:.0f} | "
                  f"{r['polybrief_mib']:.0f} | {r['pairs_tested_sacrebleu']} / {r['pairs_tested_polybrief']} |")
        if args.startup:
            ours, anchor = startup_row(tmp)
            print(f"\nstart-up, one-line file, lexical metrics (median of 5): polybrief score {ours:.2f} s, "
                  f"sacrebleu {anchor:.2f} s, difference {ours - anchor:+.2f} s")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
