"""Crawl every page a user can reach from a start page by following links (href and htmx
GETs), as that user: for the proof that a school leader or an SWV user never reaches a
pupil's name or a page about one pupil."""

import re
from urllib.parse import urldefrag, urlsplit

from django.urls import Resolver404, resolve

from carecoord.access.readlog import LOGS, PICKING, page_log

LINK = re.compile(r'(?:href|data-hx-get|hx-get|action)="([^"]+)"')
# Leaving, signing out and the library's own pages (sign-in, second factor) prove nothing here.
SKIP = ("/account/", "/static/", "/media/", "/admin/", "/taal/")


def crawl(client, start: str, *, limit: int = 300):
    """(url, response) of every page reached from `start`, breadth first."""
    seen, queue, pages = {start}, [start], []
    while queue and len(pages) < limit:
        url = queue.pop(0)
        response = client.get(url)
        pages.append((url, response))
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        for link in LINK.findall(response.content.decode()):
            link = urldefrag(link.replace("&amp;", "&"))[0]
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not link.startswith("/") or link.startswith(SKIP):
                continue
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return pages


# Pages that show pupils to some users and whose URL names an object that is not a pupil:
# for a leader they show figures or nothing (the names test proves it).
NOT_ABOUT_ONE_PUPIL = {
    "todo:today_block": "a block of the home page, named by its kind",
    "referrals:facility_figures": "a facility's figures; the pupils' rows only for its coaches and coordinator",
}


def pupil_pages(pages) -> list[str]:
    """Pages about one pupil or one pupil's record reached (200): pages the read log lists
    as showing pupils (LOGS, PICKING) whose URL names an object. (Lists of the user's own,
    such as "Mijn taken", are checked by the names test: for a leader they are empty.)"""
    found = []
    for url, response in pages:
        if response.status_code != 200:
            continue
        try:
            match = resolve(urlsplit(url).path)
        except Resolver404:
            continue
        entry = page_log(match.view_name)
        if (
            entry is not None
            and entry.kind in (LOGS, PICKING)
            and match.kwargs
            and match.view_name not in NOT_ABOUT_ONE_PUPIL
        ):
            found.append(url)
    return found
