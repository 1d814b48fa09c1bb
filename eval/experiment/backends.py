"""Where the work of a run happens: in this process, or on Ray workers (local or a cluster).

Both take batches of jobs and yield the finished records; the runner writes them. The Ray
backend keeps a bounded number of batches in flight, so input far larger than memory streams
through, and returns records as batches finish (order does not matter: results are aggregated by
item id).
"""
from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import Any

from polybrief.core.errors import PolybriefError

from .work import Job, run_batch

FORK_UNSAFE = ("torch", "tokenizers", "transformers", "ray")  # hold threads or devices a forked child must not inherit


def pool_context() -> Any:
    """fork while this process holds nothing a child must not inherit (lexical metrics only: the workers
    start at once, with every module already imported), else spawn."""
    import multiprocessing

    loaded = any(name in sys.modules for name in FORK_UNSAFE)
    return multiprocessing.get_context("spawn" if loaded or sys.platform != "linux" else "fork")


class LocalBackend:
    """This machine: in this process, or (``workers`` > 1) in a pool of worker processes that keeps a
    bounded number of batches in flight, as the Ray backend does."""

    name = "local"

    def __init__(self, task: str, metrics: list[dict[str, Any]], language: str,
                 pair: tuple[str, str] | None = None, workers: int = 1) -> None:
        self.args = (metrics, language, pair)
        self.task, self.workers = task, max(1, workers)
        self.pool: Any = None

    def run(self, batches: Iterable[list[Job]]) -> Iterator[list[dict[str, Any]]]:
        if self.workers == 1:
            for batch in batches:
                yield run_batch(self.task, batch, *self.args)
            return
        from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

        self.pool = ProcessPoolExecutor(self.workers, mp_context=pool_context())
        pending: set[Any] = set()
        for batch in batches:
            pending.add(self.pool.submit(run_batch, self.task, batch, *self.args))
            while len(pending) >= 2 * self.workers:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


class RayBackend:
    name = "ray"

    def __init__(self, task: str, metrics: list[dict[str, Any]], language: str, pair: tuple[str, str] | None = None,
                 address: str | None = None, workers: int | None = None) -> None:
        try:
            import ray
        except ImportError:
            raise PolybriefError("the ray backend needs Ray: pip install 'polybrief[ray]'") from None
        self.ray = ray
        self.task, self.args = task, (metrics, language, pair)
        self.started = not ray.is_initialized()  # a Ray session the caller opened (a notebook's) is theirs to end
        try:
            if self.started:
                ray.init(address=address, num_cpus=None if address else workers, include_dashboard=False,
                         log_to_driver=False, configure_logging=False)
        except Exception as exc:  # connection and start-up errors come in many types
            raise PolybriefError(f"cannot start or reach Ray{f' at {address}' if address else ''}: "
                                 f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}") from None
        self.remote = ray.remote(run_batch)
        self.in_flight = max(2, 2 * int(ray.cluster_resources().get("CPU", 1)))

    def run(self, batches: Iterable[list[Job]]) -> Iterator[list[dict[str, Any]]]:
        ray = self.ray
        pending: list[Any] = []
        for batch in batches:
            pending.append(self.remote.remote(self.task, batch, *self.args))
            while len(pending) >= self.in_flight:
                done, pending = ray.wait(pending, num_returns=1)
                yield ray.get(done[0])
        while pending:
            done, pending = ray.wait(pending, num_returns=1)
            yield ray.get(done[0])

    def close(self) -> None:
        if self.started:
            self.ray.shutdown()


def make_backend(name: str, task: str, metrics: list[dict[str, Any]], language: str,
                 pair: tuple[str, str] | None = None, address: str | None = None,
                 workers: int | None = None) -> LocalBackend | RayBackend:
    if name == "ray":
        return RayBackend(task, metrics, language, pair, address, workers)
    return LocalBackend(task, metrics, language, pair, workers or 1)


__all__ = ["FORK_UNSAFE", "LocalBackend", "RayBackend", "make_backend", "pool_context"]
