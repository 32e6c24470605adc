"""PostgreSQL full-text pieces built on ``analysis``: the one way to make a weighted search
vector and a query, shared by listing pages, saved searches and matching candidates."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Value

from marketplace.text.analysis import index_text, query_terms
from marketplace.text.glossary import concepts_in_query, glossary

# The english configuration stems English (batteries → batteri) and keeps jieba's Chinese
# terms as they are, since they arrive already separated by spaces.
CONFIG = "english"


def weighted_vector(parts: dict[str, str]) -> SearchVector | None:
    """``{"A": title, "B": keywords, ...}`` → a weighted vector expression (None if empty)."""
    vector = None
    for weight, text in parts.items():
        terms = index_text(text)
        if not terms:
            continue
        piece = SearchVector(Value(terms), weight=weight, config=CONFIG)
        vector = piece if vector is None else vector + piece
    return vector


def _plain(text: str) -> SearchQuery | None:
    terms = query_terms(text)
    if not terms:
        return None
    return SearchQuery(" ".join(terms), search_type="plain", config=CONFIG)


def search_query(text: str) -> SearchQuery | None:
    """All the terms of what was typed (AND), segmented like the documents; or the same in
    the other language, as far as the glossary knows its terms: each concept the query names
    in any of its forms (AND across concepts, OR within one), so that "perovskite solar
    cell" also finds 钙钛矿 and 太阳能电池. None if nothing searchable was typed."""
    query = _plain(text)
    if query is None:
        return None
    forms = glossary().forms
    translated = None
    for concept in concepts_in_query(text):
        either = None
        for form in forms[concept]:
            piece = _plain(form)
            if piece is not None:
                either = piece if either is None else either | piece
        if either is not None:
            translated = either if translated is None else translated & either
    return query if translated is None else query | translated
