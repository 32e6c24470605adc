"""The bilingual technical glossary: a Chinese listing and an English one about the same
thing share its concepts even when they share no word (光刻胶 and "photoresist").

Matching adds each concept a text mentions as a term of its own (``CONCEPT`` + name), and
the search looks for a query's concepts in all their forms, in both languages.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from marketplace.text.analysis import has_cjk, terms_of

# Concepts are terms of their own ("§photoresist"), added wherever any of their Chinese or
# English forms occurs, so that 光刻胶 in one listing meets "photoresist" in another.
CONCEPT = "§"
GLOSSARY_FILE = Path(__file__).with_name("glossary.txt")


@dataclass(frozen=True)
class Glossary:
    substrings: dict[str, str]  # Chinese form → concept
    phrases: dict[tuple[str, ...], str]  # stemmed English form → concept
    longest: int  # words in the longest English form
    forms: dict[str, tuple[str, ...]]  # concept → every form, for the full-text query
    labels: dict[str, str]  # concept → "photoresist/光刻胶"


@cache
def glossary() -> Glossary:
    substrings, phrases, forms, labels = {}, {}, {}, {}
    for line in GLOSSARY_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        chinese, _sep, english = line.partition("=")
        all_forms = [f.strip() for f in chinese.split("/") + english.split(";") if f.strip()]
        latin = [f for f in all_forms if not has_cjk(f)]
        cjk = [f for f in all_forms if has_cjk(f)]
        if not latin or not cjk:
            raise ValueError(f"glossary.txt: a concept needs both languages: {line!r}")
        concept = CONCEPT + "_".join(t for t, _s in terms_of(latin[0]))
        forms[concept] = tuple(all_forms)
        labels[concept] = f"{latin[0]}/{cjk[0]}"
        for form in cjk:
            substrings[form] = concept
        for form in latin:
            stems = tuple(t for t, _s in terms_of(form))
            if stems:
                phrases[stems] = concept
    return Glossary(substrings, phrases, max(map(len, phrases)), forms, labels)


def concepts_of(text: str, stems: list[str]) -> list[str]:
    """The glossary concepts a text mentions, once per mention."""
    g = glossary()
    found = []
    if has_cjk(text):
        for form, concept in g.substrings.items():
            found += [concept] * text.count(form)
    for i in range(len(stems)):
        for n in range(1, min(g.longest, len(stems) - i) + 1):
            concept = g.phrases.get(tuple(stems[i : i + n]))
            if concept:
                found.append(concept)
    return found


def concepts_in_query(text: str) -> list[str]:
    """The glossary concepts a search query names, in the order it names them."""
    return list(dict.fromkeys(concepts_of(text, [t for t, _s in terms_of(text)])))
