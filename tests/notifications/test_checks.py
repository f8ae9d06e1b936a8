"""`check --deploy` warns while links in messages would point at this machine."""

from notifications.checks import site_url_is_set


def test_a_local_site_url_is_reported(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert [w.id for w in site_url_is_set(None)] == ["notifications.W001"]


def test_the_sites_own_address_passes(settings):
    settings.SITE_URL = "https://cadres.example.org"
    assert site_url_is_set(None) == []
