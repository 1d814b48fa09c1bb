"""Event clustering: a mixed-language pile of two events comes apart into those two events,
Spanish and English reports of each landing together, and the output is what `brief` reads."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from polybrief.summarize.clustering import ClusteringOptions, group_articles

from .conftest import SEEDS, assert_clean_failure, polybrief

DATA = Path(__file__).parent / "data"


@pytest.fixture()
def pile(tmp_path: Path) -> Path:
    """A day's feed: the five seed articles and a Spanish one about Blinken in Kyiv, and an English
    and a Spanish report of an unrelated flood, in one flat folder in no particular order."""
    folder = tmp_path / "feed"
    folder.mkdir()
    for k, path in enumerate(sorted(SEEDS.glob("*.txt"))):
        shutil.copy(path, folder / f"{(k * 7) % 10}_seed{k}.txt")
    shutil.copy(DATA / "blinken_kiev_es.txt", folder / "3_kiev_es.txt")
    shutil.copy(DATA / "flood_valencia_en.txt", folder / "5_flood_en.txt")
    shutil.copy(DATA / "flood_valencia_es.txt", folder / "8_flood_es.txt")
    return folder


@pytest.mark.slow
def test_a_mixed_language_pile_splits_into_its_events(tmp_path, pile):
    out = tmp_path / "events.jsonl"
    result = polybrief("cluster", str(pile), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "8 articles in 2 events (2 with more than one article)" in result.stderr
    clusters = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    events = [{d["doc_id"] for d in c["documents"]} for c in clusters]
    assert events == [{f"{(k * 7) % 10}_seed{k}" for k in range(5)} | {"3_kiev_es"}, {"5_flood_en", "8_flood_es"}]
    languages = {d["doc_id"]: d["language"] for c in clusters for d in c["documents"]}
    assert languages["3_kiev_es"] == languages["8_flood_es"] == "es"
    briefs = polybrief("brief", str(out), "--format", "json")  # cluster, then brief: a day's feed briefed
    assert briefs.returncode == 0, briefs.stderr
    assert [json.loads(line)["cluster_id"] for line in briefs.stdout.splitlines()] == ["event-1", "event-2"]


@pytest.mark.slow
def test_cluster_folders_are_what_brief_reads(tmp_path, pile):
    result = polybrief("cluster", str(pile), "--output-dir", str(tmp_path / "events"))
    assert result.returncode == 0, result.stderr
    folders = sorted(p.name for p in (tmp_path / "events").iterdir())
    assert folders == ["event-1", "event-2"]
    assert len(list((tmp_path / "events" / "event-2").glob("*.txt"))) == 2
    brief = polybrief("brief", str(tmp_path / "events" / "event-2"))
    assert brief.returncode == 0 and brief.stdout.startswith("# Briefing: event-2"), brief.stderr
    every = polybrief("brief", str(tmp_path / "events"))  # the folder of events: one briefing each, in order
    assert every.returncode == 0, every.stderr
    first, second = every.stdout.split("\n---\n\n")
    assert first.startswith("# Briefing: event-1") and second == brief.stdout
    (tmp_path / "events" / "event-3").mkdir()
    (tmp_path / "events" / "event-3" / "a.txt").write_text("Floods hit the coast.", encoding="utf-8")
    (tmp_path / "events" / "event-3" / "cluster.yaml").write_text("- not a mapping\n", encoding="utf-8")
    broken = polybrief("brief", str(tmp_path / "events"))  # one bad folder is named; the others are briefed
    assert broken.returncode == 1 and broken.stdout == every.stdout
    assert "event-3" in broken.stderr and "Traceback" not in broken.stderr


def test_stubs_stay_alone_and_threshold_separates():
    similarity = np.array([[1.0, 0.9, 0.9, 0.1], [0.9, 1.0, 0.9, 0.1], [0.9, 0.9, 1.0, 0.1], [0.1, 0.1, 0.1, 1.0]])
    content = np.array([100, 100, 10, 100])  # article 2 is a stub: it matches, but says nothing
    groups = group_articles(similarity.copy(), content, ClusteringOptions(threshold=0.5, min_content_words=40))
    assert groups == [[0, 1], [2], [3]]
    loose = group_articles(similarity.copy(), content, ClusteringOptions(threshold=1.0, min_content_words=0))
    assert loose == [[0, 1, 2, 3]]


@pytest.mark.parametrize("args, phrase", [
    (["--embedding-weight", "2"], "--embedding-weight must be between 0 and 1"),
    (["--threshold", "0"], "--threshold must be positive"),
    (["--encoder", "nope"], "unknown encoder 'nope'"),
    (["-o", "e.jsonl", "--output-dir", "events"], "not allowed with argument"),
])
def test_bad_options(pile, args, phrase):
    assert_clean_failure(polybrief("cluster", str(pile), *args), phrase)


def test_nothing_to_cluster(tmp_path):
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    assert_clean_failure(polybrief("cluster", str(tmp_path)), "no article with any text in it")
    assert_clean_failure(polybrief("cluster", str(tmp_path / "nope")), "no such file or folder")
