"""FastSelect writes the same drop-down as Django's template-rendered Select (values and
labels escaped, the chosen one selected), only faster (bench/region.py)."""

import pytest
from django import forms

from carecoord.forms import FastSelect, style_selects

CHOICES = [("", "alle"), ("1", "1A"), ("2", 'Klas <2> & "co"'), ("3", "3C")]


def _same(html: str) -> str:
    return "".join(html.split())


@pytest.mark.parametrize("value", ["", "2", None, ["3"]])
def test_fast_select_writes_what_django_writes(value):
    attrs = {"class": "form-select", "id": "id_klas", "aria-describedby": "help"}
    django_html = forms.Select(choices=CHOICES, attrs=attrs).render("klas", value)
    fast_html = FastSelect(choices=CHOICES, attrs=attrs).render("klas", value)
    assert _same(fast_html) == _same(django_html)
    assert "&lt;2&gt; &amp; &quot;co&quot;" in fast_html


def test_optgroups_are_kept():
    choices = [("Onderbouw", [("1", "1A"), ("2", "2A")]), ("Bovenbouw", [("4", "4A")])]
    assert _same(FastSelect(choices=choices).render("k", "4")) == _same(forms.Select(choices=choices).render("k", "4"))


def test_style_selects_uses_fast_select_for_plain_drop_downs_only():
    class Form(forms.Form):
        one = forms.ChoiceField(choices=CHOICES)
        many = forms.MultipleChoiceField(choices=CHOICES)
        radio = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect)

    form = Form()
    style_selects(form)
    assert type(form.fields["one"].widget) is FastSelect
    assert type(form.fields["many"].widget) is forms.SelectMultiple
    assert type(form.fields["radio"].widget) is forms.RadioSelect
