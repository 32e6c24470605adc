"""List pages filter through django-filter FilterSets, leniently: a URL is something people
share, edit and truncate, so a value that cannot be understood is dropped and the page
says what it ignored, instead of failing or silently showing something else.

``filter_leniently`` cleans the query string (empty values and the page number dropped),
drops unknown values of multiple-choice filters one by one (keeping the good ones) and
every other value its form field refuses, and returns the filterset, the parameters kept
(for links that keep the state) and the sentences to show.
"""

from __future__ import annotations

from dataclasses import dataclass

import django_filters as df
from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _


@dataclass
class Filtered:
    filterset: df.FilterSet
    data: QueryDict  # the parameters in effect, without the page number
    ignored: list[str]  # what could not be understood, one sentence each

    @property
    def query(self) -> str:
        return self.data.urlencode()

    @property
    def qs(self):
        return self.filterset.qs

    @property
    def values(self) -> dict[str, object]:
        """Each filter's value in effect: its cleaned value, or "" when unset or ignored."""
        self.filterset.form.is_valid()
        cleaned = self.filterset.form.cleaned_data
        return {name: cleaned.get(name) or "" for name in self.filterset.filters}


def clean_params(params: QueryDict, *, max_lengths: dict[str, int] | None = None) -> QueryDict:
    """The parameters a FilterSet reads: empty values and the page number dropped, values
    longer than ``max_lengths`` allows cut to length."""
    data = QueryDict(mutable=True)
    for key, values in params.lists():
        kept = [v for v in values if v.strip()]
        if key != "page" and kept:
            data.setlist(key, kept)
    for key, length in (max_lengths or {}).items():
        if key in data:
            data[key] = data[key][:length]
    return data


def _ignored(param: str, error: str) -> str:
    return _("“%(param)s” was ignored: %(error)s") % {"param": param, "error": error}


def _drop_unknown_choices(filterset: df.FilterSet, data: QueryDict) -> list[str]:
    ignored = []
    for name, form_field in filterset.form.fields.items():
        if not isinstance(form_field, forms.MultipleChoiceField):
            continue
        values = data.getlist(name)
        bad = [v for v in values if not form_field.valid_value(v)]
        if bad:
            data.setlist(name, [v for v in values if v not in bad])
            ignored.append(
                _ignored(name, _("unknown value %(values)s") % {"values": ", ".join(bad)})
            )
    return ignored


def filter_leniently(
    filterset_class: type[df.FilterSet],
    params: QueryDict,
    *,
    max_lengths: dict[str, int] | None = None,
    **kwargs,
) -> Filtered:
    """``filterset_class(data, **kwargs)`` over what can be understood of ``params``."""
    data = clean_params(params, max_lengths=max_lengths)
    filterset = filterset_class(data, **kwargs)
    # The form reads ``data`` when it first validates, so this cleaning happens before.
    ignored = _drop_unknown_choices(filterset, data)
    ignored += [
        _ignored(name, " ".join(str(e) for e in errors))
        for name, errors in filterset.errors.items()
    ]
    for name in filterset.errors:
        data.pop(name, None)
    return Filtered(filterset, data, ignored)
