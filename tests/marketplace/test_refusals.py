"""The one refusal: its statuses, its sentences, and the two view helpers."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from marketplace.refusals import Refused, attempt, refused_form


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_a_refusal_is_a_conflict_unless_it_says_otherwise():
    assert Refused("Already published.").status == 409
    assert Refused.forbidden("Not yours.").status == 403
    refusal = Refused.bad_input(note="Say why.")
    assert refusal.status == 400 and refusal.fields == {"note": "Say why."}
    assert str(refusal) == "Say why." and refusal.messages() == ["Say why."]


def test_attempt_reports_success_or_the_reasons():
    request = _request()
    assert attempt(request, lambda **kw: None, "Done.", listing=1)
    assert not attempt(request, lambda: (_ for _ in ()).throw(Refused("Too late.")), "Done.")
    assert [str(m) for m in get_messages(request)] == ["Done.", "Too late."]


def test_attempt_lets_programming_errors_through():
    def broken():
        raise ValueError("a bug")

    with pytest.raises(ValueError):
        attempt(_request(), broken)


class NoteForm(forms.Form):
    note = forms.CharField(required=False)


def test_refused_form_puts_reasons_on_fields_or_above_the_form():
    form = NoteForm({"note": ""})
    assert form.is_valid()
    assert refused_form(form, Refused.bad_input(note="Say why.", other="Elsewhere.")) == 400
    assert form.errors == {"note": ["Say why."], "__all__": ["Elsewhere."]}
    form = NoteForm({"note": "x"})
    form.is_valid()
    assert refused_form(form, Refused("Taken already.")) == 409
    assert form.non_field_errors() == ["Taken already."]
