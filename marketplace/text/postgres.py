"""PostgreSQL full-text pieces built on ``analysis``: the one way to make a weighted search
vector and a query, shared by listing pages, saved searches and matching candidates."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Value

from marketplace.text.analysis import index_text, query_terms

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


def search_query(text: str) -> SearchQuery | None:
    """All the terms of what was typed (AND), segmented like the documents; None if empty."""
    terms = query_terms(text)
    if not terms:
        return None
    return SearchQuery(" ".join(terms), search_type="plain", config=CONFIG)
