"""Bootstrap intervals and paired tests: same answers as the slow way and as sacreBLEU."""
from __future__ import annotations

import numpy as np
import pytest
from sacrebleu.metrics import CHRF
from sacrebleu.significance import PairedTest

from polybrief.eval.metrics import get_metric
from polybrief.eval.metrics.base import Segments
from polybrief.eval.stats.resampling import (
    DEFAULT_SEED,
    approximate_randomization,
    bootstrap_ci,
    bootstrap_scores,
    paired_bootstrap,
    resample_counts,
)

from .conftest import SEEDS


def corpus() -> tuple[list[str], list[str], list[str]]:
    """Two 'systems' and a reference built from the seed sentences (deterministic)."""
    lines = [ln for p in sorted(SEEDS.glob("*.txt")) for ln in p.read_text(encoding="utf-8").split("\n")
             if len(ln.split()) > 6][:120]
    ref = lines
    sys_a = [" ".join(ln.split()[:-2]) for ln in lines]  # drops the last two words
    sys_b = [" ".join(w for k, w in enumerate(ln.split()) if k % 5) for ln in lines]  # drops every 5th
    return sys_a, sys_b, ref


def test_vectorised_resamples_equal_the_gathered_copies():
    sys_a, _, ref = corpus()
    metric = get_metric("chrf")
    stats = metric.segment_stats(Segments(sys_a, [ref]))
    rng = np.random.default_rng(3)
    idx = rng.choice(len(stats), size=(50, len(stats)), replace=True)
    slow = [metric.impl._compute_score_from_stats(list(stats[i].sum(0))).score for i in idx]
    from polybrief.eval.stats.resampling import draw_counts

    fast = bootstrap_scores(metric, stats, draw_counts(idx, len(stats)))[:, 0]
    assert np.allclose(fast, slow, atol=1e-9)


def test_bootstrap_interval_is_seeded_and_brackets_the_score():
    sys_a, _, ref = corpus()
    metric = get_metric("rouge")
    stats = metric.segment_stats(Segments(sys_a, [ref]))
    first = bootstrap_ci(metric, stats, 200, seed=1)
    assert first == bootstrap_ci(metric, stats, 200, seed=1)
    assert first != bootstrap_ci(metric, stats, 200, seed=2)
    for interval in first.values():
        assert interval.low <= interval.score <= interval.high
    assert np.concatenate(list(resample_counts(10, 5, 0))).sum(axis=1).tolist() == [10] * 5


def test_blocked_resamples_are_the_single_draw(monkeypatch):
    import eval.stats.resampling as stats_module

    whole = np.concatenate(list(resample_counts(50, 40, 3)))
    monkeypatch.setattr(stats_module, "BLOCK_CELLS", 120)  # 2 rows per block
    blocked = list(stats_module.resample_counts(50, 40, 3))
    assert len(blocked) == 20 and np.array_equal(np.concatenate(blocked), whole)


@pytest.mark.parametrize("test_type", ["bs", "ar"])
def test_p_values_agree_with_sacrebleu(test_type, monkeypatch):
    monkeypatch.setenv("SACREBLEU_SEED", str(DEFAULT_SEED))
    sys_a, sys_b, ref = corpus()
    n = 1000 if test_type == "bs" else 2000
    _, scores = PairedTest([("a", sys_a), ("b", sys_b)], {"chrf": CHRF()}, [ref], test_type=test_type,
                           n_samples=n)()
    result = next(v for k, v in scores.items() if k != "System")[1]
    expected = result.p_value
    metric = get_metric("chrf")
    base, system = (metric.segment_stats(Segments(s, [ref])) for s in (sys_a, sys_b))
    run = paired_bootstrap if test_type == "bs" else approximate_randomization
    got = run(metric, base, system, n, DEFAULT_SEED)
    assert got.p_value == pytest.approx(expected, abs=0.002)
    assert got.system == pytest.approx(result.score)
