import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_schema_is_openapi_3_for_a_token(as_lead):
    response = as_lead.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = response.json()
    assert response.status_code == 200 and schema["openapi"].startswith("3.")
    assert "/api/v1/batches/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_every_operation_documents_the_errors_it_may_answer(as_staff):
    schema = as_staff.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"401", "403", "404"} <= operation["responses"].keys(), (method, path)


def test_the_documentation_loads_nothing_from_elsewhere(client, staff):
    client.force_login(staff)
    page = client.get("/api/docs/").text
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets and all(a.startswith("/") for a in assets), assets
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    assert "<style" not in page  # the site's policy allows no inline style


def test_the_documentation_sends_anonymous_visitors_to_log_in(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
