"""WCAG 2.1 AA and valid HTML on every page the demo reaches, for every role, in Dutch and
English (issue 17).

A crawler, not a list: it signs in as each demo role, follows every link from the home page
like a person would (one visit per page kind per role) and checks each page it reaches with

- **axe-core** (vendored `tests/a11y/axe.min.js`, tags wcag2a, wcag2aa, wcag21a, wcag21aa) in
  the system Chromium: any violation fails;
- the **W3C Nu HTML checker** (`vnu.jar` from the npm package `vnu-jar`, `tests/a11y/`, on
  Java): any error fails.

So a page added later is checked as soon as a link leads to it. Screenshots of the main pages
at 390, 1024 and 1366 px land in `artifacts/a11y/` (kept by CI). Measured on the shared
2-core CI machine under load: the Dutch crawl about 16 minutes (9 roles), the English one less
(each page kind once). Rules for developers:
`docs/accessibility.md`.
"""

import json
import re
import shutil
import subprocess
from collections import deque
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import resolve

from accounts.models import User
from carecoord import testing
from carecoord.testing import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

A11Y = Path(settings.BASE_DIR) / "tests" / "a11y"
VNU_JAR = A11Y / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SHOTS = testing.ARTIFACTS / "a11y"

ROLES = [
    "zorgcoordinator@dewaard.test",
    "mentor@dewaard.test",
    "coach@dewaard.test",
    "schoolleider@dewaard.test",
    "beheerder@dewaard.test",
    "aandachtsfunctionaris@dewaard.test",
    "verzuim@dewaard.test",
    "leerplicht@partner.test",
    "jeugdteam@partner.test",
]
# Links a person follows that are not a page of ours to check here (downloads, the admin, the
# sign-in pages: checked by the pages test below, signed out).
SKIP = re.compile(r"^/(static|admin|account|taal|i18n|healthz|overleg/agenda/)")
SIGNED_OUT = ["/account/login/", "/wachtwoord-vergeten/"]


def _links(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="(/[^"#]*)', html) if not SKIP.match(unescape(h))]


def crawl(client: Client, checked: set | None = None) -> dict[str, str]:
    """url -> HTML of every page reached from the home page, one visit per page kind. Page
    kinds in `checked` are followed for their links but not returned (checked already)."""
    queue, visited, kinds, pages = deque(["/"]), set(), set(), {}
    checked = set() if checked is None else checked
    while queue:
        url = queue.popleft()
        if url in visited:
            continue
        visited.add(url)
        try:
            view_name = resolve(url.split("?")[0]).view_name
        except Exception:
            continue
        if view_name in kinds:
            continue
        response = client.get(url)
        if response.status_code != 200 or response.streaming:
            continue
        if not response["Content-Type"].startswith("text/html") or "attachment" in response.get(
            "Content-Disposition", ""
        ):
            continue
        kinds.add(view_name)
        html = response.content.decode()
        if view_name not in checked:
            pages[url] = html
        queue.extend(_links(html))
    checked |= kinds
    return pages


def nu_errors(documents: dict[str, str], folder: Path) -> list[str]:
    """Run vnu.jar once over every document; its errors as 'name: line:col message'."""
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        if testing.IN_CI:
            pytest.fail("CI=true but no Java or no tests/a11y/node_modules (npm ci in tests/a11y)")
        pytest.skip("needs Java and `npm ci` in tests/a11y for the Nu HTML checker")
    folder.mkdir(parents=True, exist_ok=True)
    names = {}
    for i, (name, html) in enumerate(documents.items()):
        path = folder / f"{i:04d}.html"
        path.write_text(html)
        names[path.name] = name
    result = subprocess.run(
        [java, "-Xss8m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", str(folder)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    found = []
    for m in messages:
        name = names.get(Path(m.get("url", "")).name, m.get("url"))
        found.append(f"{name}: {m.get('lastLine', '?')}:{m.get('firstColumn', '?')} {m['message']}")
    return found


def signed_in_context(browser, client: Client, language: str, width: int = 1366):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="nl-NL")
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [
            {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": client.base_url},
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": client.base_url},
        ]
    )
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", "--pupils", "12", "--quiet")


def _check_role(browser, live_server, email, language, tmp_path, checked=None):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(User.objects.get(email=email))
    pages = crawl(client, checked)
    if checked is None:
        assert len(pages) > 1, f"{email}: the crawl reached only {list(pages)}"
    problems = [f"[Nu] {e}" for e in nu_errors(pages, tmp_path / f"{email}-{language}")]
    client.base_url = live_server.url
    context = signed_in_context(browser, client, language)
    tab = context.new_page()
    for url in pages:
        tab.goto(live_server.url + url)
        problems += [f"[axe] {url}: {v}" for v in axe_violations(tab)]
    context.close()
    return pages, problems


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_page_of_every_role_passes_axe_and_the_nu_checker(browser, live_server, demo, tmp_path, language):
    """Dutch: every page kind as every role (menus, buttons and data differ per role).
    English: every page kind once, as the first role that reaches it (the words differ)."""
    problems, reached = [], 0
    checked = None if language == "nl" else set()
    for email in ROLES:
        pages, found = _check_role(browser, live_server, email, language, tmp_path, checked)
        reached += len(pages)
        problems += [f"{email} {p}" for p in found]
    assert reached >= 40, reached
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_signed_out_pages_pass_axe_and_the_nu_checker(browser, live_server, demo, tmp_path):
    client = Client()
    documents = {url: client.get(url, follow=True).content.decode() for url in SIGNED_OUT}
    problems = [f"[Nu] {e}" for e in nu_errors(documents, tmp_path / "signed-out")]
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="nl-NL")
    tab = context.new_page()
    for url in SIGNED_OUT:
        tab.goto(live_server.url + url)
        problems += [f"[axe] {url}: {v}" for v in axe_violations(tab)]
    context.close()
    assert not problems, "\n".join(problems)


MAIN_PAGES = ["/", "/zorg/meldingen/", "/zorg/meldingen/nieuw/", "/leerlingen/", "/overleg/"]


def test_screenshots_of_the_main_pages_at_three_widths(browser, live_server, demo):
    client = Client()
    client.force_login(User.objects.get(email="zorgcoordinator@dewaard.test"))
    client.base_url = live_server.url
    for width in (390, 1024, 1366):
        context = signed_in_context(browser, client, "nl", width)
        tab = context.new_page()
        for url in MAIN_PAGES:
            response = tab.goto(live_server.url + url)
            assert response.status == 200, url
            slug = url.strip("/").replace("/", "-") or "home"
            testing.screenshot_to(tab, SHOTS / f"main-{width}-{slug}.png")
        context.close()
