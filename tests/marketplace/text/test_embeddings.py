"""The embedding model and its stand-in: one vector space for Chinese and English."""

from __future__ import annotations

import numpy as np
import pytest

from marketplace.text import embeddings


@pytest.fixture
def model(settings):
    """The real multilingual model (the other tests use the stand-in)."""
    settings.EMBEDDING_MODEL = "e5"
    return embeddings


def _z(cosine: float, pairing: str) -> float:
    mean, spread = embeddings.typical_unrelated()[pairing]
    return (cosine - mean) / spread


def test_the_model_puts_a_chinese_text_and_its_english_near_each_other(model):
    zh, en, other_zh, other_en = model.passages(
        [
            "钙钛矿/晶硅叠层太阳电池，认证效率超过30%",
            "Perovskite on silicon tandem solar cells with a certified efficiency above 30%",
            "耐盐碱水稻育种：沿海盐碱地的高产水稻新品种",
            "Salt-tolerant rice breeding for coastal farmland",
        ]
    )
    assert zh.shape == (embeddings.DIMENSIONS,)
    assert np.isclose(np.linalg.norm(zh), 1.0, atol=1e-3)
    # Raw cosines favour the same language (two Chinese texts run high whatever they say);
    # measured against typical unrelated pairs of their pairing, the translation stands out.
    assert _z(float(zh @ en), "en-zh") > _z(float(zh @ other_zh), "zh-zh") + 2
    assert _z(float(en @ zh), "en-zh") > _z(float(en @ other_en), "en-en") + 2
    assert _z(float(zh @ en), "en-zh") > 3


def test_a_query_is_embedded_as_a_query_and_remembered(model):
    first = model.query("锂电池热失控预警")
    again = model.query("  锂电池热失控预警 ")  # the same words, spaced differently
    document = model.passages(["锂电池热失控预警"])[0]
    assert np.array_equal(first, again)
    # e5 embeds queries and documents with different prefixes: close, not the same.
    assert 0.8 < float(first @ document) < 0.9999


def test_the_stand_in_is_deterministic_and_lexical(settings):
    settings.EMBEDDING_MODEL = "terms"
    a, b, c = embeddings.passages(["EUV photoresist", "photoresist for EUV", "rice breeding"])
    assert np.allclose(a, embeddings.passages(["EUV photoresist"])[0])
    assert float(a @ b) > 0.7 and abs(float(a @ c)) < 0.3


def test_documents_are_cut_to_what_the_model_reads_and_hashed_with_the_model(settings):
    text = embeddings.document_text("标题", "", "  ", "x" * 5000)
    assert text.startswith("标题\n") and len(text) == embeddings.MAX_CHARACTERS
    settings.EMBEDDING_MODEL = "terms"
    stand_in = embeddings.text_hash(text)
    settings.EMBEDDING_MODEL = "e5"
    assert embeddings.text_hash(text) != stand_in  # another model: embedded again


def test_the_cache_folder_keeps_vectors_between_runs(model, tmp_path, settings, monkeypatch):
    settings.EMBEDDING_CACHE_DIR = str(tmp_path / "vectors")
    (first,) = model.passages(["固态电池硫化物电解质"])
    assert len(list((tmp_path / "vectors").iterdir())) == 1
    monkeypatch.setattr(model, "_model", lambda: pytest.fail("embedded again"))
    (again,) = model.passages(["固态电池硫化物电解质"])
    assert np.array_equal(first, again)
