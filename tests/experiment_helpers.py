"""Helpers for the experiment tests: a small multi-cluster JSONL built from the seeds, and configs."""
from __future__ import annotations

import json
from pathlib import Path

import yaml

from summarize.readers import read_reference

from .conftest import SEEDS


def seed_clusters_jsonl(path: Path, n: int = 10, planted: str | None = None) -> Path:
    """``n`` clusters, each 3-4 seed articles in a rotating order, all with the seed reference."""
    articles = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    reference = read_reference(SEEDS / "reference.md")
    lines = []
    for k in range(n):
        chosen = [articles[(k + j) % len(articles)] for j in range(3 + k % 2)]
        docs = [{"doc_id": f"{doc_id}-{k}", "text": text} for doc_id, text in chosen]
        if planted and k == 0:
            docs[0]["text"] = planted + "\n" + docs[0]["text"]
        lines.append(json.dumps({"cluster_id": f"c{k:02d}", "documents": docs, "reference_summaries": [reference]}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_config(path: Path, data: Path, out: Path, **extra) -> Path:
    config = {"name": "t", "data": {"path": str(data), "name": "seedmix"},
              "systems": [{"name": "support", "method": "support", "words": 120},
                          {"name": "lead", "method": "lead", "words": 120},
                          {"name": "lexrank", "method": "lexrank", "words": 120}],
              "metrics": ["rouge", "chrf", "bleu"],
              "statistics": {"resamples": 200, "seed": 7, "baseline": "lead"},
              "output": {"dir": str(out)}}
    config.update(extra)
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path
