"""Headers and caching (issue 15 item 7): a Content-Security-Policy without 'unsafe-inline',
no inline scripts, handlers or styles in our templates, and no-store on everything a signed-in
user gets. (`check --deploy` is test_health_and_settings.py; the browser's view of the policy
is test_browser_csp.py and every browser test.)"""

import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

OURS = Path(settings.BASE_DIR)


def _templates():
    for path in OURS.rglob("templates/**/*.html"):
        if not {".venv", "node_modules", "staticfiles", "artifacts"} & set(path.parts):
            yield path


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTR = re.compile(r"\sstyle\s*=", re.I)
JS_URL = re.compile(r"javascript:", re.I)
TRIGGER = re.compile(r"hx-trigger=\"([^\"]*)\"", re.I)


class _EvalTrigger:
    """An htmx trigger filter (`click[ctrlKey]`, `every 2s [idle()]`) is run with eval; a CSS
    selector after `from:` or `target:` (`from:input[name=q]`) is not."""

    def finditer(self, text):
        for match in TRIGGER.finditer(text):
            tokens = match.group(1).replace(",", " ").split()
            if any("[" in t and not t.startswith(("from:", "target:")) for t in tokens):
                yield match

    def search(self, text):
        return next(iter(self.finditer(text)), None)


EVAL_TRIGGER = _EvalTrigger()


def test_no_template_has_inline_script_handler_style_or_javascript_url():
    found = []
    for path in _templates():
        text = path.read_text()
        for name, pattern in (
            ("inline <script>", INLINE_SCRIPT),
            ("on*= handler", HANDLER),
            ("style= attribute", STYLE_ATTR),
            ("javascript: URL", JS_URL),
            ("hx-trigger filter (eval)", EVAL_TRIGGER),
            ("hx-on (eval)", re.compile(r"hx-on", re.I)),
        ):
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(OURS)}:{line}: {name}")
    assert not found, "\n".join(found)


def test_the_scan_finds_what_it_looks_for():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/x.js"></script>')
    assert not INLINE_SCRIPT.search('<script type="application/json" id="d">{}</script>')
    assert HANDLER.search('<button onclick="x()">') and STYLE_ATTR.search('<p style="color:red">')
    assert EVAL_TRIGGER.search('hx-trigger="every 2s [idle()]"') and EVAL_TRIGGER.search('hx-trigger="click[ctrlKey]"')
    assert not EVAL_TRIGGER.search('hx-trigger="every 2s, input changed from:input[name=q]"')


def test_every_page_has_a_csp_without_unsafe_inline(client, coordinator, student):
    for response in (client.get("/account/login/"), _signed_in(client, coordinator).get(f"/leerlingen/{student.pk}/")):
        policy = response["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
        assert "unsafe" not in policy


def _signed_in(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/leerlingen/",
        "/leerlingen/{pk}/",
        "/leerlingen/export.csv",
        "/leerlingen/export.xlsx",
        "/leerlingen/kiezen/?q=Daan",
        "/zorg/meldingen/",
        "/verzuim/",
    ],
)
def test_pages_partials_and_exports_of_a_signed_in_user_are_never_stored(client, coordinator, student, url):
    client.force_login(coordinator)
    response = client.get(url.format(pk=student.pk), HTTP_HX_REQUEST="true" if "kiezen" in url else "")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_download_is_never_stored_even_without_a_session(rf):
    """Downloads get no-store whoever asks (an export behind a session that just ended)."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from carecoord.middleware import NoStoreMiddleware

    def view(request):
        response = HttpResponse(b"a;b")
        response["Content-Disposition"] = 'attachment; filename="x.csv"'
        return response

    request = rf.get("/x.csv")
    request.user = AnonymousUser()
    assert "no-store" in NoStoreMiddleware(view)(request)["Cache-Control"]
    page = NoStoreMiddleware(lambda r: HttpResponse(b"<p>"))(request)
    assert "Cache-Control" not in page  # a page for nobody signed in: left to the view


def test_the_passkey_steps_json_block_carries_the_policys_nonce(rf, coordinator):
    """Our allauth template (templates/mfa/authenticate.html): its JSON data block is never
    run, and carries the CSP nonce of the request all the same."""
    from django import forms
    from django.template.loader import render_to_string

    class Credential(forms.Form):
        credential = forms.CharField(widget=forms.HiddenInput)

    request = rf.get("/account/2fa/authenticate/")
    request.user = coordinator
    request.csp_nonce = "n0nce-for-test"
    request.school, request.roles = None, frozenset()
    html = render_to_string(
        "mfa/authenticate.html",
        {"form": forms.Form(), "webauthn_form": Credential(), "MFA_SUPPORTED_TYPES": ["webauthn"], "js_data": {}},
        request=request,
    )
    assert 'data-allauth-onload="allauth.webauthn.forms.authenticateForm"' in html
    assert 'type="application/json" nonce="n0nce-for-test"' in html
