import pytest

pytestmark = pytest.mark.django_db


def test_a_path_no_route_takes_is_a_json_404(as_staff):
    response = as_staff.get("/api/v1/batches/0.5/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "未找到，或不在您的查看范围内。"}
