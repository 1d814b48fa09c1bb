"""The briefing of the seed cluster: real sentences, citations, no repeats, sources."""
from __future__ import annotations

import json

import pytest

from polybrief.core.cleaning import normalize_text
from polybrief.core.markdown import inert
from polybrief.summarize.briefing import build_briefing
from polybrief.summarize.render import to_json, to_markdown

from .conftest import SEEDS


def bigrams(text: str) -> set[tuple[str, str]]:
    words = text.lower().split()
    return set(zip(words, words[1:]))


@pytest.fixture(scope="module")
def briefing(seed_cluster):
    return build_briefing(seed_cluster)


def test_every_sentence_is_quoted_from_the_seeds(briefing):
    corpus = " ".join(seed_text_of(p) for p in SEEDS.glob("*.txt"))
    for sentence in briefing.sentences:
        assert " ".join(sentence.split()) in corpus


def seed_text_of(path) -> str:
    return " ".join(normalize_text(path.read_text(encoding="utf-8")).split())


def test_shape_and_citations(briefing, seed_cluster):
    assert 3 <= len(briefing.bullets) <= 5
    ids = {d.doc_id for d in seed_cluster.documents}
    for item in [briefing.headline, *briefing.bullets]:
        assert item.cited[0] == item.doc_id and set(item.cited) <= ids
    assert any(len(item.cited) > 1 for item in briefing.bullets), "no bullet is cross-cited"
    assert [s.doc_id for s in briefing.sources] == [d.doc_id for d in seed_cluster.documents]
    assert [s.machine_translated for s in briefing.sources] == [False, True, False, False, False]


def test_no_bullet_repeats_another(briefing):
    grams = [bigrams(s) for s in briefing.sentences]
    for i in range(len(grams)):
        for j in range(i):
            assert len(grams[i] & grams[j]) / min(len(grams[i]), len(grams[j])) < 0.4


def test_bullets_follow_the_articles_order(briefing, seed_cluster):
    from polybrief.core.sentences import cluster_sentences

    relative = {s.text: s.relative_position for s in cluster_sentences(seed_cluster)}
    positions = [relative[b.text] for b in briefing.bullets]
    assert positions == sorted(positions)


def test_markdown_and_json(briefing):
    md = to_markdown(briefing)
    assert md.startswith("# Briefing: mn-1 (general)")
    statements = [s for figure in briefing.figures for s in (figure.trend, figure.conflict) if s]
    assert md.count("\n- ") == len(briefing.bullets) + len(statements) and "## Sources" in md
    assert all(f"- _{line}_" in md for line in statements)
    assert "| 2 | 001_c2ff69d04b4610b3 |" in md and "yes (from es)" in md
    data = json.loads(to_json(briefing))
    assert data["headline"]["text"] == briefing.headline.text and len(data["sources"]) == 5


def test_article_html_is_inert():
    assert inert('<script>alert("x")</script> a|b') == '&lt;script&gt;alert("x")&lt;/script&gt; a\\|b'
