import os
import re

import pytest
from django.core.management import call_command

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


def test_the_schema_is_generated_without_a_warning():
    # drf-spectacular warns where it guesses (a name collision, a type it cannot infer).
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", os.devnull)


def test_the_roster_imports_refusal_may_be_the_files_problems_or_a_field_error(as_staff):
    schema = as_staff.get("/api/schema/?format=json").json()
    refusal = schema["paths"]["/api/v1/roster-imports/"]["post"]["responses"]["400"]
    assert refusal["content"]["application/json"]["schema"]["anyOf"] == [
        {"$ref": "#/components/schemas/RosterImportResult"},
        {"$ref": "#/components/schemas/Error"},
    ]
