"""The outcome pages in the read-log proof (carecoord/tests/test_read_log_pages.py collects
`CASES`): each case gets a client and the world `w` of that module and returns (response,
the pupils shown)."""

from referrals.tests.factories import placed


def placement_outcome(client, w):
    placement = placed(w.daan, w.viproom, by=w.coordinator)
    client.force_login(w.coordinator)
    return client.get(f"/uitkomsten/plaatsing/{placement.pk}/"), [w.daan]


CASES = {
    "outcomes:placement_outcome": ("outcomes:placement_outcome", placement_outcome),
}
