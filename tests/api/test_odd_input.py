"""Odd input under /api/ (found by an adversarial review): a 4xx in JSON, never a 500 or the
site's HTML page."""

import base64

import pytest

from ..factories import PlacementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def placement(sz3):
    return PlacementFactory(batch=sz3)


def json_error(response, code=400):
    assert response.status_code == code, (response.status_code, response.content[:200])
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("body", [b"[1, 2]", b'"text"'])
def test_a_patch_whose_body_is_not_an_object_is_a_400(as_staff, placement, body):
    response = as_staff.patch(
        f"/api/v1/placements/{placement.pk}/",
        body,
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
    )
    json_error(response)


@pytest.mark.parametrize("url", ["placements/", "cadres/"])
def test_a_cursor_whose_position_is_not_a_number_is_a_404(as_staff, placement, url):
    cursor = base64.b64encode(b"p=abc").decode()
    json_error(as_staff.get(f"/api/v1/{url}?cursor={cursor}"), 404)


def test_a_superscript_digit_in_a_progress_id_filter_is_a_400(as_staff, placement):
    json_error(as_staff.get("/api/v1/progress/?duty=%C2%B2"))


@pytest.mark.parametrize("url", ["host-units/", "placements/", "cadres/"])
def test_a_superscript_digit_as_host_unit_is_a_400(as_staff, placement, url):
    json_error(as_staff.get(f"/api/v1/{url}?host_unit=%C2%B2"))


def test_a_huge_id_in_a_progress_filter_is_not_a_500(as_staff, placement):
    # SQLite (the default DATABASE_URL) raised OverflowError: a number no id can be
    response = as_staff.get("/api/v1/progress/?placement=99999999999999999999999")
    assert response.status_code < 500


def test_the_api_root_is_the_json_404(as_staff):
    response = as_staff.get("/api/")
    json_error(response, 404)
