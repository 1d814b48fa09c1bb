"""Abstractive briefings with models a user brings, on tiny random models built by the test.

The strategies are checked for what they promise, not for prose (random models write none):
map_reduce never feeds a model more than its input limit, concat gives every document a
share of the budget, the same seed gives the same output, and every path a user takes
(CLI, YAML) works with T5, BART and a causal LM with a chat template.
"""
from __future__ import annotations

import json
import logging

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from polybrief.core.encoders import minilm_path
from polybrief.eval.experiment.runrecord import RunRecord
from polybrief.summarize.abstractive import fair_shares, get_strategy
from polybrief.summarize.generation import GenerationOptions, Generator
from polybrief.summarize.pipeline import BriefOptions, brief_cluster

from .conftest import SEEDS, assert_clean_failure, polybrief, seed_clusters_jsonl

pytestmark = pytest.mark.slow  # models, Ray or killed processes: run by `make test`, skipped by -m 'not slow'

# Random models may stop at once or write only special tokens: ask for a few real words.
WORDS_ONLY = {"max_new_tokens": 12, "min_new_tokens": 4, "suppress_tokens": [0, 2, 3]}
SHORT = [arg for k, v in WORDS_ONLY.items() for arg in ("--gen", f"{k}={v}".replace(" ", ""))]


def record_input_lengths(generator: Generator) -> list[int]:
    """Wrap the model's generate so every input length it is given is recorded."""
    lengths: list[int] = []
    original = generator.model.generate

    def spy(*args, **kwargs):
        lengths.append(int(kwargs["input_ids"].shape[1]))
        return original(*args, **kwargs)

    generator.model.generate = spy
    return lengths


# every strategy with a seq2seq model, every model kind, and the causal prompt under two strategies (the
# full 3 x 3 grid ran the same command layer nine times; the strategies' own tests cover their code)
@pytest.mark.parametrize("method, kind", [("concat", "bart"), ("concat", "gpt2"), ("map_reduce", "t5"),
                                          ("map_reduce", "gpt2"), ("extract_then_generate", "t5")])
def test_every_strategy_through_the_cli(tiny_models, kind, method):
    result = polybrief("brief", str(SEEDS), "--method", method, "--model", str(tiny_models[kind]), "--format",
                       "json", *SHORT)
    assert result.returncode == 0, result.stderr
    briefing = json.loads(result.stdout)
    assert briefing["abstractive"] and briefing["method"] == f"{method}:{tiny_models[kind]}"
    assert briefing["headline"]["text"].strip()
    assert all(isinstance(item["cited"], list) for item in [briefing["headline"]] + briefing["bullets"])


@pytest.mark.parametrize("kind", ["t5", "gpt2"])
def test_map_reduce_never_exceeds_the_models_input(seed_cluster, tiny_models, kind, caplog):
    options = BriefOptions(method="map_reduce", model=str(tiny_models[kind]), words=40,
                           generation=GenerationOptions(max_input_tokens=48, kwargs=WORDS_ONLY))
    strategy = get_strategy(options.method, options.model, options.words, options.generation)
    lengths = record_input_lengths(strategy.generator)
    with caplog.at_level(logging.WARNING):
        strategy.summarize(seed_cluster)
    assert strategy.generator.max_input_tokens == 48
    assert lengths and max(lengths) <= 48
    assert not [r for r in caplog.records if "is cut" in r.getMessage()]  # nothing relied on truncation
    # every document was read: the seeds (about 4,400 words) need far more than one 48-token input
    assert len(lengths) > 5 * len(seed_cluster.documents)


def test_concat_gives_every_document_a_share(seed_cluster, tiny_models):
    strategy = get_strategy("concat", str(tiny_models["bart"]), 60,
                            GenerationOptions(kwargs={"max_new_tokens": 12}))
    text, shares = strategy.build_input(seed_cluster)
    assert all(n > 0 for n in shares) and len(shares) == len(seed_cluster.documents)
    assert strategy.generator.count_tokens(text) <= strategy.room
    # each document's opening words are in the input, the last one's included
    for doc in seed_cluster.documents:
        opening = strategy.generator.truncate(doc.text, 3)
        assert opening in text
    assert max(shares) - min(shares) <= 1  # all five seeds are longer than a fair share


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.lists(st.integers(0, 500), min_size=1, max_size=12), st.integers(1, 2000))
def test_fair_shares(lengths, budget):
    shares = fair_shares(lengths, budget)
    assert sum(shares) <= budget
    assert all(0 <= s <= n for s, n in zip(shares, lengths))
    if sum(lengths) <= budget:
        assert shares == lengths  # everything fits: nothing is cut
    elif budget >= sum(1 for n in lengths if n):
        assert all(s >= 1 for s, n in zip(shares, lengths) if n)  # every document is heard
        assert sum(shares) == budget  # and no budget is wasted
        cut = [s for s, n in zip(shares, lengths) if s < n]
        assert max(cut) - min(cut) <= 1  # the documents that are cut are cut evenly
        assert all(s <= max(cut) + 1 for s in shares)  # no document gets more than a cut one (+1 of remainder)


def test_same_seed_same_output(tiny_models):
    args = ["brief", str(SEEDS), "--method", "concat", "--model", str(tiny_models["gpt2"]), "--format", "json",
            "--gen", "do_sample=true", *SHORT]
    first, again = polybrief(*args, "--seed", "1"), polybrief(*args, "--seed", "1")
    other = polybrief(*args, "--seed", "2")
    assert first.returncode == again.returncode == other.returncode == 0, first.stderr
    assert first.stdout == again.stdout
    assert json.loads(first.stdout)["headline"] != json.loads(other.stdout)["headline"]


def test_strategies_from_yaml(tmp_path, tiny_models):
    data = seed_clusters_jsonl(tmp_path / "c.jsonl", n=3)
    config = {"name": "gen", "data": {"path": str(data)},
              "systems": [{"name": "support", "method": "support", "words": 80},
                          {"name": "bart-mr", "method": "map_reduce", "model": str(tiny_models["bart"]), "words": 40,
                           "generation": {**WORDS_ONLY, "num_beams": 2}, "device": "auto", "seed": 3},
                          {"name": "t5", "method": "extract_then_generate", "model": str(tiny_models["t5"]),
                           "generation": {"min_new_tokens": 4, "suppress_tokens": [0, 2, 3]},
                           "grid": {"generation.max_new_tokens": [8, 12]}}],
              "metrics": ["rouge"], "statistics": {"resamples": 50, "baseline": "support"},
              "output": {"dir": str(tmp_path / "out")}}
    path = tmp_path / "gen.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    result = polybrief("run", str(path))
    assert result.returncode == 0, result.stderr
    results = RunRecord.from_dict(json.loads(next((tmp_path / "out").glob("gen/*/results.json")).read_text()))
    assert set(results.systems) == {"support", "bart-mr", "t5-max_new_tokens=8", "t5-max_new_tokens=12"}
    predictions = [json.loads(line) for line in next((tmp_path / "out").glob("gen/*/predictions.jsonl")).open()]
    assert all(p["briefing"] and "error" not in p for p in predictions)
    assert len(predictions) == 12


@pytest.mark.parametrize("args, phrase", [
    (["--method", "concat"], "give a model"),
    (["--method", "concat", "--model", "/no/such/model"], "no such folder"),
    (["--method", "map_reduce", "--model", "org/not-here"], "polybrief runs offline"),
    (["--method", "concat", "--model", "MINILM"], "is a BertModel, not a text generation model"),
    (["--method", "concat", "--model", "BART", "--gen", "num_beams"], "expected KEY=VALUE"),
    (["--method", "concat", "--model", "BART", "--gen", "no_such_kwarg=1"], "generation failed"),
    (["--method", "concat", "--model", "BART", "--device", "cuda:7"], None),
])
def test_bad_models_fail_in_one_line(tiny_models, args, phrase):
    args = [str(minilm_path()) if a == "MINILM" else str(tiny_models["bart"]) if a == "BART" else a for a in args]
    result = polybrief("brief", str(SEEDS), *args, *SHORT)
    if phrase is None:  # a CUDA device where torch has none: an error here, a run on a GPU machine
        import torch

        if torch.cuda.device_count() > 7:
            pytest.skip("this machine has a cuda:7")
        phrase = "no CUDA device"
    assert_clean_failure(result, phrase)


def test_an_article_longer_than_the_context_is_read_in_chunks(tmp_path, tiny_models):
    folder = tmp_path / "long"
    folder.mkdir()
    (folder / "a.txt").write_text(" ".join((SEEDS / "004_dad89e80a77f07e4.txt").read_text().split()) * 20)
    (folder / "b.txt").write_text((SEEDS / "000_31bf641b0229faed.txt").read_text())
    options = BriefOptions(method="map_reduce", model=str(tiny_models["bart"]), words=40,
                           generation=GenerationOptions(kwargs={**WORDS_ONLY, "max_new_tokens": 8}))
    from polybrief.core.readers import read_clusters

    cluster = next(read_clusters(folder))
    strategy = get_strategy(options.method, options.model, options.words, options.generation)
    lengths = record_input_lengths(strategy.generator)
    briefing = brief_cluster(cluster, options)
    assert briefing.headline.text and max(lengths) <= strategy.generator.max_input_tokens
