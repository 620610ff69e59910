"""The error summary after a failed submit (issue 17, docs/accessibility.md): a crispy form
gets it by itself, a form written field by field includes it; the title starts with "Fout:"."""

import re

from concerns.tests.factories import form_data, route


def test_a_failed_concern_shows_the_summary_with_a_link_to_each_field(client, mentor, school, student):
    route(school)
    client.force_login(mentor)
    response = client.post("/zorg/meldingen/nieuw/", form_data(None, None, observation=""))
    assert response.status_code == 200
    html = response.text
    assert re.search(r"<title>Fout: ", html)
    summary = html[html.index("data-error-summary") : html.index("</section>", html.index("data-error-summary"))]
    assert 'href="#id_student"' in summary  # the combobox's own input
    assert 'href="#id_category_0"' in summary  # the first option of the radio group
    assert 'href="#id_observation"' in summary
    assert 'id="id_student"' in html and 'role="combobox"' in html
    assert 'aria-describedby="id_category-error"' in html  # the error on the group


def test_a_crispy_form_gets_the_summary_by_itself(client, coordinator, student):
    client.force_login(coordinator)
    response = client.post(f"/leerlingen/{student.pk}/wijzigen/", {"first_name": "", "last_name": ""})
    assert response.status_code == 200
    html = response.text
    assert re.search(r"<title>Fout: ", html)
    assert "data-error-summary" in html and 'href="#id_first_name"' in html
    assert 'aria-describedby="id_first_name_error"' in html
    assert html.count("<form") == html.count("</form>")


def test_a_page_without_errors_has_no_summary(client, mentor, school):
    route(school)
    client.force_login(mentor)
    html = client.get("/zorg/meldingen/nieuw/").text
    assert "data-error-summary" not in html and "<title>Fout:" not in html
