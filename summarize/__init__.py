"""Briefings (installed as ``polybrief.summarize``): extractive algorithms, generation strategies,
translation backends, trust verdicts on translated sources, event clustering. Never imports
``polybrief.eval``."""

__all__: list[str] = []
