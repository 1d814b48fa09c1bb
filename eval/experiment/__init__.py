"""Experiments described in YAML: configuration, the resumable runner, dataset export, leaderboard."""

__all__: list[str] = []
