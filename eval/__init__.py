"""Scoring (installed as ``polybrief.eval``): metrics, statistics, meta-evaluation and experiments.
The metrics and statistics stand on ``polybrief.core`` alone; only an experiment that runs a
briefing system loads ``polybrief.summarize``, when it runs one."""

__all__: list[str] = []
