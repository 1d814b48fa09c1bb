"""sumy's LexRank and TextRank as polybrief extractors, for benchmarks only.

sumy's own parser needs NLTK's punkt data, which cannot be fetched offline, so the
baselines get polybrief's sentences (the same candidates every system sees) and a plain
Unicode word tokeniser; sumy's summarizer, stemmer (NLTK Snowball, no data needed) and
stop-word list do the rest. The ranking is read through sumy's ``sentences_count``
callable hook, so the budget fill is the same code path every system uses.
"""
from __future__ import annotations

import re

from sumy.models.dom import ObjectDocumentModel, Paragraph
from sumy.models.dom import Sentence as SumySentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

from polybrief.summarize.algorithms.base import Extractor, SentencePool

_WORD = re.compile(r"\w+", re.UNICODE)


class _Tokenizer:
    """What sumy asks of a tokenizer: ``to_words``."""

    language = "english"

    @staticmethod
    def to_words(text: str) -> list[str]:
        return _WORD.findall(text)


class SumyExtractor(Extractor):
    """Rank with a sumy summarizer class on polybrief's candidate sentences."""

    def __init__(self, summarizer_cls: type, name: str) -> None:
        self.summarizer = summarizer_cls(Stemmer("english"))
        self.summarizer.stop_words = get_stop_words("english")
        self.name = name

    def rank(self, pool: SentencePool) -> list[int]:
        tokenizer = _Tokenizer()
        sentences = [SumySentence(s.text, tokenizer) for s in pool.sentences]
        document = ObjectDocumentModel([Paragraph(sentences)])
        ranking: list[int] = []

        def capture(infos):  # sumy passes the sentences sorted by rating, best first
            ranking.extend(info.order for info in infos)
            return infos

        self.summarizer(document, capture)
        return ranking


def sumy_lexrank() -> SumyExtractor:
    return SumyExtractor(LexRankSummarizer, "sumy-lexrank")


def sumy_textrank() -> SumyExtractor:
    return SumyExtractor(TextRankSummarizer, "sumy-textrank")
