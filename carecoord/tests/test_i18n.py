"""The interface is Dutch first and complete in English."""

import ast
import gettext
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"


def _po_entries(path):
    """(msgid, msgstr, fuzzy) of a .po file; enough of the format for this check."""
    entries, current, field, fuzzy = [], {"msgid": "", "msgstr": ""}, None, False
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith(("msgid ", "msgstr ", "msgstr[0] ")):
            field = line.split(" ", 1)[0].replace("[0]", "")
            if field == "msgid" and current["msgid"]:
                entries.append((current["msgid"], current["msgstr"], current.get("fuzzy", False)))
                current = {"msgid": "", "msgstr": ""}
            current[field] = current.get(field, "") + ast.literal_eval(line.split(" ", 1)[1])
            current["fuzzy"] = fuzzy if field == "msgid" else current.get("fuzzy", False)
            if field == "msgid":
                fuzzy = False
        elif line.startswith('"') and field in ("msgid", "msgstr"):
            current[field] += ast.literal_eval(line)
        elif line.startswith(("msgid_plural", "msgstr[")):
            field = None
    if current["msgid"]:
        entries.append((current["msgid"], current["msgstr"], current.get("fuzzy", False)))
    return entries


def test_every_text_has_an_english_translation():
    entries = _po_entries(LOCALE / "en/LC_MESSAGES/django.po")
    assert len(entries) > 100
    missing = [msgid for msgid, msgstr, fuzzy in entries if not msgstr or fuzzy]
    assert missing == []


def test_compiled_catalogues_match_the_po_files():
    for lang in ("en", "nl"):
        po = {msgid for msgid, _, _ in _po_entries(LOCALE / f"{lang}/LC_MESSAGES/django.po")}
        with open(LOCALE / f"{lang}/LC_MESSAGES/django.mo", "rb") as fh:
            mo = {key if isinstance(key, str) else key[0] for key in gettext.GNUTranslations(fh)._catalog if key}
        assert po <= mo, f"{lang}: run scripts/i18n (compile) — {sorted(po - mo)[:5]}"


def test_translatable_texts_use_names_makemessages_finds():
    """makemessages only extracts calls named _, gettext, ngettext, pgettext… An alias such as
    `gettext as _g` hides its texts from the catalogue (they would stay Dutch in English)."""
    import re

    pattern = re.compile(r"from django\.utils\.translation import .*\b(\w*gettext\w*) as (?!_\b)(\w+)")
    offenders = []
    for path in Path(settings.BASE_DIR).glob("*/**/*.py"):
        if ".venv" in path.parts:
            continue
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)}")
    assert offenders == []


@pytest.mark.django_db
def test_timeline_texts_are_translated(client, coordinator, student):
    from students.timeline import timeline_add

    timeline_add(student=student, kind="students.updated", actor=coordinator, fields=["klas"])
    client.force_login(coordinator)
    client.post("/taal/", {"language": "en", "next": "/"})
    shown = client.get(student.get_absolute_url()).context["timeline"].shown
    assert shown[0].text == "Details changed: klas"
