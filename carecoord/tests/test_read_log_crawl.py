"""Find the pages nobody listed: crawl the demo school as each role, following every link from
the home page like a person would, and check on every page that the pupils it shows are the
pupils it logged (issue 15: "every page or partial that shows a pupil with care context").

The per-URL tests (test_read_log_pages.py) prove each page with made-to-measure data; this one
runs over the realistic demo data and catches a page, a link or a role the table forgot.
"""

import re
from collections import Counter, deque
from html import unescape

import pytest
from django.core.management import call_command
from django.urls import resolve

from accounts.models import User
from carecoord.access import readlog
from students.models import FileAccess, Student

pytestmark = pytest.mark.django_db

DEMO_USERS = [
    "zorgcoordinator@dewaard.test",
    "mentor@dewaard.test",
    "coach@dewaard.test",
    "ambulant@debolster.test",
    "ib@deaanloop.test",
    "kansencoach@deaanloop.test",
    "schoolleider@dewaard.test",
    "beheerder@dewaard.test",
    "aandachtsfunctionaris@dewaard.test",
    "verzuim@dewaard.test",
    "leerplicht@partner.test",
    "jeugdteam@partner.test",
]
# Links a person follows but that are not a page of ours to check.
SKIP = re.compile(r"^/(static|admin|account|taal|healthz|overleg/agenda/)")
VISITS_PER_PAGE_KIND = 2  # per user: enough to see each page kind with different data


def _links(html: str) -> list[str]:
    found = []
    for href in re.findall(r'href="(/[^"#]*)', html):
        href = unescape(href)
        if not SKIP.match(href):
            found.append(href)
    return found


def _shown(pupils, text: str, export: bool, logged=frozenset()) -> set[int]:
    if export:
        return {p.pk for p in pupils if p.student_number in text}
    shown = {p.pk for p in pupils if p.full_name in text or p.sort_name in text}
    # A name on a page cannot tell two pupils of that name apart (a pupil handed over to
    # another school is a second pupil with the same name there): when one of them is
    # logged, the name is accounted for.
    by_name = {}
    for p in pupils:
        by_name.setdefault(p.full_name, set()).add(p.pk)
    for p in pupils:
        namesakes = by_name[p.full_name] - {p.pk}
        if p.pk in shown and p.pk not in logged and namesakes & logged:
            shown.discard(p.pk)
    return shown


def test_no_page_in_the_demo_shows_a_pupil_it_does_not_log(client):
    call_command("seed_demo", "--pupils", "20", "--quiet")
    pupils = list(Student.objects.all())
    problems, seen_kinds = [], Counter()
    for email in DEMO_USERS:
        client.force_login(User.objects.get(email=email))
        queue, visited, per_kind = deque(["/"]), set(), Counter()
        while queue:
            url = queue.popleft()
            if url in visited:
                continue
            visited.add(url)
            try:
                view_name = resolve(url.split("?")[0]).view_name
            except Exception:
                continue
            if per_kind[view_name] >= VISITS_PER_PAGE_KIND:
                continue
            per_kind[view_name] += 1
            response = client.get(url)
            if response.status_code != 200:
                continue
            seen_kinds[view_name] += 1
            if response.streaming:
                # A document or the file as a PDF: binary, so the names cannot be read back
                # here (records/tests check their read log); it must still be a known page.
                b"".join(response.streaming_content)
                if readlog.page_log(view_name) is None:
                    problems.append(f"{email} {url}: {view_name} is not in carecoord/access/readlog.py")
                continue
            export = "attachment" in response.get("Content-Disposition", "")
            if export:
                text = response.content.decode("utf-8-sig", errors="replace")
                if "spreadsheetml" in response["Content-Type"]:
                    continue  # the same table as the CSV, checked there
            else:
                text = unescape(response.content.decode())
                queue.extend(_links(response.content.decode()))
            rows = list(FileAccess.objects.filter(request_id=response["X-Request-ID"]))
            logged = [r.student_id for r in rows]
            shown = _shown(pupils, text, export, logged=set(logged))
            entry = readlog.page_log(view_name)
            if entry is None:
                problems.append(f"{email} {url}: {view_name} is not in carecoord/access/readlog.py")
                continue
            if len(logged) != len(set(logged)):
                problems.append(f"{email} {url}: a pupil logged twice")
            if entry.kind == readlog.LOGS:
                if set(logged) != shown:
                    missing = {p.full_name for p in pupils if p.pk in shown - set(logged)}
                    extra = {p.full_name for p in pupils if p.pk in set(logged) - shown}
                    problems.append(f"{email} {url}: shown but not logged {missing}, logged but not shown {extra}")
            elif logged:
                problems.append(f"{email} {url}: {entry.kind} page wrote the read log")
            elif shown and entry.kind == readlog.NO_PUPILS:
                problems.append(f"{email} {url}: marked 'no pupils' but shows {len(shown)}")
    assert not problems, "\n".join(problems)
    # The crawl reached the pages that log (not only the home page).
    logging_kinds = {k for k in seen_kinds if readlog.PAGES.get(k, readlog.NONE).kind == readlog.LOGS}
    assert len(logging_kinds) >= 20, sorted(logging_kinds)
