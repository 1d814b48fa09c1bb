"""Precision and recall of the figure lines briefings print, on real news labelled by reading.

    python benchmarks/figure_claims.py [--methods support,lexrank] [--datasets duc2004,multinews] [--dump new.jsonl]

Every extractive method briefs every cluster of the DUC 2004 dev clusters (real dated AP/NYT wire,
one story over days) and of the Multi-News dev clusters; a "figure line" is a trend or conflict
statement that the rendered Markdown shows (what the JSON ``figures`` keeps without printing is
evidence, not a claim). Each distinct line was labelled correct or not by reading its cluster
(benchmarks/data/figure_labels.jsonl); precision counts every printed line, over all briefings.
Recall: the true moves and conflicts found by reading the 25 DUC clusters in full, before any
tuning (benchmarks/data/duc_figure_truth.jsonl), each found when some briefing of its cluster
prints a line of its kind whose values are all among the values the articles gave. Lines with no
label are counted and listed with --dump (to be labelled, never guessed). Dev numbers: the rules
were written while reading these clusters. Prints, never asserts.
"""
from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

from common import SHARED_DATA, load_clusters

from polybrief.summarize.briefing import build_briefing
from polybrief.summarize.render import to_markdown

HERE = Path(__file__).resolve().parent / "data"
DATASETS = {"duc2004": SHARED_DATA / "duc2004_dev25.jsonl", "multinews": SHARED_DATA / "multinews_dev250.jsonl"}
METHODS = "support,lexrank"  # the default method and the graph baseline: two briefings a cluster
NUMBER = re.compile(r"\d[\d,.]*")
KIND_WORDS = {"deaths": "death", "injured": "injured", "missing": "missing", "displaced": "displaced",
              "arrested": "arrested"}


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def printed_figure_lines(briefing) -> list[str]:
    """The figure statements the Markdown shows (the renderer italicises and escapes them)."""
    markdown = to_markdown(briefing)
    statements = [s for f in briefing.figures for s in f.statements]
    return [s for s in dict.fromkeys(statements) if s.replace("<", "&lt;").replace(">", "&gt;") in markdown]


def values_of(line: str) -> set[float]:
    """The numbers a line states, without citation brackets or dates."""
    body = re.sub(r"\[[\d, ]+\]|\(\d{1,2} \w{3}(?: \d{4})?\)", " ", line)
    return {float(n.replace(",", "").rstrip(".")) for n in NUMBER.findall(body) if n.replace(",", "").rstrip(".")}


def found(truth: dict, lines: list[str]) -> bool:
    """Whether a printed line names this true story's kind and only values its articles gave."""
    allowed = {float(v["value"]) for v in truth["values"]}
    word = KIND_WORDS[truth["kind"]]
    return any(word in line.lower() and values_of(line) and values_of(line) <= allowed for line in lines)


def true_line_bound(truth: list[dict]) -> int:
    """How many correct lines one method could print over the DUC clusters: one trend line for each
    cluster with a true move and one conflict line for each with a true conflict, never more."""
    return len({(t["cluster_id"], t["type"]) for t in truth})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--methods", default=METHODS)
    parser.add_argument("--dump", type=Path, default=None, help="write unlabelled printed lines here")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--datasets", default=",".join(DATASETS), help="which of: " + ", ".join(DATASETS))
    args = parser.parse_args()
    labels = {(r["dataset"], r["cluster_id"], r["line"]): r for r in read_jsonl(HERE / "figure_labels.jsonl")}
    truth = [t for t in read_jsonl(HERE / "duc_figure_truth.jsonl") if t["type"] in ("move", "conflict")]
    counts: Counter = Counter()
    unlabelled: dict[tuple, dict] = {}
    printed: dict[str, list[str]] = {}
    chosen = {name: DATASETS[name] for name in args.datasets.split(",")}
    for dataset, path in chosen.items():
        for cluster in load_clusters(path, args.limit):
            for method in args.methods.split(","):
                lines = printed_figure_lines(build_briefing(cluster, method=method))
                counts[dataset, "briefings"] += 1
                counts[dataset, "with lines"] += bool(lines)
                printed.setdefault(cluster.cluster_id, []).extend(lines)
                for line in lines:
                    label = labels.get((dataset, cluster.cluster_id, line))
                    counts[dataset, "lines"] += 1
                    if label is None:
                        counts[dataset, "unlabelled"] += 1
                        unlabelled[dataset, cluster.cluster_id, line] = {
                            "dataset": dataset, "cluster_id": cluster.cluster_id, "line": line}
                    else:
                        counts[dataset, "correct"] += bool(label["correct"])
    print(f"methods: {args.methods}\n")
    print("| data | briefings | with a figure line | lines printed | labelled correct | unlabelled | precision |")
    print("|---|---|---|---|---|---|---|")
    for dataset in chosen:
        labelled = counts[dataset, "lines"] - counts[dataset, "unlabelled"]
        precision = f"{counts[dataset, 'correct'] / labelled:.1%}" if labelled else "n/a"
        print(f"| {dataset} | {counts[dataset, 'briefings']} | {counts[dataset, 'with lines']} | "
              f"{counts[dataset, 'lines']} | {counts[dataset, 'correct']} | {counts[dataset, 'unlabelled']} | "
              f"{precision} |")
    for kind in ("move", "conflict"):
        stories = [t for t in truth if t["type"] == kind]
        hits = [t for t in stories if found(t, printed.get(t["cluster_id"], []))]
        print(f"\nDUC true {kind}s found: {len(hits)} of {len(stories)}"
              + "".join(f"\n- {'found' if t in hits else 'missed'}: {t['cluster_id']} {t['kind']}, {t['scope']}"
                        for t in stories))
    if "duc2004" in chosen:
        print(f"\nMost correct DUC lines the truth allows: {true_line_bound(truth)} per method "
              f"({true_line_bound(truth) * len(args.methods.split(','))} for these methods), since a briefing "
              "prints at most one trend and one conflict line")
    if args.dump:
        args.dump.write_text("".join(json.dumps(r) + "\n" for r in unlabelled.values()), encoding="utf-8")
        print(f"\n{len(unlabelled)} distinct unlabelled lines written to {args.dump}")


if __name__ == "__main__":
    main()
