import pytest
from rest_framework.test import APIClient

from security.api_tokens import api_token_create


def bearer(user) -> dict:
    """The header of a new token of `user`, for the test client."""
    _token, key = api_token_create(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def api():
    """A client that speaks JSON; authenticate with `api.credentials(**bearer(user))`."""
    return APIClient()


@pytest.fixture
def as_staff(api, staff):
    api.credentials(**bearer(staff))
    return api


@pytest.fixture
def as_lead(api, lead_sz3):
    api.credentials(**bearer(lead_sz3))
    return api
