"""Chinese full-text search, the language part: words by jieba, the match over the index, and highlighted snippets.

Texts are segmented into words when they are indexed (`SearchEntry.terms`) and queries when they are asked, by the
same segmenter in its search mode (a long word also yields its shorter words: 被执行人 gives 执行, 被执行人), so
that a query's words are found among the text's. On PostgreSQL the match is a full-text query over a GIN index of
a stored to_tsvector('simple', terms) column; elsewhere (SQLite) every word of the query must occur in the plain text.
"""

from __future__ import annotations

import logging
import re

import jieba
from django.db import connection
from django.db.models import BooleanField, FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape

from documents.models import SearchEntry

jieba.setLogLevel(logging.WARNING)

_WORD = re.compile(r"\w", re.UNICODE)
#: Characters no database text column takes (NUL in PostgreSQL) or no encoder writes (lone surrogates).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
SNIPPET_CONTEXT = 40
MAX_QUERY_WORDS = 12


def storable(text: str) -> str:
    """The text without the characters a database column cannot keep."""
    return _UNSTORABLE.sub(" ", text or "")


def words(text: str) -> list[str]:
    """The words of a text for the index and for queries, lower-cased, without spaces and punctuation."""
    return [w.lower() for w in jieba.cut_for_search(storable(text)) if _WORD.search(w)]


def segment(text: str) -> str:
    return " ".join(words(text))


def query_words(query: str) -> list[str]:
    """A query's words, each once, in order (at most MAX_QUERY_WORDS)."""
    seen: dict[str, None] = {}
    for word in words(query):
        seen.setdefault(word, None)
    return list(seen)[:MAX_QUERY_WORDS]


def uses_word_index() -> bool:
    return connection.vendor == "postgresql"


def in_cases(case_ids: QuerySet) -> Q | RawSQL:
    """Entries of these cases (`case_ids`: a query of case ids). On PostgreSQL the ids are passed as one array,
    which the planner estimates well enough to read only those cases' entries (as a subquery, it read every match
    of every region first: 5 times slower at 100,000 cases)."""
    if uses_word_index():
        return RawSQL("documents_searchentry.case_id = ANY(%s)", [list(case_ids)], output_field=BooleanField())
    return Q(case_id__in=case_ids)


def matching(qs: QuerySet[SearchEntry], query: str) -> QuerySet[SearchEntry]:
    """The entries of `qs` that hold every word of the query, best first."""
    found = query_words(query)
    if not found:
        return qs.none()
    if uses_word_index():
        terms = " ".join(found)
        # search_vector: to_tsvector('simple', terms), stored and GIN-indexed by the database (migration 0004).
        match = RawSQL("search_vector @@ plainto_tsquery('simple', %s)", [terms], output_field=BooleanField())
        rank = RawSQL("ts_rank(search_vector, plainto_tsquery('simple', %s))", [terms], output_field=FloatField())
        return qs.filter(match).annotate(rank=rank).order_by("-rank", "-case_id", "source", "source_id")
    condition = Q()
    for word in found:
        condition &= Q(text__icontains=word)
    return qs.filter(condition).order_by("-case_id", "source", "source_id")


def snippet(text: str, query: str) -> str:
    """A short passage of `text` around the first word of the query it holds, as HTML: the text escaped, each word
    of the query wrapped in <mark>."""
    found = sorted(query_words(query), key=len, reverse=True)
    lowered = text.lower()
    positions = [lowered.find(w) for w in found if lowered.find(w) >= 0]
    start = max(0, min(positions) - SNIPPET_CONTEXT) if positions else 0
    end = min(len(text), (min(positions) if positions else 0) + SNIPPET_CONTEXT * 2)
    passage = " ".join(text[start:end].split())
    if found:
        pattern = re.compile("|".join(re.escape(w) for w in found), re.IGNORECASE)
        pieces, last = [], 0
        for hit in pattern.finditer(passage):
            pieces += [escape(passage[last:hit.start()]), f"<mark>{escape(hit.group())}</mark>"]
            last = hit.end()
        pieces.append(escape(passage[last:]))
        passage_html = "".join(pieces)
    else:
        passage_html = escape(passage)
    return ("…" if start > 0 else "") + passage_html + ("…" if end < len(text) else "")
