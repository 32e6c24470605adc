"""Segmentation of bilingual text into terms.

``index_terms`` is used on documents: jieba's search mode also emits the shorter words
inside a long one (极紫外光刻胶 → 极 紫外 光刻 光刻胶), so a query for a part finds the whole.
``query_terms`` is used on what people type: jieba's precise mode, so 集成电路 stays one term
and still matches 集成电路设计 (indexed as 集成电路 + 设计).
"""

from __future__ import annotations

import logging
import re
import threading
from functools import cache
from pathlib import Path

import jieba

jieba.setLogLevel(logging.WARNING)

_TERMS_FILE = Path(__file__).with_name("terms.txt")
_lock = threading.Lock()
# A term has a letter, digit or CJK character in it; punctuation and spaces are dropped.
_WORDLIKE = re.compile(r"[\w\u3400-\u9fff]", re.UNICODE)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@cache
def _tokenizer() -> jieba.Tokenizer:
    """A jieba tokenizer with our technical terms, loaded once per process."""
    with _lock:
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        tokenizer.load_userdict(str(_TERMS_FILE))
    return tokenizer


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text or ""))


def _keep(token: str) -> bool:
    return bool(token.strip()) and bool(_WORDLIKE.search(token))


def index_terms(text: str) -> list[str]:
    """The terms of a document, including the sub-words of long Chinese words."""
    if not text:
        return []
    return [t.strip() for t in _tokenizer().cut_for_search(text) if _keep(t)]


def query_terms(text: str) -> list[str]:
    """The terms of a query as a person typed it."""
    if not text:
        return []
    return [t.strip() for t in _tokenizer().cut(text) if _keep(t)]


def index_text(text: str) -> str:
    """A document as space-separated terms, ready for ``to_tsvector``."""
    return " ".join(index_terms(text))
