"""Sentence splitting and language id for English, Spanish and Turkish, offline."""
from __future__ import annotations

from polybrief.core.langid import detect_language
from polybrief.core.sentences import cluster_sentences, split_sentences


def test_spanish_abbreviations_do_not_split():
    text = "El Sr. García habló con la Dra. López en Madrid. Después se fueron. ¿Qué pasó? Nada."
    assert split_sentences(text, "es") == [
        "El Sr. García habló con la Dra. López en Madrid.", "Después se fueron.", "¿Qué pasó?", "Nada."]


def test_an_initialism_sentencex_lacks_does_not_cut_a_sentence():
    """Apertium keeps English 'p.m.' in Spanish, where sentencex ends a sentence at it: a briefing quoted
    '... abierto hasta que 10 p.m.' and lost 'en weekdays'. A piece starting in upper case still splits."""
    text = "El edificio se queda abierto hasta que 10 p.m. en días laborables. Abrió a las 9 a.m. El alcalde habló."
    assert split_sentences(text, "es") == ["El edificio se queda abierto hasta que 10 p.m. en días laborables.",
                                           "Abrió a las 9 a.m.", "El alcalde habló."]


def test_english_splits_as_sentencex_splits_it(seed_cluster):
    """On English the rejoining changes nothing (nor on any Multi-News or DUC dev article: 0 of 30,735
    paragraphs, counted with sentencex's own pieces)."""
    from sentencex import segment

    paragraphs = [p for d in seed_cluster.documents for p in d.text.split("\n") if p.strip()]
    pieces = [[s.strip() for s in segment("en", p.strip()) if s.strip()] for p in paragraphs]
    assert [split_sentences(p, "en") for p in paragraphs] == pieces
    tweet = "Life is a gift. rest in peace Prodigy."  # lower case after a plain word: still two
    assert split_sentences(tweet, "en") == ["Life is a gift.", "rest in peace Prodigy."]


def test_turkish_sentences():
    text = "Dışişleri Bakanı bugün Moskova'ya gitti. Görüşmeler yarın başlayacak. Sonuç belli değil mi?"
    assert split_sentences(text, "tr") == [
        "Dışişleri Bakanı bugün Moskova'ya gitti.", "Görüşmeler yarın başlayacak.", "Sonuç belli değil mi?"]


def test_english_titles_and_initials():
    parts = split_sentences("Mr. Smith met U.S. officials in Washington on Monday. They talked.", "en")
    assert parts == ["Mr. Smith met U.S. officials in Washington on Monday.", "They talked."]


def test_language_id():
    assert detect_language("The Secretary of State met the Russian foreign minister in Geneva on Friday.") == "en"
    assert detect_language("El secretario de Estado se reunió el viernes con el ministro ruso en Ginebra.") == "es"
    assert detect_language("Dışişleri Bakanı cuma günü Cenevre'de Rus mevkidaşıyla bir araya geldi.") == "tr"
    assert detect_language("ok") is None


def test_headings_are_not_candidates(seed_cluster):
    sentences = cluster_sentences(seed_cluster)
    headings = {s.text for s in sentences if s.is_heading}
    assert "Ukraine creates reserve troops" in headings
    assert '"Russia May Attack Ukraine Soon"' in headings
    assert all(not s.is_candidate for s in sentences if s.is_heading)
    positions = [s.position for s in sentences if s.doc_index == 0]
    assert positions == list(range(len(positions)))
