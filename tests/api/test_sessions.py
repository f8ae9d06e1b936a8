import pytest

pytestmark = pytest.mark.django_db


def test_a_browser_session_reads_the_api(client, lead_sz3):
    client.force_login(lead_sz3)
    response = client.get("/api/v1/batches/")
    assert response.status_code == 200


def test_a_session_write_without_the_csrf_token_is_refused(lead_sz3):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(lead_sz3)
    response = browser.post("/api/v1/batches/", {}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
