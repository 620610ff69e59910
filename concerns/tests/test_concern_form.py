"""The zorgroute form (issue 5): guidance by category, the pupil picker, bad input."""

import pytest
from django.utils import timezone

from concerns.forms import ConcernForm
from concerns.models import Concern

from .factories import ConcernCategoryFactory, form_data, route

pytestmark = pytest.mark.django_db

URL = "/zorg/meldingen/nieuw/"


@pytest.fixture
def categories(school):
    return route(school)


def test_the_form_has_at_most_four_required_fields(mentor, school):
    form = ConcernForm(user=mentor, school=school)
    required = [name for name, field in form.fields.items() if field.required and name != "submission_key"]
    assert required == ["student", "category", "observation", "urgency"]


def test_mentor_raises_a_concern_and_lands_on_mijn_meldingen(client, mentor, student, categories):
    client.force_login(mentor)
    response = client.post(URL, form_data(student, categories["gedrag"]), follow=True)
    assert response.redirect_chain[-1][0] == "/zorg/meldingen/mijn/"
    assert "Je zorgmelding is verstuurd." in response.text
    concern = Concern.objects.get()
    assert (concern.student, concern.raised_by, concern.category) == (student, mentor, categories["gedrag"])


def test_the_form_uses_the_pupil_type_ahead_of_the_school(client, mentor, categories):
    client.force_login(mentor)
    page = client.get(URL).text
    assert 'data-combobox-url="/leerlingen/kiezen/"' in page and 'role="combobox"' in page
    assert 'hx-get="/zorg/meldingen/nieuw/richtlijn/"' in page


def test_any_staff_member_may_pick_any_pupil_of_their_school(client, school, student, categories):
    from accounts.models import Role
    from accounts.tests.factories import staff

    teacher = staff(school, Role.COACH)  # not the pupil's mentor
    client.force_login(teacher)
    assert client.post(URL, form_data(student, categories["gedrag"])).status_code == 302


def test_choosing_a_category_shows_its_guidance(client, mentor, categories):
    client.force_login(mentor)
    response = client.get(
        f"/zorg/meldingen/nieuw/richtlijn/?category={categories['gedrag'].pk}", HTTP_HX_REQUEST="true"
    )
    assert "Eerst een mentorgesprek." in response.text
    assert "Zorgcoördinator" in response.text  # who handles it
    assert "<html" not in response.text
    meldcode = client.get(f"/zorg/meldingen/nieuw/richtlijn/?category={categories['veiligheid'].pk}").text
    assert "Meldcode" in meldcode
    assert "0800-2000" in meldcode


def test_guidance_of_another_schools_category_is_not_shown(client, mentor, other_school):
    foreign = ConcernCategoryFactory(school=other_school, guidance_first="Geheim van school B")
    client.force_login(mentor)
    response = client.get(f"/zorg/meldingen/nieuw/richtlijn/?category={foreign.pk}")
    assert response.status_code == 200
    assert "Geheim van school B" not in response.text
    assert client.get("/zorg/meldingen/nieuw/richtlijn/?category=abc").status_code == 200


def test_empty_form_says_what_is_missing(client, mentor, categories):
    client.force_login(mentor)
    response = client.post(URL, form_data(None, None, observation="", urgency=""))
    assert response.status_code == 200
    assert "Kies een leerling" in response.text
    assert "Kies waar je zorg over gaat." in response.text
    assert "Dit veld is verplicht." in response.text  # what you saw, and the urgency
    assert Concern.objects.count() == 0


def test_too_long_text_is_refused_and_what_was_typed_is_kept(client, mentor, student, categories):
    client.force_login(mentor)
    long_text = "Veel te lang verhaal. " * 200
    response = client.post(URL, form_data(student, categories["gedrag"], observation=long_text))
    assert response.status_code == 200
    assert "niet meer dan 4000 tekens bevat" in response.text
    assert "Veel te lang verhaal." in response.text
    assert "Daan Jansen" in response.text  # the picked pupil stays picked
    assert Concern.objects.count() == 0


def test_a_pupil_of_another_school_in_a_crafted_post_is_refused(client, mentor, other_student, categories):
    client.force_login(mentor)
    response = client.post(URL, form_data(other_student, categories["gedrag"]))
    assert response.status_code == 200
    assert "Deze leerling kun je hier niet kiezen" in response.text
    assert "Mila" not in response.text  # and the page does not show who it was
    assert "Zit al twee weken stil achterin" in response.text
    assert Concern.objects.count() == 0


def test_a_pupil_who_left_is_refused(client, mentor, student, categories):
    student.left_on = timezone.localdate()
    student.save()
    client.force_login(mentor)
    response = client.post(URL, form_data(student, categories["gedrag"]))
    assert "Deze leerling kun je hier niet kiezen" in response.text
    assert Concern.objects.count() == 0


def test_a_nonsense_pupil_id_is_refused_without_error(client, mentor, student, categories):
    client.force_login(mentor)
    response = client.post(URL, {**form_data(student, categories["gedrag"]), "student": "1 OR 1=1"})
    assert response.status_code == 200
    assert "Deze leerling kun je hier niet kiezen" in response.text


def test_a_category_of_another_school_is_refused(client, mentor, student, other_school):
    route(student.school)
    foreign = ConcernCategoryFactory(school=other_school)
    client.force_login(mentor)
    response = client.post(URL, form_data(student, foreign))
    assert response.status_code == 200
    assert "Deze categorie hoort niet bij de zorgroute van deze school." in response.text
    assert Concern.objects.count() == 0


def test_an_archived_category_cannot_be_chosen(client, mentor, student, categories):
    categories["gedrag"].is_active = False
    categories["gedrag"].save()
    client.force_login(mentor)
    response = client.post(URL, form_data(student, categories["gedrag"]))
    assert "Deze categorie hoort niet bij de zorgroute van deze school." in response.text


def test_a_school_without_a_route_says_so(client, mentor):
    client.force_login(mentor)
    assert "nog niet ingericht" in client.get(URL).text
