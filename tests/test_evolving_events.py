"""Briefings of stories that moved: dates in and out, latest figures first, conflicts flagged, no repeats."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from polybrief.core.dates import date_in_text, parse_date
from polybrief.core.readers import read_clusters
from polybrief.summarize.algorithms.base import SentencePool, longest_common_run
from polybrief.summarize.briefing import build_briefing
from polybrief.summarize.render import to_markdown

from .conftest import polybrief

DATA = Path(__file__).resolve().parent / "data"
EXPECTED = json.loads((DATA / "evolving_expected.json").read_text(encoding="utf-8"))
TODAY = dt.date(2026, 1, 1)


@pytest.fixture(scope="module")
def evolving() -> dict:
    return {c.cluster_id: c for c in read_clusters(DATA / "evolving_clusters.jsonl")}


@pytest.mark.parametrize("value, date, phrase", [
    ("2024-10-31", dt.date(2024, 10, 31), None),
    ("2024-10-31T08:15:00Z", dt.date(2024, 10, 31), None),
    ("31 Oct 2024", dt.date(2024, 10, 31), None),
    ("October 31, 2024", dt.date(2024, 10, 31), None),
    ("31/10/2024", dt.date(2024, 10, 31), None),
    (dt.date(2024, 10, 31), dt.date(2024, 10, 31), None),
    ("03/04/2024", None, "day/month or month/day"),
    ("last Friday", None, "not a date polybrief can read"),
    (20241031, None, "is a number"),
    (["2024-10-31"], None, "is a list"),
    ("2030-05-01", dt.date(2030, 5, 1), "in the future"),
])
def test_dates_are_read_one_way_or_refused_with_a_note(value, date, phrase):
    got, note = parse_date(value, today=TODAY)
    assert got == date
    assert (note is None) if phrase is None else (phrase in note)


def test_a_dateline_is_read_only_from_the_first_lines():
    assert date_in_text("LIMA, Nov. 6, 2024 (Reuters) - Rescuers said") == dt.date(2024, 11, 6)
    assert date_in_text("No date here.\nNor here.\nNor here.\nBut on 2024-11-06 something happened") is None


def test_dates_from_cluster_yaml_jsonl_and_text_with_notes(tmp_path):
    folder = tmp_path / "storm"
    folder.mkdir()
    (folder / "a.txt").write_text("At least 10 people died in the storm on the coast today.\n")
    (folder / "b.txt").write_text("PORTO, 3 March 2025 - The storm moved north and 14 people died.\n")
    (folder / "c.txt").write_text("The storm weakened over the hills and rain stopped in the evening.\n")
    (folder / "cluster.yaml").write_text("documents:\n  - file: a.txt\n    date: 2025-03-01\n"
                                         "  - file: c.txt\n    date: [2025, 3]\n")
    cluster = next(read_clusters(folder))
    dates = {d.doc_id: d.date for d in cluster.documents}
    assert dates == {"a": dt.date(2025, 3, 1), "b": dt.date(2025, 3, 3), "c": None}
    assert any("article c: date [2025, 3] is a list" in n for n in cluster.notes)
    assert any("read from the text: b" in n for n in cluster.notes)
    assert any("1 of 3 articles have no date" in n for n in cluster.notes)
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"cluster_id": "x", "documents": [
        {"text": "One article about the vote in the city council.", "published": "2025-01-02"},
        {"text": "Another article about the vote in the city council.", "date": 7}]}) + "\n")
    cluster = next(read_clusters(rows))
    assert [d.date for d in cluster.documents] == [dt.date(2025, 1, 2), None]
    assert cluster.to_record()["documents"][0]["date"] == "2025-01-02"


def weekday_rows(path: Path, dates: list[str | None], lead: str) -> Path:
    docs = [{"text": f"Article {k}: the river flooded the valley and crews worked through the night.", "date": d}
            for k, d in enumerate(dates)]
    docs.append({"text": f"{lead} Crews worked through the night in the valley."})
    path.write_text(json.dumps({"cluster_id": "river", "documents": docs}) + "\n")
    return path


def test_on_friday_is_resolved_against_the_other_articles_dates_only_where_one_friday_fits(tmp_path):
    # Thursday 31 Oct and Saturday 2 Nov 2024 are stated: one Friday lies between them
    cluster = next(read_clusters(weekday_rows(tmp_path / "a.jsonl", ["2024-10-31", "2024-11-02"],
                                              "The river burst its banks on Friday, officials said.")))
    undated = cluster.documents[-1]
    assert undated.date == dt.date(2024, 11, 1) and undated.date_from_text
    assert any("dated 2024-11-01 from 'on Friday'" in n for n in cluster.notes)
    # ten days of stated dates hold two Fridays: left undated, with a note
    cluster = next(read_clusters(weekday_rows(tmp_path / "b.jsonl", ["2024-10-28", "2024-11-07"],
                                              "The river burst its banks on Friday, officials said.")))
    assert cluster.documents[-1].date is None
    assert any("do not pin down one Friday" in n for n in cluster.notes)
    # two weekdays named, or nothing stated to resolve against: undated
    for dates, lead in ((["2024-10-31"], "It rained on Thursday and the river burst on Friday."),
                        ([None], "The river burst its banks on Friday.")):
        cluster = next(read_clusters(weekday_rows(tmp_path / "c.jsonl", dates, lead)))
        assert cluster.documents[-1].date is None
    assert not any("on Friday" in n for n in cluster.notes)  # an undated cluster behaves as before: no note


def test_bad_dates_never_stop_a_briefing(tmp_path):
    rows = tmp_path / "rows.jsonl"
    docs = [{"text": f"Officials said {n} people were evacuated from the valley as the river rose. "
                     "Schools were closed and roads were blocked by water.", "date": date}
            for n, date in ((100, "2025-02-30"), (300, ["x"]), (500, "2999-01-01"), (700, None))]
    rows.write_text(json.dumps({"cluster_id": "bad-dates", "documents": docs}) + "\n")
    result = polybrief("brief", str(rows), "--words", "80")
    assert result.returncode == 0, result.stderr
    assert "is in the future" in result.stdout and "is a list" in result.stdout
    assert "not a date polybrief can read" in result.stdout  # 30 February


def test_sources_show_dates_and_bullets_say_when_the_cluster_spans_days(evolving):
    markdown = to_markdown(build_briefing(evolving["quake-ridgeland"]))
    assert "| date |" in markdown and "| 2025-03-02 |" in markdown
    assert "_(reported 5 Mar)_" in markdown.split("\n\n")[1]  # the headline says when it was reported
    same_day = to_markdown(build_briefing(evolving["protest-arrests"]))  # one date: nothing to say
    assert "_(reported" not in same_day


@pytest.mark.parametrize("cluster_id", [k for k, v in EXPECTED.items() if v["latest"]])
def test_the_headline_carries_the_latest_figure_and_says_how_it_changed(evolving, cluster_id):
    want = EXPECTED[cluster_id]
    briefing = build_briefing(evolving[cluster_id])
    assert want["latest"] in briefing.headline.text
    moved = next(f for f in briefing.figures if f.kind == want["what"])
    assert moved.latest.written.endswith(want["latest"])
    assert moved.statements[0].split(" from ")[1].startswith(moved.changes[0].written)
    # no bullet carries a figure the story has moved past
    earlier = [c.written for c in moved.changes[:-1]]
    assert not any(f" {w} " in f" {b.text} " for b in briefing.bullets for w in earlier if w not in want["latest"])


@pytest.mark.parametrize("cluster_id", [k for k, v in EXPECTED.items() if v["conflicts"]])
def test_planted_conflicts_are_flagged_as_structured_fields(evolving, cluster_id):
    briefing = build_briefing(evolving[cluster_id])
    flagged = [{f.written.split()[-1] for f in group} for t in briefing.figures for group in t.conflicts]
    for pair in EXPECTED[cluster_id]["conflicts"]:
        assert set(pair) in flagged
    assert "Reports differ" in to_markdown(briefing)


def test_undated_clusters_only_flag_they_do_not_reorder(evolving):
    briefing = build_briefing(evolving["bus-crash"])
    assert [f.latest for f in briefing.figures] == [None]
    pool = SentencePool(evolving["bus-crash"])
    from polybrief.summarize.algorithms import get_extractor

    assert briefing.headline.text == pool.sentences[get_extractor("support").rank(pool)[0]].text


def test_longest_common_run():
    assert longest_common_run("a b c d e".split(), "x b c d y".split()) == 3
    assert longest_common_run([], ["a"]) == 0


def test_no_bullet_restates_the_headline_or_another_bullet(seed_cluster):
    briefing = build_briefing(seed_cluster)
    pool = SentencePool(seed_cluster)
    index = {s.text: i for i, s in enumerate(pool.sentences)}
    chosen = [index[t] for t in briefing.sentences]
    for k, i in enumerate(chosen[1:], 1):
        assert not pool.restates(i, chosen[:k]), briefing.sentences[k]
    assert not any("is preparing to meet with Russian Foreign Minister" in b.text for b in briefing.bullets)


def test_an_undated_cluster_gets_no_date_notes(seed_cluster):
    """The seed articles say 'on Wednesday' with no date anywhere: nothing to resolve, nothing said."""
    assert not any("on Wednesday" in n or "no date" in n for n in seed_cluster.notes)
    assert all(d.date is None for d in seed_cluster.documents)
