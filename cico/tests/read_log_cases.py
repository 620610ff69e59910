"""The point card's pages in the read-log proof (carecoord/tests/test_read_log_pages.py
collects `CASES`): each case gets a client and the world `w` of that module (Daan, Sanne and
Noah of School A, the coach of the Viproom, ...) and returns (response, the pupils shown)."""

from cico.tests.factories import card_for, school_day, scored_day


def _card(w, pupil=None):
    card = card_for(pupil or w.daan, facility=w.viproom, by=w.coordinator)
    scored_day(card, school_day(1), {1: [2, 1, 2]})
    return card


def _day(w):
    return f"{school_day(0):%Y-%m-%d}"


def card_list(client, w):
    _card(w), _card(w, w.sanne)
    client.force_login(w.mentor)
    return client.get("/zorg/kaarten/"), [w.daan, w.sanne]


def card_edit(client, w):
    card = _card(w)
    client.force_login(w.coach)
    return client.get(f"/zorg/plaatsingen/{card.placement_id}/kaart/"), [w.daan]


def card_detail(client, w):
    card = _card(w)
    client.force_login(w.coordinator)
    return client.get(f"/zorg/kaarten/{card.pk}/"), [w.daan]


def score(client, w):
    card = _card(w)
    client.force_login(w.mentor)
    return client.get(f"/zorg/kaarten/{card.pk}/{_day(w)}/?uur=1"), [w.daan]


def day_entry(client, w):
    card = _card(w)
    client.force_login(w.coach)
    return client.get(f"/zorg/kaarten/{card.pk}/{_day(w)}/invoeren/"), [w.daan]


def card_print(client, w):
    card = _card(w)
    client.force_login(w.mentor)
    return client.get(f"/zorg/kaarten/{card.pk}/{_day(w)}/afdrukken/"), [w.daan]


def facility_day(client, w):
    _card(w), _card(w, w.noah)
    client.force_login(w.coach)
    return client.get(f"/zorg/voorzieningen/{w.viproom.pk}/kaarten/?dag={_day(w)}"), [w.daan, w.noah]


CASES = {
    "cico:card_list": ("cico:card_list", card_list),
    "cico:card_edit": ("cico:card_edit", card_edit),
    "cico:card_detail": ("cico:card_detail", card_detail),
    "cico:score": ("cico:score", score),
    "cico:day_entry": ("cico:day_entry", day_entry),
    "cico:card_print": ("cico:card_print", card_print),
    "cico:facility_day": ("cico:facility_day", facility_day),
}
