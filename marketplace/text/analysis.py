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
from functools import cache, lru_cache
from pathlib import Path

import jieba
import snowballstemmer

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


# --- Terms: English stemmed, stop words dropped (for matching and the glossary) -----------

# PostgreSQL's english.stop list, so that both sides drop the same words.
STOP_WORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom
    this that these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about against between
    into through during before after above below to from up down in out on off over under again
    further then once here there when where why how all any both each few more most other some
    such no nor not only own same so than too very s t can will just don should now
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_ASCII_WORD = re.compile(r"^[a-z][a-z0-9]*$")
_NUMBER = re.compile(r"^[\d.,%]+$")


@cache
def _stemmer():
    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    # The pure-Python stemmer is the slowest step of analysis; vocabularies repeat.
    return _stemmer().stemWord(word)


def _normalise(token: str) -> tuple[str, str] | None:
    """(term, surface) of one token, or None when it carries no meaning of its own."""
    surface = token.strip()
    lowered = surface.lower()
    if not lowered or _NUMBER.match(lowered):
        return None
    if _ASCII_WORD.match(lowered):
        if lowered in STOP_WORDS or len(lowered) < 2:
            return None
        return _stem(lowered), surface
    return lowered, surface


def terms_of(text: str) -> list[tuple[str, str]]:
    """The (term, surface form) pairs of a text, in order, repeats included."""
    out = []
    for token in index_terms(text or ""):
        pair = _normalise(token)
        if pair is not None:
            out.append(pair)
    return out


# A text is English when almost none of its letters are Chinese: an English text may quote a
# Chinese name or two.
_MAX_CJK_SHARE = 0.05


def is_english(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    cjk = sum(1 for c in letters if "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff")
    return cjk / len(letters) <= _MAX_CJK_SHARE
