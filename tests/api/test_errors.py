import pytest

pytestmark = pytest.mark.django_db


def test_odd_input_is_a_json_400(as_staff):
    response = as_staff.get("/api/v1/batches/?q=%00")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "控制字符" in response.json()["detail"]


def test_a_bad_cursor_is_a_404_in_chinese(as_staff):
    response = as_staff.get("/api/v1/batches/?cursor=abc")
    assert response.status_code == 404
    assert response.json()["detail"] == "无效游标"


def test_an_unknown_method_is_a_405_in_chinese(as_staff):
    response = as_staff.delete("/api/v1/batches/")
    assert response.status_code == 405
    assert response.json()["detail"] == "方法 “DELETE” 不被允许。"


def test_a_form_with_more_fields_than_django_parses_is_a_400(as_staff, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    ids = [str(n) for n in range(1, 10)]
    response = as_staff.post("/api/v1/placements/status/", {"ids": ids}, format="multipart")
    assert response.status_code == 400
    assert response.json() == {"detail": "请求过大，或字段过多。"}
