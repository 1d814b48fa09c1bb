"""Fitting a scorer from within-segment rankings: pairs of outputs of one source segment.

Why pairs: MQM penalties differ in scale between campaigns (TED, WMT21 news, WMT23), and what grouped
segment Kendall and system pairwise accuracy reward is order. A pair (a, b) of outputs of the same
source segment with human(a) > human(b) asks for score(a) > score(b); the loss is logistic in the
score difference (RankNet). Nothing across segments or datasets is compared, so no calibration
between campaigns is needed.

The scorer is a small MLP (one hidden layer) on z-scored features, trained with PyTorch on the CPU
from several seeds, a batch being all pairs of a few segments (each output goes through the network
once per batch, not once per pair it is in: ten times less work with ten systems a segment); the
seeds' scores are averaged at prediction time. ``hidden=0`` gives a linear
scorer trained the same way. The fitted layers are returned as numpy arrays: predicting needs numpy
alone, no torch import.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

HIDDEN, SEEDS, EPOCHS, ITEMS_PER_BATCH = 32, 3, 6, 16
LEARNING_RATE, WEIGHT_DECAY, DROPOUT = 1e-3, 1e-2, 0.1
MIN_UPDATES = 60  # a tiny training set still gets this many optimiser steps (real sets get hundreds anyway)


@dataclass
class RankerSettings:
    """The few choices of the fit, fixed before cross-validation (docs/benchmarks.md)."""

    hidden: int = HIDDEN
    seeds: int = SEEDS
    epochs: int = EPOCHS
    items_per_batch: int = ITEMS_PER_BATCH
    learning_rate: float = LEARNING_RATE
    weight_decay: float = WEIGHT_DECAY
    dropout: float = DROPOUT


def within_item_pairs(human: np.ndarray, items: Sequence[str]) -> np.ndarray:
    """(n, 2) row indices (better, worse) of every pair of rows of one item whose human scores differ."""
    _, index = np.unique(np.asarray(items), return_inverse=True)
    order = np.argsort(index, kind="stable")
    bounds = np.flatnonzero(np.diff(index[order])) + 1
    pairs = []
    for group in np.split(order, bounds):
        if len(group) < 2:
            continue
        a, b = np.triu_indices(len(group), k=1)
        a, b = group[a], group[b]
        diff = human[a] - human[b]
        keep = diff != 0
        better = np.where(diff > 0, a, b)[keep]
        worse = np.where(diff > 0, b, a)[keep]
        pairs.append(np.column_stack([better, worse]))
    return np.vstack(pairs) if pairs else np.zeros((0, 2), dtype=int)


def forward(layers: list[tuple[np.ndarray, np.ndarray]], z: np.ndarray) -> np.ndarray:
    """Scores of z-scored rows through one seed's layers (ReLU between layers). ``einsum`` rather than ``@``:
    BLAS splits a product by the number of rows, so a row's last bit would depend on its batch."""
    h = z
    for k, (weight, bias) in enumerate(layers):
        h = np.einsum("ij,jk->ik", h, weight) + bias
        if k < len(layers) - 1:
            h = np.maximum(h, 0.0)
    return h[:, 0]


def fit_ranker(z: np.ndarray, human: np.ndarray, items: Sequence[str],
               settings: RankerSettings | None = None) -> list[list[tuple[np.ndarray, np.ndarray]]]:
    """Per seed, the layers [(weight, bias), ...] of a scorer trained on the within-item pairs of ``z``."""
    import torch

    settings = settings or RankerSettings()
    pairs = within_item_pairs(np.asarray(human, dtype=np.float64), items)
    if len(pairs) == 0:
        raise ValueError("no segment has two outputs with different human scores")
    x = torch.tensor(z, dtype=torch.float32)
    batches = _item_batches(pairs, items)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # batches of a few hundred rows: a second thread only adds waiting on a busy machine
    try:
        return [_fit_seed(x, batches, seed, settings) for seed in range(settings.seeds)]
    finally:
        torch.set_num_threads(threads)


def _fit_seed(x, batches: list[np.ndarray], seed: int, settings: RankerSettings) -> list[tuple[np.ndarray,
                                                                                        np.ndarray]]:
    """One seed's network trained on the pair batches; its layers as numpy arrays."""
    import torch

    torch.manual_seed(seed)
    net = _network(x.shape[1], settings)
    optimiser = torch.optim.AdamW(net.parameters(), lr=settings.learning_rate, weight_decay=settings.weight_decay)
    rng = np.random.default_rng(seed)
    net.train()
    per_epoch = -(-len(batches) // settings.items_per_batch)
    for _ in range(max(settings.epochs, -(-MIN_UPDATES // per_epoch))):
        order = rng.permutation(len(batches))
        for start in range(0, len(order), settings.items_per_batch):
            chosen = np.concatenate([batches[k] for k in order[start:start + settings.items_per_batch]])
            rows, local = np.unique(chosen, return_inverse=True)
            scores = net(x[torch.from_numpy(rows)]).squeeze(1)
            local = torch.from_numpy(local.reshape(-1, 2))
            loss = torch.nn.functional.softplus(scores[local[:, 1]] - scores[local[:, 0]]).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    net.eval()
    linears = [m for m in net if isinstance(m, torch.nn.Linear)]
    return [(m.weight.detach().numpy().T.copy(), m.bias.detach().numpy().copy()) for m in linears]


def _item_batches(pairs: np.ndarray, items: Sequence[str]) -> list[np.ndarray]:
    """The pairs grouped by the item (source segment) they belong to."""
    _, index = np.unique(np.asarray(items), return_inverse=True)
    owner = index[pairs[:, 0]]
    order = np.argsort(owner, kind="stable")
    return np.split(pairs[order], np.flatnonzero(np.diff(owner[order])) + 1)


def _network(width: int, settings: RankerSettings):
    import torch

    if settings.hidden == 0:
        return torch.nn.Sequential(torch.nn.Linear(width, 1))
    return torch.nn.Sequential(torch.nn.Dropout(settings.dropout), torch.nn.Linear(width, settings.hidden),
                               torch.nn.ReLU(), torch.nn.Dropout(settings.dropout),
                               torch.nn.Linear(settings.hidden, 1))


__all__ = ["MIN_UPDATES", "RankerSettings", "fit_ranker", "forward", "within_item_pairs"]
