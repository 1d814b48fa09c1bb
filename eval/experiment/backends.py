"""Where the work of a run happens: in this process, or on Ray workers (local or a cluster).

Both take batches of tasks and yield the finished records; the runner writes them. The Ray
backend keeps a bounded number of batches in flight, so input far larger than memory streams
through, and returns records as batches finish (order does not matter: results are aggregated by
item id).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from polybrief.core.errors import PolybriefError

from .work import Task, run_batch


class LocalBackend:
    name = "local"

    def __init__(self, kind: str, metrics: list[dict[str, Any]], language: str,
                 pair: tuple[str, str] | None = None) -> None:
        self.args = (metrics, language, pair)
        self.kind = kind

    def run(self, batches: Iterable[list[Task]]) -> Iterator[list[dict[str, Any]]]:
        for batch in batches:
            yield run_batch(self.kind, batch, *self.args)

    def close(self) -> None:
        pass


class RayBackend:
    name = "ray"

    def __init__(self, kind: str, metrics: list[dict[str, Any]], language: str, pair: tuple[str, str] | None = None,
                 address: str | None = None, workers: int | None = None) -> None:
        try:
            import ray
        except ImportError:
            raise PolybriefError("the ray backend needs Ray: pip install 'polybrief[ray]'") from None
        self.ray = ray
        self.kind, self.args = kind, (metrics, language, pair)
        try:
            if not ray.is_initialized():
                ray.init(address=address, num_cpus=None if address else workers, include_dashboard=False,
                         log_to_driver=False, configure_logging=False)
        except Exception as exc:  # connection and start-up errors come in many types
            raise PolybriefError(f"cannot start or reach Ray{f' at {address}' if address else ''}: "
                                 f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}") from None
        self.remote = ray.remote(run_batch)
        self.in_flight = max(2, 2 * int(ray.cluster_resources().get("CPU", 1)))

    def run(self, batches: Iterable[list[Task]]) -> Iterator[list[dict[str, Any]]]:
        ray = self.ray
        pending: list[Any] = []
        for batch in batches:
            pending.append(self.remote.remote(self.kind, batch, *self.args))
            while len(pending) >= self.in_flight:
                done, pending = ray.wait(pending, num_returns=1)
                yield ray.get(done[0])
        while pending:
            done, pending = ray.wait(pending, num_returns=1)
            yield ray.get(done[0])

    def close(self) -> None:
        self.ray.shutdown()


def make_backend(name: str, kind: str, metrics: list[dict[str, Any]], language: str,
                 pair: tuple[str, str] | None = None, address: str | None = None,
                 workers: int | None = None) -> LocalBackend | RayBackend:
    if name == "ray":
        return RayBackend(kind, metrics, language, pair, address, workers)
    return LocalBackend(kind, metrics, language, pair)
