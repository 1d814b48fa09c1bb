"""Figure lines claim nothing the articles don't: one test per false-positive class seen on real news,
the hedge rule, one-article clusters, numbers in words, ranges, and a translated Spanish article."""
from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from polybrief.core.document import Cluster, Document
from polybrief.core.sentences import cluster_sentences
from polybrief.summarize.briefing import build_briefing
from polybrief.summarize.figures import FigureRecord, agree, counts_in, track_figures
from polybrief.summarize.figures.wording import change_statement, conflict_statement
from polybrief.summarize.render import to_markdown


@pytest.fixture(scope="module")
def evolving_clusters() -> dict[str, Cluster]:
    from pathlib import Path

    from polybrief.core.readers import read_clusters

    path = Path(__file__).resolve().parent / "data" / "evolving_clusters.jsonl"
    return {c.cluster_id: c for c in read_clusters(path)}


def values(sentence: str, year: int | None = None) -> list[tuple[str, float]]:
    return [(c.kind, c.value) for c in counts_in(sentence, year)]


@pytest.mark.parametrize("sentence, not_a_count", [
    ("The plane crashed at 10:07 and everyone on board died, officials said.", {10, 7}),  # a clock time
    ("The Boeing 777 went down and everyone on board was killed.", {777}),  # an aircraft model
    ("Officials said flight 17 was shot down and 298 people were killed.", {17}),  # a flight number
    ("A 45-year-old man was killed in the attack on the market.", {45}),  # an age
    ("Police said Glyn Charles, 33, was killed when the boat capsized.", {33}),  # an age after a name
    ("The Khmer Rouge killed as many as 2 million people during its 1975-79 rule.", {2_000_000, 1975}),
    ("More than 14 thousand people have been killed since 2014 in the war.", {14_000, 2014}),  # background
    ("The 2004 tsunami killed people along the coast.", {2004}),  # a year
    ("Police arrested protesters on October 12 after the clashes.", {12}),  # the day of a date
    ("About 40 percent of those arrested were released.", {40}),  # a percentage
    ("Rescuers searched for the three missing yachts overnight.", {3}),  # things, not people
    ("The team won 3-1 although fans were hurt, the club said.", {3, 1}),  # a score
    ("He was the 21st victim killed in the city.", {21}),  # an ordinal
    ("The storm killed $5 million worth of cattle.", {5_000_000}),  # money
    ("Investigators said 300 people were killed in the 1994 war.", {300}),  # a background total
])
def test_numbers_that_count_no_people_are_not_figures(sentence, not_a_count):
    assert not {value for _, value in values(sentence, 2026)} & not_a_count


def test_what_a_count_counts_and_where_is_its_scope():
    dutch, = counts_in("The crash killed 193 Dutch passengers, the ministry said.")
    total, = counts_in("The crash killed 298 people, the ministry said.")
    assert dutch.group == {"dutch", "passengers"} and not total.group
    honduras, = counts_in("Officials said 231 people were killed in Honduras on Friday.")
    assert honduras.names == {"honduras"}
    partitive, = counts_in("The killings of nearly 100 of Ranariddh's supporters were dismissed.")
    assert partitive.group >= {"ranariddh's", "supporters"}


def test_numbers_in_words_ranges_and_scales():
    assert values("Two people were killed and two dozen were injured.") == [("deaths", 2), ("injured", 24)]
    assert values("Between 10-15 people were killed on the road.") == [("deaths", 10)]
    ranged, = counts_in("Between 10-15 people were killed on the road.")
    assert (ranged.low, ranged.high) == (10, 15)
    assert values("Floods forced 1.5 million people to be evacuated.") == [("displaced", 1_500_000)]
    assert values("Hundreds of people were killed.") == []  # vague: never compared


def cluster_of(*articles: tuple[str, str | None], cluster_id: str = "c") -> Cluster:
    return Cluster(cluster_id, [Document(f"d{k}", text, date=dt.date.fromisoformat(day) if day else None)
                                for k, (text, day) in enumerate(articles, 1)])


def tracks_of(cluster: Cluster):
    return track_figures(cluster, [s for s in cluster_sentences(cluster)])


FILLER = " Rescue teams worked through the night in the flooded valley. Roads into the valley stayed closed."


def test_hedges_and_rounding_agree():
    for first, second in (("more than 4,000", "4,447"), ("nearly 300", "298"), ("about 1,000", "1,050")):
        cluster = cluster_of((f"Officials said {first} people died in the floods." + FILLER, "2025-07-10"),
                             (f"Officials said {second} people died in the floods." + FILLER, "2025-07-10"))
        assert not any(t.conflicts for t in tracks_of(cluster)), (first, second)


def test_at_least_then_more_on_a_later_day_is_a_rise_not_a_dispute():
    cluster = cluster_of(("Officials said at least 12 people died in the floods." + FILLER, "2025-07-10"),
                         ("Officials said 15 people died in the floods." + FILLER, "2025-07-11"))
    track, = tracks_of(cluster)
    assert track.latest.value == 15 and not track.conflicts
    assert change_statement(track, False).startswith("The reported death toll rose from at least 12 (10 Jul) to 15")


def test_one_article_alone_never_makes_a_trend_or_a_conflict():
    cluster = cluster_of(("At least 12 people died in the north. Later 30 people died in the south, and 44 people"
                          " died in the capital." + FILLER, "2025-07-10"),
                         ("The river rose again in the valley and schools were closed for the week." + FILLER,
                          "2025-07-12"))
    assert tracks_of(cluster) == []
    assert "differ" not in to_markdown(build_briefing(cluster)) and " rose from " not in to_markdown(
        build_briefing(cluster))


def test_different_scopes_are_different_counts():
    cluster = cluster_of(("The storm killed 231 people in Honduras, officials said." + FILLER, "1998-11-01"),
                         ("The storm killed 57 people in Nicaragua, officials said." + FILLER, "1998-11-01"),
                         ("The storm killed 231 people in Honduras, the government said." + FILLER, "1998-11-02"))
    assert all(not t.conflicts and not t.latest for t in tracks_of(cluster))


def test_a_toll_that_falls_is_a_disagreement_and_a_stale_value_is_not_a_move():
    fall = cluster_of(("Officials said 250 people were killed in the bombing." + FILLER, "1998-11-04"),
                      ("Officials said 224 people were killed in the bombing." + FILLER, "1998-11-05"))
    track, = tracks_of(fall)
    assert track.latest is None and [f.value for f in track.conflicts[0]] == [250, 224]
    assert conflict_statement(track, track.conflicts[0]).endswith("250 [1] (4 Nov) vs 224 [2] (5 Nov).")
    stale = cluster_of(("The attack left 21 people wounded, police said." + FILLER, "1998-11-06"),
                       ("The attack left 24 people wounded, a leaflet said." + FILLER, "1998-11-07"),
                       ("The attack left 21 people wounded, police said again." + FILLER, "1998-11-07"))
    track, = tracks_of(stale)
    assert track.latest is None and {f.value for f in track.conflicts[0]} == {21, 24}


def test_a_fall_after_the_first_report_is_a_disagreement_too():
    cluster = cluster_of(("Officials said 11 people were killed in the bombing." + FILLER, "1998-10-23"),
                         ("Officials said more than 250 people were killed in the bombing." + FILLER, "1998-11-04"),
                         ("Officials said 224 people were killed in the bombing." + FILLER, "1998-11-05"))
    track, = tracks_of(cluster)
    assert track.latest is None and [f.written for f in track.conflicts[0]] == ["more than 250", "224"]


EMBASSIES = (("The bombing in Kenya killed 213 people, officials said in Kenya and Tanzania." + FILLER, "1998-10-23"),
             ("A strike in Afghanistan killed 26 people, officials in Kenya and Tanzania said." + FILLER, "1998-10-25"),
             ("She cited the more than 250 people killed in the attacks on Kenya and Tanzania." + FILLER, "1998-11-04"))


def test_a_total_over_the_storys_places_is_the_unscoped_count():
    cluster = cluster_of(*EMBASSIES, ("The bombings in Kenya and Tanzania killed 224 people." + FILLER, "1998-11-05"))
    conflicts = [[f.value for f in group] for t in tracks_of(cluster) for group in t.conflicts]
    assert conflicts == [[250, 224]]


def test_a_sum_over_places_counted_one_by_one_is_not_the_total():
    tanzania = ("The bombing in Tanzania killed 11 people, officials said." + FILLER, "1998-10-24")
    total = ("The bombings in Kenya and Tanzania killed 224 people." + FILLER, "1998-11-05")
    cluster = cluster_of(*EMBASSIES, tanzania, total)
    assert not any(t.conflicts or t.latest for t in tracks_of(cluster))


def test_one_day_never_makes_a_trend_and_a_trend_steps_once_a_day():
    same_day = cluster_of(("Police said 40 people were arrested at the protest." + FILLER, "2025-05-12"),
                          ("Police said 65 people were arrested at the protest." + FILLER, "2025-05-12"))
    track, = tracks_of(same_day)
    assert track.latest is None and [f.value for f in track.conflicts[0]] == [40, 65]  # they differ, nothing rose
    days = cluster_of(("Officials said at least 12 people died in the floods." + FILLER, "2025-07-10"),
                      ("Officials said 31 people died in the floods." + FILLER, "2025-07-11"),
                      ("Officials said 27 people died in the floods." + FILLER, "2025-07-11"),
                      ("Officials said 44 people died in the floods." + FILLER, "2025-07-14"))
    track, = tracks_of(days)
    assert change_statement(track, False) == ("The reported death toll rose from at least 12 (10 Jul), through 31 "
                                              "(11 Jul), to 44 (14 Jul). [1, 2, 4]")  # not "through 31, 27"
    assert [f.value for f in track.conflicts[0]] == [31, 27]  # that day's disagreement is said on its own


def test_far_apart_values_are_not_called_a_disagreement():
    cluster = cluster_of(("Officials said 26 people were killed in the strike." + FILLER, "1998-11-05"),
                         ("Officials said 224 people were killed in the strike." + FILLER, "1998-11-05"))
    assert not any(t.conflicts for t in tracks_of(cluster))


def test_lines_sit_where_a_reader_expects_them_and_the_rest_is_evidence(evolving_clusters):
    briefing = build_briefing(evolving_clusters["heatwave-deaths"])
    lines = to_markdown(briefing).splitlines()
    headline = next(k for k, line in enumerate(lines) if line.startswith("**"))
    trend = next(k for k, line in enumerate(lines) if " rose from " in line)
    conflict = next(k for k, line in enumerate(lines) if "differ" in line)
    bullets = [k for k, line in enumerate(lines) if line.startswith("- ") and "_" not in line[:3]]
    assert trend == headline + 2 and conflict > max(bullets)
    assert sum(" rose from " in line for line in lines) == 1 and sum("differ" in line for line in lines) == 1
    record = next(f for f in briefing.figures if f.trend)
    assert all(r.sentence and str(int(r.value)) in r.sentence.replace(",", "") for r in record.reports)
    assert FigureRecord.from_dict(json.loads(json.dumps(record.to_dict()))) == record  # one way to and from JSON


def test_no_sentence_cites_an_article_that_gives_another_value_of_its_count(evolving_clusters):
    """A citation says "this article reports it": an article saying 27 died does not report "44 died"."""
    checked = 0
    for cluster in evolving_clusters.values():
        briefing = build_briefing(cluster)
        tracks = tracks_of(cluster)
        for item in [briefing.headline, *briefing.bullets]:
            for count in counts_in(item.text):
                for track in tracks:
                    by_doc = {f.doc_id: f.count for f in track.reports if f.kind == count.kind}
                    if item.doc_id in by_doc and agree(by_doc[item.doc_id], count):
                        checked += 1
                        assert all(agree(by_doc[d], count) for d in item.cited if d in by_doc), (item.text, item.cited)
    assert checked >= 10
    flood = build_briefing(evolving_clusters["flood-marlow"])
    assert "44 people died" in flood.headline.text and len(flood.headline.cited) == 1  # not the article saying 27


def test_the_headline_is_never_lifted_from_far_down_the_ranking(evolving_clusters):
    from polybrief.summarize.algorithms import SentencePool, get_extractor
    from polybrief.summarize.briefing import HEADLINE_CHOICES

    for cluster in evolving_clusters.values():
        pool = SentencePool(cluster)
        top = [pool.sentences[i].text for i in get_extractor("support").rank(pool)[:HEADLINE_CHOICES]]
        assert build_briefing(cluster).headline.text in top


@pytest.mark.skipif(not shutil.which("apertium"), reason="Apertium is not installed (make system-deps)")
def test_a_translated_spanish_article_gives_its_figure():
    from polybrief.summarize.translate import get_translator

    english = get_translator("apertium").translate_texts(
        ["Al menos 12 personas murieron en las inundaciones del martes."], "es", "en")[0]
    assert [(c.kind, c.value) for c in counts_in(str(english))] == [("deaths", 12)]


@pytest.mark.parametrize("first, second, line", [
    ("at least 12 people died in the floods", "15 people died in the floods",
     "El número de muertos informado subió de al menos 12 (10 jul) a 15 (11 jul). [1, 2]"),
    ("about 2,000 people were evacuated", "14,000 people were evacuated",  # thousands grouped the Spanish way
     "El número de evacuados o desplazados informado subió de unos 2.000 (10 jul) a 14.000 (11 jul). [1, 2]"),
])
def test_spanish_figure_lines(first, second, line):
    cluster = cluster_of((f"Officials said {first}." + FILLER, "2025-07-10"),
                         (f"Officials said {second}." + FILLER, "2025-07-11"))
    track, = tracks_of(cluster)
    assert change_statement(track, False, "es") == line


class EchoTranslator:
    """A translator that returns its input: enough to see what the briefing writes itself."""

    name = "echo"

    def supports(self, source: str, target: str) -> bool:
        return True

    def translate_texts(self, texts, source, target):
        return list(texts)


def test_a_spanish_briefing_says_its_figure_lines_and_headings_in_spanish(evolving_clusters):
    from polybrief.summarize.multilingual import translate_briefing

    cluster = evolving_clusters["heatwave-deaths"]
    markdown = to_markdown(translate_briefing(build_briefing(cluster), cluster, "es", EchoTranslator()))
    assert "El número de muertos informado subió de 30 (18 jun)" in markdown
    assert "Las fuentes difieren sobre el número de muertos informado (20 jun): 85 [2] vs 92 [3]." in markdown
    assert "## Fuentes" in markdown and "_(publicado 25 jun)_" in markdown and "Reports differ" not in markdown
