import datetime

import pytest

from cohorts.terms import today

pytestmark = pytest.mark.django_db


def test_a_batch_says_its_term_status_and_day(as_staff, sz3):
    sz3.start_date = today() - datetime.timedelta(days=9)
    sz3.save()
    batch = as_staff.get(f"/api/v1/batches/{sz3.pk}/").json()
    assert batch["code"] == "SZ-3"
    assert batch["term_status"] == {"code": "in_progress", "label": "进行中"}
    assert batch["day_number"] == 10


def test_a_lead_sees_their_batches_and_programmes_only(as_lead, sz3, sh5):
    batches = as_lead.get("/api/v1/batches/").json()["results"]
    programmes = as_lead.get("/api/v1/programmes/").json()["results"]
    assert [b["code"] for b in batches] == ["SZ-3"]
    assert [p["code"] for p in programmes] == [sz3.programme.code]
    assert as_lead.get(f"/api/v1/batches/{sh5.pk}/").status_code == 404
