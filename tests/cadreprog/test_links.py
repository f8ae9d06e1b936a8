"""A list's links reversed once are the links reversed one by one (cadreprog/links.py)."""

from django.urls import reverse

from cadreprog.links import pk_link


def test_a_link_is_the_reversed_url():
    link = pk_link("lead-placement-history")
    for pk in (1, 42, 987654321):
        assert link(pk) == reverse("lead-placement-history", args=[pk])


def test_an_admin_link_is_the_reversed_url():
    link = pk_link("admin:placements_placement_change")
    assert link(7) == reverse("admin:placements_placement_change", args=[7])
