"""Shared pieces of the benchmarks: where the dev data lives, and the systems compared."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
SHARED_DATA = ROOT.parent / "shared" / "data"
MULTINEWS = SHARED_DATA / "multinews_dev250.jsonl"

from polybrief.cli.common import configure_logging  # noqa: E402
from polybrief.core.document import Cluster  # noqa: E402
from polybrief.core.readers import read_clusters  # noqa: E402
from polybrief.core.sentences import Sentence  # noqa: E402
from polybrief.summarize.algorithms import DEFAULT_METHOD, Budget, Extractor, SentencePool, get_extractor  # noqa: E402

configure_logging()  # one-line warnings, no model-loading progress bars


def load_clusters(path: Path, limit: int | None = None) -> list[Cluster]:
    """The clusters of a JSONL file (third-party data is read in place, never copied)."""
    if not path.exists():
        sys.exit(f"benchmark data not found: {path} (pass --data)")
    clusters = [c for c in read_clusters(path) if isinstance(c, Cluster)]
    return clusters[:limit] if limit else clusters


def make_system(name: str) -> Extractor:
    """A polybrief method by name, or one of the sumy baselines ('sumy-lexrank', 'sumy-textrank')."""
    if name.startswith("sumy-"):
        from sumy_baselines import sumy_lexrank, sumy_textrank

        return {"sumy-lexrank": sumy_lexrank, "sumy-textrank": sumy_textrank}[name]()
    return get_extractor(name)


def selected(system: Extractor, pool: SentencePool, budget: Budget) -> list[Sentence]:
    """The sentences ``system`` picks from ``pool`` within ``budget``: what a briefing method outputs,
    before the briefing layer adds citations (the benchmarks compare selection alone)."""
    return [pool.sentences[i] for i in system.select(pool, budget)]


def base_parser(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--data", type=Path, default=MULTINEWS, help="Multi-News style JSONL")
    parser.add_argument("--limit", type=int, default=None, help="first N clusters only")
    parser.add_argument("--words", type=int, default=250, help="word budget")
    return parser


__all__ = ["DEFAULT_METHOD", "ROOT", "base_parser", "load_clusters", "make_system", "selected"]
