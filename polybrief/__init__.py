"""polybrief: briefings from multilingual news clusters, and honest scoring of translations and summaries.

One import name over three parts: ``polybrief.core`` (documents, readers, sentence splitting,
terms, language id, encoders, errors: what both halves use), ``polybrief.summarize`` (briefings;
the repository's ``summarize/``) and ``polybrief.eval`` (metrics, statistics, experiments; the
repository's ``eval/``), with ``polybrief.cli`` above them. ``eval`` never needs ``summarize`` to
score, and ``summarize`` never imports ``eval``.
"""
