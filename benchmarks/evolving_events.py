"""Evolving events: does the headline carry the latest figure, and are planted conflicts flagged?

    python benchmarks/evolving_events.py [--data tests/data/evolving_clusters.jsonl]

Ten dated clusters the team wrote (tests/data/evolving_clusters.jsonl), with the expected latest
figure and the conflicting reports written down beside them (evolving_expected.json) before the
figure tracking existed. For each cluster the default briefing (``support``, default budget) is
rendered as Markdown, as a reader sees it; the headline "carries the latest figure" when the
expected number is in it, and a planted conflict is "flagged" when one line of the briefing says
reports differ and names both values.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from polybrief.core.readers import read_clusters
from polybrief.summarize.briefing import build_briefing
from polybrief.summarize.render import to_markdown

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "evolving_clusters.jsonl"


def flagged(markdown: str, values: list[str]) -> bool:
    return any("differ" in line and all(v in line for v in values) for line in markdown.splitlines())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(DATA))
    args = parser.parse_args()
    expected = json.loads(Path(args.data).with_name("evolving_expected.json").read_text(encoding="utf-8"))
    latest_hits = latest_total = conflict_hits = conflict_total = 0
    print("| cluster | expected latest | headline carries it | conflicts flagged |\n|---|---|---|---|")
    for cluster in read_clusters(args.data):
        want = expected[cluster.cluster_id]
        briefing = build_briefing(cluster)
        markdown = to_markdown(briefing)
        headline = markdown.split("**")[1]
        carries = bool(want["latest"]) and want["latest"] in headline
        latest_total += bool(want["latest"])
        latest_hits += carries
        flags = [flagged(markdown, pair) for pair in want["conflicts"]]
        conflict_total += len(flags)
        conflict_hits += sum(flags)
        print(f"| {cluster.cluster_id} | {want['latest'] or '-'} | {'yes' if carries else 'no' if want['latest'] else '-'}"
              f" | {sum(flags)}/{len(flags)} |")
    print(f"\nheadline carries the latest figure: {latest_hits}/{latest_total}; "
          f"planted conflicts flagged: {conflict_hits}/{conflict_total}")


if __name__ == "__main__":
    main()
