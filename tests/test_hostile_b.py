"""Hostile and faulty inputs, round two (issue 20, part B): wrong numbers said with confidence,
crashes and misleading messages. Every case is a one-line error or a right number, in-process."""
from __future__ import annotations

import json
import shutil

import pytest
import yaml

from polybrief.eval.metrics import get_metric
from polybrief.eval.metrics.base import Segments
from polybrief.eval.stats import approximate_randomization, paired_bootstrap

from .conftest import ROOT, polybrief

EXAMPLES = ROOT / "docs" / "examples"
SAMPLE = EXAMPLES / "es-en"


# 8. identical systems are never "significant"

@pytest.mark.parametrize("test", [paired_bootstrap, approximate_randomization])
def test_identical_systems_get_p_one(test):
    metric = get_metric("chrf")
    refs = (EXAMPLES / "ref.txt").read_text(encoding="utf-8").splitlines()
    hyps = (EXAMPLES / "system_a.txt").read_text(encoding="utf-8").splitlines()
    stats = metric.segment_stats(Segments(hyps, [refs]))
    assert test(metric, stats, stats.copy(), 200, 7).p_value == 1.0


@pytest.mark.parametrize("kind", ["bs", "ar"])
def test_score_paired_with_the_same_file_is_p_one(kind):
    hyp = EXAMPLES / "system_a.txt"
    result = polybrief("score", "--hyp", hyp, "--ref", EXAMPLES / "ref.txt", "--metrics", "bleu,chrf",
                       "--paired-with", hyp, "--paired-test", kind, "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    values = [s["p_value"] for s in _find(report, "p_value")]
    assert values and all(p == 1.0 for p in values), report


def _find(node, key):
    """Every dict in a JSON tree that holds ``key``."""
    if isinstance(node, dict):
        if key in node:
            yield node
        for value in node.values():
            yield from _find(value, key)
    elif isinstance(node, list):
        for value in node:
            yield from _find(value, key)


def test_a_run_ranks_a_system_with_its_copy(tmp_path):
    folder = tmp_path / "es-en"
    shutil.copytree(SAMPLE, folder)
    systems = sorted((folder / "systems").iterdir())
    shutil.copy(systems[0], systems[0].with_name("copy" + systems[0].suffix))
    config = tmp_path / "c.yaml"
    config.write_text(yaml.safe_dump({"name": "mt", "data": {"path": str(folder)},
                                      "systems": [{"outputs": f"{folder}/systems"}], "metrics": ["chrf"],
                                      "statistics": {"resamples": 100}, "output": {"dir": str(tmp_path / "out")}}))
    result = polybrief("run", config)
    assert result.returncode == 0, result.stderr
    results = json.loads(next((tmp_path / "out").rglob("results.json")).read_text())
    chrf = results["pairwise"]["chrf"]
    pair = next(p for p in chrf["pairs"] if {p["a"], p["b"]} == {systems[0].stem, "copy"})
    assert pair["p_value"] == 1.0 and not pair["significant"]
    ranks = chrf["ranks"]
    assert ranks[systems[0].stem]["rank_range"] == ranks["copy"]["rank_range"]
    assert ranks[systems[0].stem]["cluster"] == ranks["copy"]["cluster"]
