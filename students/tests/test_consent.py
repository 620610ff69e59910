from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from students import services
from students.models import Consent, ConsentPurpose, TimelineEvent
from students.tests.factories import GuardianFactory, StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def turning_16(school_class):
    """A pupil whose 16th birthday was 10 days ago."""
    today = timezone.localdate()
    birthday = today - timedelta(days=10)
    return StudentFactory(school_class=school_class, date_of_birth=birthday.replace(year=birthday.year - 16))


def signed_form():
    """A scanned form as the records app accepts it (a PDF, recognised from its content)."""
    content = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    return SimpleUploadedFile("formulier.pdf", content, content_type="application/pdf")


def _birthday(student):
    born = student.date_of_birth
    return born.replace(year=born.year + 16)


def test_the_day_before_the_16th_birthday_a_guardian_gives_consent(school_class, coordinator, organisation):
    tomorrow = timezone.localdate() + timedelta(days=1)
    turns_16_tomorrow = StudentFactory(
        school_class=school_class, date_of_birth=tomorrow.replace(year=tomorrow.year - 16)
    )
    guardian = GuardianFactory(student=turns_16_tomorrow, has_authority=True)
    with pytest.raises(ValidationError, match="jonger dan 16"):
        services.consent_give(
            student=turns_16_tomorrow,
            organisation=organisation,
            given_on=timezone.localdate(),
            given_by_student=True,
            actor=coordinator,
        )
    consent = services.consent_give(
        student=turns_16_tomorrow,
        organisation=organisation,
        given_on=timezone.localdate(),
        given_by_guardian=guardian,
        actor=coordinator,
    )
    assert consent.given_by_guardian == guardian


@pytest.mark.parametrize("days_back", [1, 400])
def test_a_guardians_consent_dated_before_the_birthday_is_refused_once_the_pupil_is_16(
    turning_16, coordinator, organisation, days_back
):
    """The 16-year rule counts on the date given *and* today: dating a parent's consent back
    to before the birthday (with a reason, even) does not get round it."""
    guardian = GuardianFactory(student=turning_16, has_authority=True)
    before = _birthday(turning_16) - timedelta(days=days_back)
    for giver in ({"given_by_guardian": guardian}, {"given_by_student": True}):
        with pytest.raises(ValidationError, match="inmiddels 16 jaar") as refused:
            services.consent_give(
                student=turning_16,
                organisation=organisation,
                given_on=before,
                backdate_reason="Formulier kwijtgeraakt",
                actor=coordinator,
                **giver,
            )
        assert "given_on" in refused.value.message_dict
    assert not Consent.objects.exists()


def test_consent_dated_more_than_30_days_back_needs_a_reason_and_shows_as_backdated(student, coordinator, organisation):
    guardian = student.guardians.get()
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="meer dan 30 dagen geleden") as refused:
        services.consent_give(
            student=student,
            organisation=organisation,
            given_on=today - timedelta(days=31),
            given_by_guardian=guardian,
            backdate_reason="   ",
            actor=coordinator,
        )
    assert "backdate_reason" in refused.value.message_dict
    thirty = services.consent_give(
        student=student,
        organisation=organisation,
        given_on=today - timedelta(days=30),
        given_by_guardian=guardian,
        actor=coordinator,
    )
    assert not thirty.is_backdated
    backdated = services.consent_give(
        student=student,
        organisation=organisation,
        given_on=today - timedelta(days=31),
        given_by_guardian=guardian,
        backdate_reason="Getekend formulier lag bij de mentor",
        signed_form=signed_form(),
        actor=coordinator,
    )
    assert backdated.is_backdated and backdated.backdate_reason == "Getekend formulier lag bij de mentor"
    from students.timeline import timeline_page

    texts = [e.text for e in timeline_page(student=student, sections={"toestemming"}).shown]
    assert sum("teruggedateerd" in t for t in texts) == 1
    assert any("teruggedateerd; reden: Getekend formulier lag bij de mentor" in t for t in texts)


def test_consent_form_asks_the_reason_for_backdating_and_keeps_what_was_typed(
    client, coordinator, student, organisation
):
    guardian = student.guardians.get()
    client.force_login(coordinator)
    long_ago = timezone.localdate() - timedelta(days=60)
    data = {
        "scope": f"org:{organisation.pk}",
        "giver": str(guardian.pk),
        "given_on": long_ago.strftime("%d-%m-%Y"),
        "note": "via mentor",
    }
    response = client.post(f"/leerlingen/{student.pk}/toestemming/nieuw/", data)
    assert response.status_code == 200
    assert "Schrijf op waarom ze nu pas wordt vastgelegd" in response.text
    assert "via mentor" in response.text and long_ago.strftime("%d-%m-%Y") in response.text
    assert not Consent.objects.exists()
    assert "voeg het getekende toestemmingsformulier toe" in response.text
    response = client.post(
        f"/leerlingen/{student.pk}/toestemming/nieuw/",
        {**data, "backdate_reason": "Formulier lag op school", "signed_form": signed_form()},
    )
    assert response.status_code == 302
    assert Consent.objects.get().backdate_reason == "Formulier lag op school"


def test_on_the_16th_birthday_the_pupil_gives_consent(turning_16, coordinator, organisation):
    guardian = GuardianFactory(student=turning_16, has_authority=True)
    birthday = _birthday(turning_16)
    with pytest.raises(ValidationError, match="16 jaar of ouder"):
        services.consent_give(
            student=turning_16,
            organisation=organisation,
            given_on=birthday,
            given_by_guardian=guardian,
            actor=coordinator,
        )
    consent = services.consent_give(
        student=turning_16, organisation=organisation, given_on=birthday, given_by_student=True, actor=coordinator
    )
    assert consent.given_by_student


def test_guardian_without_authority_cannot_give_consent(student, coordinator, organisation):
    guardian = GuardianFactory(student=student, has_authority=False, name="Stiefvader")
    with pytest.raises(ValidationError, match="geen gezag"):
        services.consent_give(
            student=student,
            organisation=organisation,
            given_on=timezone.localdate(),
            given_by_guardian=guardian,
            actor=coordinator,
        )


def test_guardian_of_another_pupil_cannot_give_consent(student, other_student, coordinator, organisation):
    guardian = GuardianFactory(student=other_student)
    with pytest.raises(ValidationError, match="hoort niet bij"):
        services.consent_give(
            student=student,
            organisation=organisation,
            given_on=timezone.localdate(),
            given_by_guardian=guardian,
            actor=coordinator,
        )


def test_age_is_derived_from_the_date_of_birth():
    pupil = StudentFactory.build(date_of_birth=date(2010, 2, 28))
    assert pupil.age(date(2026, 2, 27)) == 15
    assert pupil.age(date(2026, 2, 28)) == 16
    leap = StudentFactory.build(date_of_birth=date(2008, 2, 29))
    assert leap.age(date(2024, 2, 28)) == 15
    assert leap.age(date(2024, 2, 29)) == 16
    # In a year without 29 February the birthday counts on 1 March.
    assert leap.age(date(2025, 2, 28)) == 16
    assert leap.age(date(2025, 3, 1)) == 17


def test_consent_form_refuses_the_wrong_giver_and_keeps_what_was_typed(client, coordinator, student, organisation):
    client.force_login(coordinator)
    response = client.post(
        f"/leerlingen/{student.pk}/toestemming/nieuw/",
        {"scope": f"org:{organisation.pk}", "giver": "leerling", "given_on": "01-09-2026", "note": "via mentor"},
    )
    assert response.status_code == 200
    assert "jonger dan 16: een ouder of verzorger met gezag geeft toestemming" in response.text
    assert "via mentor" in response.text
    assert not Consent.objects.exists()


def test_consent_form_records_consent_and_timeline(client, coordinator, student, organisation):
    guardian = student.guardians.get()
    client.force_login(coordinator)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(
        f"/leerlingen/{student.pk}/toestemming/nieuw/",
        {"scope": f"org:{organisation.pk}", "giver": str(guardian.pk), "given_on": yesterday.strftime("%d-%m-%Y")},
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert (consent.organisation, consent.given_by_guardian, consent.given_on) == (organisation, guardian, yesterday)
    assert TimelineEvent.objects.filter(student=student, kind="students.consent_given").exists()


def test_consent_for_a_purpose(coordinator, student):
    consent = services.consent_give(
        student=student,
        purpose=ConsentPurpose.OT_BESPREKING,
        given_on=timezone.localdate(),
        given_by_guardian=student.guardians.get(),
        actor=coordinator,
    )
    assert consent.scope_label == "bespreking in het ondersteuningsteam"


def test_consent_for_a_partner_of_another_school_is_refused(coordinator, student, other_school):
    from accounts.tests.factories import OrganisationFactory

    elsewhere = OrganisationFactory(schools=[other_school])
    with pytest.raises(ValidationError, match="werkt niet met deze school"):
        services.consent_give(
            student=student,
            organisation=elsewhere,
            given_on=timezone.localdate(),
            given_by_guardian=student.guardians.get(),
            actor=coordinator,
        )


def test_withdrawal_keeps_history_and_cannot_happen_twice(coordinator, student, organisation):
    consent = services.consent_give(
        student=student,
        organisation=organisation,
        given_on=timezone.localdate(),
        given_by_guardian=student.guardians.get(),
        actor=coordinator,
    )
    services.consent_withdraw(consent=consent, withdrawn_by="vader", reason="", actor=coordinator)
    assert not Consent.objects.active().exists()
    assert Consent.objects.count() == 1
    with pytest.raises(ValidationError):
        services.consent_withdraw(consent=consent, withdrawn_by="vader", reason="", actor=coordinator)
    kinds = list(TimelineEvent.objects.filter(student=student).values_list("kind", flat=True))
    assert "students.consent_withdrawn" in kinds
