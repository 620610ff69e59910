"""The meeting page at scale: each item's forms are printed once per page and filled in per
item (meetings/agenda_forms.py), so they must be exactly what the partials give; the number
of queries does not grow with the agenda."""

import re
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from carecoord.testing import query_count
from meetings.forms import AgreementForm, MinutesForm
from meetings.tests.factories import AgendaItemFactory, AgreementFactory, MeetingFactory
from students.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _page(client, meeting) -> str:
    return _TOKEN.sub('name="csrfmiddlewaretoken" value="T"', client.get(meeting.get_absolute_url()).text)


def _people(meeting) -> list:
    people = list(meeting.participants.select_related("organisation").order_by("name"))
    if meeting.organiser_id not in {p.pk for p in people}:
        people.insert(0, meeting.organiser)
    return people


def _minutes_partial(meeting, item) -> str:
    """The minutes form of `item` as the partial prints it (also the htmx answer)."""
    form = MinutesForm(
        initial={"question": item.question, "notes": item.notes, "decision": item.decision}, prefix=f"m{item.pk}"
    )
    context = {"meeting": meeting, "item": item, "form": form, "csrf_token": "T"}
    return render_to_string("meetings/_item_minutes.html", context)


def _agreement_partial(meeting, item, form=None) -> str:
    form = form or AgreementForm(people=_people(meeting), prefix=f"a{item.pk}")
    action = reverse("meetings:item_agreement_add", args=[meeting.pk, item.pk])
    return render_to_string("meetings/_agreement_form.html", {"form": form, "action": action, "csrf_token": "T"})


def test_each_items_forms_are_the_partials_html(client, coordinator, meeting, student, unconsented_student):
    # Text that escaping changes, line breaks, and the number the stamp uses for the item id.
    tricky = AgendaItemFactory(
        meeting=meeting,
        student=student,
        question='<b>"Daan" & zijn broer</b>\nregel 2 (2147483647)',
        notes="Besproken: 'thuis' <script>",
        decision="",
    )
    plain = AgendaItemFactory(meeting=meeting, student=unconsented_student, question="", notes="", decision="Besluit")
    client.force_login(coordinator)
    page = _page(client, meeting)
    for item in (tricky, plain):
        assert _minutes_partial(meeting, item) in page
        assert _agreement_partial(meeting, item) in page
    assert "Besproken: &#x27;thuis&#x27; &lt;script&gt;" in page
    assert "&lt;b&gt;&quot;Daan&quot; &amp; zijn broer&lt;/b&gt;\nregel 2 (2147483647)" in page


def test_a_refused_agreement_is_shown_as_typed_at_its_item_only(
    client, coordinator, leerplicht, meeting, student, unconsented_student
):
    refused = AgendaItemFactory(meeting=meeting, student=unconsented_student)
    other = AgendaItemFactory(meeting=meeting, student=student)
    client.force_login(coordinator)
    data = {
        f"a{refused.pk}-description": "Verzuimgesprek",
        f"a{refused.pk}-owner": leerplicht.pk,
        f"a{refused.pk}-due_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
    }
    response = client.post(reverse("meetings:item_agreement_add", args=[meeting.pk, refused.pk]), data)
    page = _TOKEN.sub('name="csrfmiddlewaretoken" value="T"', response.text)
    posted = response.context["page"].items[0].agreement_form_html
    assert 'value="Verzuimgesprek"' in posted and "is-invalid" in posted
    assert _agreement_partial(meeting, other) in page
    assert page.count('value="Verzuimgesprek"') == 1


def _fill(meeting, school_class, owner, n):
    for i in range(n):
        item = AgendaItemFactory(
            meeting=meeting, student=StudentFactory(school_class=school_class), notes=f"Besproken {i}", decision="Ja"
        )
        AgreementFactory(meeting=meeting, item=item, owner=owner)
        AgreementFactory(meeting=meeting, item=item, owner=owner, done_at=timezone.now())
    AgreementFactory(meeting=meeting, owner=owner)  # a general one


def test_query_count_is_the_same_for_n_and_2n_items(client, coordinator, consented_partner, school, school_class):
    # With suggestions (an earlier meeting's agreements due) and a partner taking part.
    meeting = MeetingFactory(school=school, organiser=coordinator, participants=[coordinator, consented_partner])
    earlier = MeetingFactory(school=school, organiser=coordinator, starts_at=timezone.now() - timedelta(days=30))
    for _ in range(3):
        item = AgendaItemFactory(meeting=earlier, student=StudentFactory(school_class=school_class))
        AgreementFactory(meeting=earlier, item=item, owner=coordinator, due_on=timezone.localdate())
    client.force_login(coordinator)
    partner_client = Client()
    partner_client.force_login(consented_partner)

    _fill(meeting, school_class, coordinator, 4)
    n_items = query_count(client, meeting.get_absolute_url())
    n_partner = query_count(partner_client, meeting.get_absolute_url())
    _fill(meeting, school_class, coordinator, 4)
    assert len(client.get(meeting.get_absolute_url()).context["page"].items) == 8
    assert query_count(client, meeting.get_absolute_url()) == n_items
    assert query_count(partner_client, meeting.get_absolute_url()) == n_partner


def test_partner_sees_only_consented_items_and_their_agreements(
    client, coordinator, consented_partner, meeting, student, unconsented_student
):
    shown = AgendaItemFactory(meeting=meeting, student=student)
    hidden = AgendaItemFactory(meeting=meeting, student=unconsented_student, question="Vraag over Sanne")
    AgreementFactory(meeting=meeting, item=shown, owner=consented_partner, description="Afspraak over Daan")
    AgreementFactory(meeting=meeting, item=hidden, owner=consented_partner, description="Afspraak over Sanne")
    AgreementFactory(meeting=meeting, owner=consented_partner, description="Algemene afspraak")
    client.force_login(consented_partner)
    page = client.get(meeting.get_absolute_url())
    assert [v.item for v in page.context["page"].items] == [shown]
    assert [a.description for a in page.context["page"].items[0].agreements] == ["Afspraak over Daan"]
    assert "Sanne" not in page.text
    assert "Algemene afspraak" in page.text
    assert "minutes-" not in page.text  # no minutes forms for a participant


def test_suggestions_are_printed_as_the_partial_gives_them(client, coordinator, meeting, school_class):
    from django.utils.html import escape
    from django.utils.text import Truncator

    from meetings import suggestions

    pupil = StudentFactory(school_class=school_class, first_name="Zoë", last_name="O'Neil & <Zn>")
    long_reason = "Lang verhaal <b>& meer</b> " * 20

    def provider(school, meeting):
        return [suggestions.Suggestion(pupil, long_reason, "test"), suggestions.Suggestion(pupil, "Kort", "test")]

    suggestions.register_suggestion_provider(provider)
    try:
        client.force_login(coordinator)
        response = client.get(meeting.get_absolute_url())
    finally:
        suggestions._PROVIDERS.remove(provider)
    (found,) = response.context["page"].suggestions
    page = _TOKEN.sub('name="csrfmiddlewaretoken" value="T"', response.text)
    expected = render_to_string(
        "meetings/_suggestion.html",
        {"s": found, "add_url": reverse("meetings:agenda_add", args=[meeting.pk]), "csrf_token": "T"},
    )
    assert expected.removesuffix("\n") in page
    assert f'name="reason" value="{escape(Truncator(found.reason).chars(300))}"' in page
    assert len(found.reason) > 300 and found.reason.endswith("; Kort")
    assert f"Op de agenda: {escape(pupil.full_name)}" in page


def test_a_refused_general_agreement_is_shown_as_typed_below_the_general_ones(client, coordinator, meeting, student):
    item = AgendaItemFactory(meeting=meeting, student=student)
    client.force_login(coordinator)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    data = {"a0-description": "Rooster aanpassen", "a0-owner": coordinator.pk, "a0-due_on": yesterday}
    response = client.post(reverse("meetings:agreement_add", args=[meeting.pk]), data)
    assert response.status_code == 200
    general = response.context["general_form_html"]
    assert 'value="Rooster aanpassen"' in general
    assert "Deze datum ligt vóór het overleg" in general
    assert f'action="{reverse("meetings:agreement_add", args=[meeting.pk])}"' in general
    page = _TOKEN.sub('name="csrfmiddlewaretoken" value="T"', response.text)
    assert _agreement_partial(meeting, item) in page
