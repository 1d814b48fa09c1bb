"""sacreBLEU's BLEU and chrF formulas on many rows of statistics at once.

A bootstrap scores every resample (1,000 rows per system) and a run scores every segment (tens of
thousands of rows); sacreBLEU's ``compute_bleu`` and ``_compute_f_score`` take one row per Python call.
These are the same formulas, step for step, on numpy arrays (written here for speed; parity with
sacreBLEU's own functions is tested in tests/test_sacrebleu_metrics.py).
"""
from __future__ import annotations

import numpy as np

ZERO_LOG = -9999999999  # sacreBLEU's my_log(0)


def bleu_scores(stats: np.ndarray, order: int, smooth: str, smooth_value: float | None,
                effective_order: bool) -> np.ndarray:
    """BLEU of each row ``[sys_len, ref_len, correct_1..N, total_1..N]`` (sacreBLEU's layout)."""
    stats = np.atleast_2d(np.asarray(stats, dtype=np.float64))
    sys_len, ref_len = np.floor(stats[:, 0]), np.floor(stats[:, 1])  # sacreBLEU casts lengths to int
    correct, total = stats[:, 2:2 + order], stats[:, 2 + order:2 + 2 * order]
    with np.errstate(divide="ignore", invalid="ignore"):
        bp = np.where(sys_len < ref_len, np.where(sys_len > 0, np.exp(1 - ref_len / np.where(sys_len > 0, sys_len, 1)),
                                                  0.0), 1.0)
        alive = np.ones(len(stats), dtype=bool)
        doubling = np.ones(len(stats))
        eff = np.full(len(stats), order, dtype=np.float64)
        precisions = np.zeros((len(stats), order))
        for n in range(order):
            alive &= total[:, n] != 0
            if effective_order:
                eff = np.where(alive, n + 1, eff)
            zero = correct[:, n] == 0
            safe_total = np.where(total[:, n] != 0, total[:, n], 1)
            if smooth == "exp":
                doubling = np.where(alive & zero, doubling * 2, doubling)
                smoothed = 100.0 / (doubling * safe_total)
            elif smooth == "floor":
                smoothed = 100.0 * smooth_value / safe_total
            else:  # none
                smoothed = np.zeros(len(stats))
            precisions[:, n] = np.where(alive, np.where(zero, smoothed, 100.0 * correct[:, n] / safe_total), 0.0)
        logs = np.where(precisions > 0, np.log(np.where(precisions > 0, precisions, 1)), ZERO_LOG)
        used = np.arange(order)[None, :] < eff[:, None]
        total_log = np.zeros(len(stats))
        for n in range(order):  # left to right, as Python's sum adds them
            total_log = total_log + np.where(used[:, n], logs[:, n], 0.0)
        scores = bp * np.exp(total_log / eff)
    return np.where(correct.any(axis=1), scores, 0.0)


def chrf_scores(stats: np.ndarray, orders: int, beta: float, eps_smoothing: bool = False) -> np.ndarray:
    """chrF of each row ``[hyp, ref, match] * orders`` (sacreBLEU's ``_compute_f_score``)."""
    stats = np.atleast_2d(np.asarray(stats, dtype=np.float64))
    eps, factor = 1e-16, beta ** 2
    rows = len(stats)
    score, avg_prec, avg_rec = np.zeros(rows), np.zeros(rows), np.zeros(rows)
    effective = np.zeros(rows)
    with np.errstate(divide="ignore", invalid="ignore"):
        for i in range(orders):
            n_hyp, n_ref, n_match = stats[:, 3 * i], stats[:, 3 * i + 1], stats[:, 3 * i + 2]
            prec = np.where(n_hyp > 0, n_match / np.where(n_hyp > 0, n_hyp, 1), eps)
            rec = np.where(n_ref > 0, n_match / np.where(n_ref > 0, n_ref, 1), eps)
            denom = factor * prec + rec
            score = score + np.where(denom > 0, (1 + factor) * prec * rec / np.where(denom > 0, denom, 1), eps)
            both = (n_hyp > 0) & (n_ref > 0)
            avg_prec = np.where(both, avg_prec + prec, avg_prec)
            avg_rec = np.where(both, avg_rec + rec, avg_rec)
            effective = effective + both
        if eps_smoothing:
            return 100 * score / orders
        avg_prec = np.where(effective > 0, avg_prec / np.where(effective > 0, effective, 1), 0.0)
        avg_rec = np.where(effective > 0, avg_rec / np.where(effective > 0, effective, 1), 0.0)
        total = avg_prec + avg_rec
        f = (1 + factor) * avg_prec * avg_rec
        f = f / np.where(total != 0, (factor * avg_prec) + avg_rec, 1)
    return np.where(total != 0, 100 * f, 0.0)


__all__ = ["ZERO_LOG", "bleu_scores", "chrf_scores"]
