"""The headers' links, reversed once per URL configuration and script prefix
(cadreprog/context_processors.py)."""

from django.urls import set_script_prefix

from cadreprog import context_processors
from cadreprog.context_processors import reversed_links


def test_the_links_follow_the_script_prefix():
    try:
        set_script_prefix("/cadres-app/")
        assert reversed_links("cadreprog.urls", "/cadres-app/")["placements"] == (
            "/cadres-app/placements/"
        )
    finally:
        set_script_prefix("/")
    assert reversed_links("cadreprog.urls", "/")["placements"] == "/placements/"


def test_a_page_not_built_gives_no_link(monkeypatch):
    monkeypatch.setitem(context_processors.SITE_LINKS, "nowhere", "no-such-page")
    reversed_links.cache_clear()
    try:
        assert reversed_links("cadreprog.urls", "/")["nowhere"] == ""
    finally:
        reversed_links.cache_clear()
