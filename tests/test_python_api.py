"""The README's Python examples run as written, and the public API gives the commands' numbers."""
from __future__ import annotations

import doctest
import subprocess
import sys
from pathlib import Path

import pytest
import sacrebleu

import polybrief

ROOT = Path(__file__).resolve().parents[1]


def test_readme_examples_run_as_doctests(monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    failures, tried = doctest.testfile(str(ROOT / "README.md"), module_relative=False, verbose=False,
                                       optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert tried >= 15 and failures == 0


def test_metric_classes_equal_sacrebleu():
    hyps = ["The cat sat on the mat.", "A dog barks loudly.", "Nothing here"]
    refs = [["The cat is on the mat.", "The dog barks.", "Nothing is here"],
            ["A cat sat on a mat.", "The dog is barking.", "There is nothing"]]
    assert polybrief.BLEU().corpus_score(hyps, refs).score == pytest.approx(sacrebleu.corpus_bleu(hyps, refs).score)
    assert polybrief.CHRF().corpus_score(hyps, refs).score == pytest.approx(sacrebleu.corpus_chrf(hyps, refs).score)
    assert polybrief.TER().corpus_score(hyps, refs).score == pytest.approx(sacrebleu.corpus_ter(hyps, refs).score)
    one = polybrief.CHRF().sentence_score(hyps[0], [refs[0][0], refs[1][0]])
    assert one.score == pytest.approx(sacrebleu.sentence_chrf(hyps[0], [refs[0][0], refs[1][0]]).score)


@pytest.mark.parametrize("references", [["The cat is on the mat."], "The cat is on the mat."])
def test_references_not_wrapped_in_a_list_say_how_to_wrap_them(references):
    """A flat list of strings was read as one reference stream per string, and its characters as segments."""
    with pytest.raises(polybrief.PolybriefError, match=r"corpus_score\(hyps, \[refs\]\)"):
        polybrief.BLEU().corpus_score(["The cat sat on the mat."], references)


def test_scoring_api_never_loads_the_briefing_code():
    """A fresh interpreter is the only honest place to see what an import loads."""
    code = ("import sys, polybrief; polybrief.CHRF().corpus_score(['a b'], [['a c']]); "
            "print(any(m.startswith('polybrief.summarize') for m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and result.stdout.strip() == "False", result.stderr


def test_brief_takes_texts_and_refuses_a_file_of_many_clusters(tmp_path):
    texts = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "seeds").glob("*.txt"))]
    briefing = polybrief.brief(texts, words=80)
    assert briefing.headline.text and len(briefing.sources) == len(texts)
    many = tmp_path / "many.jsonl"
    record = ('{"cluster_id": "%s", "documents": [{"doc_id": "a", '
              '"text": "One sentence here that is long enough to use."}]}')
    many.write_text(record % "x" + "\n" + record % "y" + "\n", encoding="utf-8")
    with pytest.raises(polybrief.PolybriefError, match="2 clusters"):
        polybrief.brief(many)


def test_unknown_public_name_is_an_attribute_error():
    with pytest.raises(AttributeError):
        polybrief.nothing_here  # noqa: B018
