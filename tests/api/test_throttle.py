import pytest

from .conftest import bearer

pytestmark = pytest.mark.django_db


def test_each_token_has_its_own_allowance(api, settings, staff, lead_sz3):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "2/min"},
    }
    first, second = bearer(staff), bearer(staff)
    answers = [api.get("/api/v1/batches/", **first).status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    assert api.get("/api/v1/batches/", **second).status_code == 200
    refused = api.get("/api/v1/batches/", **first)
    assert "请求" in refused.json()["detail"] and "Retry-After" in refused
