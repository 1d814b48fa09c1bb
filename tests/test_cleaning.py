"""Cleaning on the seeds' real boilerplate and on made-up scraped text."""
from __future__ import annotations

from polybrief.core.cleaning import clean_lines, guess_title, is_boilerplate, normalize_text


def test_seed_boilerplate_is_removed(seed_cluster):
    text = {d.doc_id: d.text for d in seed_cluster.documents}
    assert "mn-1-general" not in text["000_31bf641b0229faed"]
    assert "Post a Comment" not in text["004_dad89e80a77f07e4"]
    assert "cookies" not in text["003_2530f243ba4f3140"]
    assert "\n.\n" not in "\n" + text["000_31bf641b0229faed"] + "\n"


def test_raw_text_is_kept(seed_cluster):
    doc = seed_cluster.document("000_31bf641b0229faed")
    assert doc.raw_text.rstrip().endswith("mn-1-general")


def test_repeated_captions_are_dropped_but_the_sentence_stays(seed_cluster):
    text = seed_cluster.document("004_dad89e80a77f07e4").text
    lines = text.split("\n")
    sentence = "Blinken spoke to his Russian counterpart Sergey Lavrov today and stressed"
    assert sum(line.startswith(sentence) for line in lines) == 1
    assert "(pictured" not in text and not any(line.startswith("Pictured:") for line in lines)
    drills = "This 'combat training' in Russia's Western military district"
    assert sum(line.startswith(drills) for line in lines) == 1


def test_broken_machine_translated_lines_are_rejoined(seed_cluster):
    text = seed_cluster.document("001_c2ff69d04b4610b3").text
    assert "left Russia two weeks." in text
    assert "missiles nearby." in text


def test_quotes_and_whitespace_are_normalised():
    assert normalize_text("\u201cHi\u201d,\u00a0she  said \u2018no\u2019\u200b") == "\"Hi\", she said 'no'"
    assert normalize_text("a\tb\x07c") == "a b c"


def test_made_up_scrape():
    raw = ("Storm Hits Coast\n\nWe use cookies to improve your experience. Accept cookies\n"
           "A storm hit the coast on Monday, officials said.\nAdvertisement\n<div>Share this article</div>\n"
           "Post a Comment\nmn-7-world\n")
    lines = clean_lines(raw)
    assert lines == ["Storm Hits Coast", "A storm hit the coast on Monday, officials said."]
    assert guess_title(lines) == "Storm Hits Coast"
    assert "cookies" not in "\n".join(lines)


def test_boilerplate_patterns_leave_prose_alone():
    assert is_boilerplate("Advertisement")
    assert is_boilerplate("Read more: the ten best beaches")
    assert not is_boilerplate("The company said it would share more details about cookies next week.")
    assert not is_boilerplate("Officials said more troops would arrive.")
