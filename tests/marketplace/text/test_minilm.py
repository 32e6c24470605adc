"""The English model (all-MiniLM-L6-v2 run in numpy): its tokenizer, its similarities, and
which listings get its embedding."""

from __future__ import annotations

import numpy as np
import pytest

from marketplace.text import embeddings
from marketplace.text.minilm import MiniLM


@pytest.fixture(scope="module")
def minilm():
    return MiniLM()


def test_the_tokenizer_splits_as_bert_uncased_does(minilm):
    # [CLS] hello , un ##aff ##able world ! [SEP], accents stripped and lower-cased.
    assert minilm.tokenizer.encode("Héllo, unaffable WORLD!") == [
        101,
        7592,
        1010,
        14477,
        20961,
        3468,
        2088,
        999,
        102,
    ]
    # Each Chinese character is a word of its own; an unknown one is [UNK], not dropped.
    assert len(minilm.tokenizer.encode("电池")) == 4


def test_a_long_text_is_cut_to_what_the_model_was_trained_on(minilm):
    ids = minilm.tokenizer.encode("battery " * 1000)
    assert len(ids) == 256 and ids[0] == 101 and ids[-1] == 102


def test_it_computes_the_similarities_sentence_transformers_computes(minilm):
    food, bread, movie = minilm.embed(
        ["A man is eating food.", "A man is eating a piece of bread.", "The new movie is awesome"]
    )
    assert np.isclose(np.linalg.norm(food), 1.0, atol=1e-5)
    # sentence-transformers' all-MiniLM-L6-v2 gives 0.7553 for this pair.
    assert float(food @ bread) == pytest.approx(0.7553, abs=2e-3)
    assert abs(float(food @ movie)) < 0.1


def test_related_english_texts_stand_far_above_unrelated_ones(minilm):
    cells, modules, rice = minilm.embed(
        [
            "Perovskite on silicon tandem solar cells with a certified efficiency above 30%",
            "Wanted: high-efficiency photovoltaic modules for rooftops",
            "Salt-tolerant rice breeding for coastal farmland",
        ]
    )
    assert float(cells @ modules) > float(cells @ rice) + 0.3


def test_only_english_texts_get_the_english_embedding(settings):
    settings.EMBEDDING_MODEL = "e5"
    english, chinese = embeddings.english_passages(
        [
            "Solid-state lithium battery with a sulfide electrolyte",
            "固态锂电池硫化物电解质的制备方法",
        ]
    )
    assert english is not None and english.shape == (embeddings.DIMENSIONS,)
    assert chinese is None
