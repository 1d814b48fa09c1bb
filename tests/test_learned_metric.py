"""The learned metric: training, the model folder, the heads chosen, and bad input refused."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from polybrief.core.errors import PolybriefError
from polybrief.eval.learned.model import MODEL_FILE, PACKAGED, load_model
from polybrief.eval.metrics import Segments, get_metric

from .conftest import assert_clean_failure, polybrief

SENTENCES = [
    "The council approved the new budget after a long debate on Tuesday.",
    "Heavy rain flooded several streets in the old town overnight.",
    "The company said its profits rose by twelve percent last year.",
    "Scientists found traces of water in samples from the distant moon.",
    "The museum will reopen next month after two years of repairs.",
    "Police closed the bridge while divers searched the river.",
    "Farmers protested against the price of fuel in the capital.",
    "The team won the final with a goal in the last minute.",
    "A new train line will link the airport with the city centre.",
    "The minister resigned after the report was published on Friday.",
    "Doctors warned that the flu season could start early this winter.",
    "The school opened a library for the children of the village.",
]


def training_rows(path: Path, items: range, systems: int = 3, **override) -> Path:
    """Per segment: the reference itself (MQM 0), the reference with its second half lost (-5), an
    unrelated sentence (-25). Any sound metric orders these three the same way."""
    rows = []
    for seg in items:
        ref = SENTENCES[seg % len(SENTENCES)]
        words = ref.split()
        outputs = [(ref, 0.0), (" ".join(words[:len(words) // 2]), -5.0),
                   (SENTENCES[(seg + 5) % len(SENTENCES)], -25.0)][:systems]
        for s, (mt, score) in enumerate(outputs):
            row = {"lang_pair": "xx-en", "src": ref, "mt": mt, "ref": ref, "system": f"sys{s}",
                   "seg_id": seg, "doc": f"d{seg // 4}", "human_score": score}
            row.update(override)
            rows.append(row)
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("model")
    data = training_rows(folder / "train.jsonl", range(12))
    result = polybrief("train-metric", str(data), "-o", str(folder / "m"))
    assert result.returncode == 0, result.stderr
    return folder / "m"


def test_training_writes_every_head_and_orders_unseen_segments(trained):
    model = load_model(trained)
    assert set(model.heads) == {"reference+source", "reference", "source"}
    assert model.target_languages == ["en"]  # the rows' lang_pair is xx-en
    assert model.trained_on[0]["rows"] == 36 and len(model.trained_on[0]["sha256"]) == 64
    ref = "The river rose above the dykes and the army helped people leave their homes."
    hyps = [ref, "The river rose above the", "Prices of bread went up in the shops."]
    heads = set()
    for refs, src, source in (([[ref] * 3], [ref] * 3, "auto"), ([[ref] * 3], [ref] * 3, False),
                              ([], [ref] * 3, "auto"), ([[ref] * 3], None, True)):
        metric = get_metric("mqm", model=str(trained), source=source)
        scores = metric.segment_scores(metric.segment_stats(Segments(hyps, refs, src)))[:, 0]
        assert scores[0] > scores[1] > scores[2], (metric.signature(), scores)
        heads.add(metric.signature().split("|")[1])
    assert heads == {"head:reference+source", "head:reference", "head:source"}


def test_heads_follow_the_inputs(trained):
    model = load_model(trained)
    assert model.head_for(True, True)[0] == "reference+source"
    assert model.head_for(True, False)[0] == "reference"
    assert model.head_for(False, True)[0] == "source"
    with pytest.raises(PolybriefError, match="no head for nothing"):
        model.head_for(False, False)


def test_a_target_language_the_model_was_not_trained_for_is_refused(trained, tmp_path):
    """Trained on English targets only: German is refused in one line, not scored with what knows English."""
    assert get_metric("mqm", model=str(trained), language="en-GB").signature().count("|lang:en|") == 1
    with pytest.raises(PolybriefError, match="trained for target languages en, not 'de'"):
        get_metric("mqm", model=str(trained), language="de")
    hyp = tmp_path / "h.txt"
    hyp.write_text("Der Rat hat den Haushalt beschlossen.\n")
    result = polybrief("score", "--hyp", str(hyp), "--ref", str(hyp), "--lang", "de", "--metrics",
                       f"mqm:model={trained}")
    assert_clean_failure(result, "not 'de'")


def test_scores_do_not_depend_on_batching(trained):
    """A segment's score is a function of its own texts: one batch, batches of four and one at a time agree."""
    refs = SENTENCES
    hyps = [" ".join(s.split()[:4 + i % 5]) for i, s in enumerate(SENTENCES)]
    srcs = [s.upper() for s in SENTENCES]
    metric = get_metric("mqm", model=str(trained))

    def scores(start: int, stop: int) -> np.ndarray:
        return metric.segment_stats(Segments(hyps[start:stop], [refs[start:stop]], srcs[start:stop]))[:, 0]

    whole = scores(0, len(hyps))
    assert metric.signature().split("|")[1] == "head:reference+source"
    in_fours = np.concatenate([scores(i, i + 4) for i in range(0, len(hyps), 4)])
    alone = np.array([scores(i, i + 1)[0] for i in range(len(hyps))])
    assert np.ptp(whole) > 0  # the outputs differ in length: a constant would pass vacuously
    np.testing.assert_array_equal(whole, in_fours)
    np.testing.assert_array_equal(whole, alone)


def test_signature_names_the_head_and_hashes_the_weights(trained, tmp_path):
    import shutil

    from polybrief.eval.learned.model import WEIGHTS_FILE

    metric = get_metric("mqm", model=str(trained), source=False)
    metric.segment_stats(Segments(["a cat sat"], [["a cat sat"]], ["un gato"]))
    signature = metric.signature()
    assert signature.startswith("mqm|head:reference|") and load_model(trained).digest in signature
    changed = tmp_path / "changed"
    shutil.copytree(trained, changed)
    document = json.loads((changed / MODEL_FILE).read_text())
    document["heads"]["reference"]["calibration"][1] += 0.5
    (changed / MODEL_FILE).write_text(json.dumps(document))
    assert load_model(changed).digest != load_model(trained).digest
    (changed / WEIGHTS_FILE).write_bytes((trained / WEIGHTS_FILE).read_bytes()[:-10])
    with pytest.raises(PolybriefError, match="damaged .*not the file"):
        load_model(changed)


def test_best_reference_wins(trained):
    metric = get_metric("mqm", model=str(trained), source=False)
    hyp, good, bad = "The bridge was closed by police.", "Police closed the bridge.", "Rain fell in the hills."
    alone = metric.segment_stats(Segments([hyp], [[good]]))[0, 0]
    both = metric.segment_stats(Segments([hyp], [[bad], [good]]))[0, 0]
    assert both == pytest.approx(alone) and metric.segment_stats(Segments([hyp], [[bad]]))[0, 0] < alone


def test_packaged_model_loads_and_says_what_it_was_trained_on():
    from polybrief.eval.learned.model import WEIGHTS_FILE

    model = load_model()
    assert sum((PACKAGED / f).stat().st_size for f in (MODEL_FILE, WEIGHTS_FILE)) < 30_000_000
    assert {t["file"] for t in model.trained_on} == {"mqm_ted_zhen.jsonl", "mqm_ted_ende.jsonl",
                                                     "mqm_wmt21_zhen.jsonl", "mqm_wmt21_ende.jsonl",
                                                     "wmt23_mqm_zhen_dev.jsonl"}
    assert model.target_languages == ["de", "en"]
    assert set(model.heads) == {"reference+source", "reference", "source"}
    first = model.heads["reference+source"].seeds[0][0][0]
    assert np.isfinite(first).all() and np.abs(first).max() > 0


def test_mqm_through_score_and_the_evaluate_module(trained, tmp_path):
    import evaluate

    from polybrief.eval.hf.module import polybrief_module_path

    hyp, ref, src = tmp_path / "h.txt", tmp_path / "r.txt", tmp_path / "s.txt"
    hyp.write_text("The council approved the budget.\nRain.\n")
    ref.write_text("The council approved the new budget.\nHeavy rain flooded the streets.\n")
    src.write_text(ref.read_text())
    result = polybrief("score", "--hyp", str(hyp), "--ref", str(ref), "--src", str(src), "--metrics",
                       f"mqm:model={trained}", "--resamples", "10", "--format", "json")
    assert result.returncode == 0, result.stderr
    mqm = json.loads(result.stdout)["results"]["mqm"]
    module = evaluate.load(polybrief_module_path("mqm"))
    out = module.compute(predictions=hyp.read_text().splitlines(), references=ref.read_text().splitlines(),
                         sources=src.read_text().splitlines(), model=str(trained))
    assert out["score"] == pytest.approx(mqm["scores"]["score"]["score"])
    assert out["signature"] == mqm["signature"].rsplit("|bs:", 1)[0]
    free = module.compute(predictions=["Rain."], references=[""], sources=["Heavy rain flooded the streets."],
                          model=str(trained))
    assert "head:source" in free["signature"]


@pytest.mark.parametrize("override, phrase", [
    ({"human_score": float("nan")}, "not a finite number"),
    ({"ref": ""}, "no row has a reference"),
])
def test_bad_training_rows_are_refused_in_one_line(tmp_path, override, phrase):
    data = training_rows(tmp_path / "bad.jsonl", range(4), **override)
    assert_clean_failure(polybrief("train-metric", str(data), "-o", str(tmp_path / "m")), phrase)
    assert not (tmp_path / "m" / MODEL_FILE).exists()


def test_missing_fields_one_system_and_no_reference_column(tmp_path):
    rows = [json.loads(line) for line in training_rows(tmp_path / "a.jsonl", range(4)).read_text().splitlines()]
    no_ref = tmp_path / "noref.jsonl"
    no_ref.write_text("\n".join(json.dumps({k: v for k, v in r.items() if k != "ref"}) for r in rows))
    assert_clean_failure(polybrief("train-metric", str(no_ref), "-o", str(tmp_path / "m")), "no row has a reference")
    rows[0]["ref"] = ""
    partly = tmp_path / "partly.jsonl"
    partly.write_text("\n".join(json.dumps(r) for r in rows))
    assert_clean_failure(polybrief("train-metric", str(partly), "-o", str(tmp_path / "m")), "1 row(s) with an empty")
    missing = tmp_path / "missing.jsonl"
    missing.write_text(json.dumps({"mt": "x", "ref": "y"}) + "\n")
    assert_clean_failure(polybrief("train-metric", str(missing), "-o", str(tmp_path / "m")), "missing field")
    one = training_rows(tmp_path / "one.jsonl", range(4), systems=1)
    assert_clean_failure(polybrief("train-metric", str(one), "-o", str(tmp_path / "m")), "one system only")


def test_source_setting_is_checked(trained):
    with pytest.raises(PolybriefError, match="source must be auto, true or false"):
        get_metric("mqm", model=str(trained), source="sometimes")
    with pytest.raises(PolybriefError, match="needs references or sources"):
        get_metric("mqm", model=str(trained), source=False).segment_stats(Segments(["a"], [], ["b"]))


def test_foreign_old_and_damaged_model_folders_are_refused(trained, tmp_path):
    import shutil

    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(PolybriefError, match="not a polybrief metric folder"):
        load_model(empty)
    document = json.loads((trained / MODEL_FILE).read_text())
    legacy = tmp_path / "legacy"
    legacy.mkdir()
    (legacy / "polybrief-metric.json").write_text("{}")
    with pytest.raises(PolybriefError, match="older polybrief .*retrain it"):
        load_model(legacy)
    for name, change, phrase in (("foreign", {"format": "something-else"}, "not a polybrief learned metric"),
                                 ("old", {"features_version": 0}, "retrain it"),
                                 ("damaged", {"heads": {"reference": {"weights": [1.0]}}}, "damaged")):
        folder = tmp_path / name
        shutil.copytree(trained, folder)
        (folder / MODEL_FILE).write_text(json.dumps({**document, **change}))
        with pytest.raises(PolybriefError, match=phrase):
            load_model(folder)
    result = polybrief("score", "--hyp", str(trained / MODEL_FILE), "--ref", str(trained / MODEL_FILE),
                       "--metrics", f"mqm:model={tmp_path / 'old'}")
    assert_clean_failure(result, "retrain it")


def test_an_existing_model_is_not_overwritten_silently(trained, tmp_path):
    data = training_rows(tmp_path / "t.jsonl", range(4))
    assert_clean_failure(polybrief("train-metric", str(data), "-o", str(trained)), "--overwrite")


def test_vectors_share_trains_the_vector_head_on_whole_blocks_of_segments(tmp_path):
    """--vectors-share: the head that reads sentence vectors sees a share of the segments (all outputs of
    each), the heads without vectors see every row; a share outside (0, 1] is refused in one line."""
    data = training_rows(tmp_path / "t.jsonl", range(0, 600, 50))  # seg_ids 0, 50, ...: one block each
    result = polybrief("train-metric", str(data), "-o", str(tmp_path / "m"), "--vectors-share", "0.5")
    assert result.returncode == 0, result.stderr
    assert "in " in result.stderr and " s; wrote" in result.stderr  # the training time is printed
    model = load_model(tmp_path / "m")
    assert model.heads["reference"].fit["rows"] == 36
    assert model.heads["source"].fit["rows"] == 18 and model.heads["source"].fit["vectors_share"] == 0.5
    assert_clean_failure(polybrief("train-metric", str(data), "-o", str(tmp_path / "n"), "--vectors-share", "2"),
                         "not in (0, 1]")
