"""Text placed in Markdown tables and lists, shared by briefings, score reports and the leaderboard.

Article text is data, not markup: angle brackets are escaped so an article carrying HTML or
script stays inert in any Markdown viewer, and pipes cannot break a table.
"""
from __future__ import annotations


def inert(text: str) -> str:
    """Text safe to place in Markdown: no raw HTML, no table-breaking pipes or newlines."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("|", "\\|").replace("\n", " "))


def mt_label(machine_translated: bool, source_language: str | None) -> str:
    """'yes (from es)', 'yes' or 'no': how a sources list says an article is a machine translation."""
    if not machine_translated:
        return "no"
    return f"yes (from {source_language})" if source_language else "yes"


__all__ = ["inert", "mt_label"]
