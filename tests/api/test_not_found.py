import pytest
from rest_framework.test import APIClient

from .conftest import bearer

pytestmark = pytest.mark.django_db


def test_a_path_no_route_takes_is_a_json_404(as_staff):
    response = as_staff.get("/api/v1/batches/0.5/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "未找到，或不在您的查看范围内。"}


def test_a_change_to_a_path_no_route_takes_is_a_json_404_not_a_csrf_page(staff):
    client = APIClient(enforce_csrf_checks=True)  # as a real client meets it
    client.credentials(**bearer(staff))
    response = client.patch("/api/v1/placements/0.5/", {"status": "on_site"}, format="json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
