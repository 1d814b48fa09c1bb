"""Shared fixtures: the seed cluster and a small hand-made cluster with a known answer."""
from __future__ import annotations

import os

import tempfile

os.environ["HF_HUB_OFFLINE"] = "1"  # no test may reach a model or dataset hub, before any HF import
# datasets caches a loaded local folder under a key that ignores file contents of equal size: a test
# session gets its own cache so an export of equal-sized parquet never reads back an older one
os.environ["HF_DATASETS_CACHE"] = tempfile.mkdtemp(prefix="polybrief-hf-cache-")

import shutil
from pathlib import Path

import pytest

from summarize.document import Cluster
from summarize.readers import make_document, read_clusters

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seed_cluster() -> Cluster:
    return next(read_clusters(SEEDS))


@pytest.fixture()
def seeds_copy(tmp_path: Path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


# Three short articles about a bridge collapse. The fact all three report is the collapse
# itself; each also has one detail no other article has.
TOY = {
    "a": ("The Harbor Bridge collapsed on Monday morning during rush hour in Portsmouth. "
          "Officials said twelve people were injured in the collapse of the bridge. "
          "The mayor enjoys gardening and painting on weekends with her family."),
    "b": ("Rescue teams searched the river after the Harbor Bridge collapsed on Monday morning. "
          "The bridge collapse injured twelve people, officials said on Monday. "
          "A local bakery announced a new seasonal menu featuring pumpkin bread."),
    "c": ("Engineers had warned for years that the Harbor Bridge could collapse under heavy traffic. "
          "The Harbor Bridge collapsed Monday morning, and twelve people were injured. "
          "The city football team won its third game of the season on Sunday."),
}


@pytest.fixture()
def toy_cluster() -> Cluster:
    docs = [make_document(k, v, language="en") for k, v in TOY.items()]
    return Cluster("toy", docs)


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory) -> dict[str, Path]:
    """Tiny random T5, BART, Marian and GPT-2 (with a chat template) models, saved like downloads."""
    from .tiny_models import build

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    root = tmp_path_factory.mktemp("tiny-models")
    return {kind: build(kind, root / kind, texts, chat=kind == "gpt2") for kind in ("t5", "bart", "marian", "gpt2")}
