"""Scoring a set of segments: reading them, typed metric results with signatures, and the results table."""

__all__: list[str] = []
