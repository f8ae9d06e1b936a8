"""A cadre named <script>alert(1)</script> stays text everywhere it appears (issue 7).

Every page opens with a listener that fails the test if any dialog opens: a name or a note
that ran as script would open one.
"""

import pytest
from django.urls import reverse

from cohorts.models import Cadre
from tests.factories import HostUnitFactory, PlacementFactory
from tests.roster_files import csv_bytes, person, table

from .conftest import DESKTOP, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NAME = "<script>alert(1)</script>"
UNIT = '<img src=x onerror="alert(2)">单位'
NOTE = "<svg onload=alert(3)>"
PROGRAMME = "赴深圳<script>alert(4)</script>"


@pytest.fixture
def hostile(admin_user, sz3):
    sz3.programme.name = PROGRAMME
    sz3.programme.save()
    placement = PlacementFactory(
        batch=sz3,
        cadre__name=NAME,
        cadre__notes=NOTE,
        home_unit=UNIT,
        host_unit=HostUnitFactory(name=UNIT),
        notes=NOTE,
    )
    return placement


@pytest.fixture
def dialogs(page):
    opened = []

    def dismiss(dialog):
        opened.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    return opened


@pytest.mark.parametrize("page", [DESKTOP], indirect=True, ids=["desktop"])
def test_hostile_names_stay_text_on_every_page(page, live_server, hostile, dialogs):
    log_in(page, live_server)
    cadre, placement = hostile.cadre, hostile
    pages = [
        "/",
        "/placements/",
        "/cadres/",
        "/host-units/",
        f"/lead/batches/{hostile.batch_id}/",
        f"/lead/placements/{placement.pk}/",
        f"/lead/placements/{placement.pk}/history/",
        reverse("admin:cohorts_cadre_changelist"),
        reverse("admin:cohorts_cadre_change", args=[cadre.pk]),
        reverse("admin:placements_placement_changelist"),
        reverse("admin:placements_placement_change", args=[placement.pk]),
        reverse("admin:placements_hostunit_changelist"),
        reverse("admin:cohorts_batch_change", args=[hostile.batch_id]),
    ]
    for path in pages:
        page.goto(live_server.url + path)
        body = page.locator("body").inner_text()
        assert NAME in body or UNIT in body or PROGRAMME in body, path
    screenshot(page, "hostile-batch-admin")
    assert dialogs == [] and page.console_errors == []


@pytest.mark.parametrize("page", [DESKTOP], indirect=True, ids=["desktop"])
def test_hostile_rows_stay_text_in_the_import_preview(
    page, live_server, admin_user, sz3, dialogs, tmp_path
):
    rows = [person(1, 姓名=NAME, 备注=NOTE), person(2, 职级=UNIT, 实训单位=UNIT)]
    roster = tmp_path / "hostile.csv"
    roster.write_bytes(csv_bytes(table(rows), "gbk"))
    log_in(page, live_server)
    page.goto(live_server.url + reverse("admin:placements_placement_import"))
    page.set_input_files("#id_file", str(roster))
    page.click("input[type=submit]")
    page.wait_for_selector(".roster-counts, .errornote, table")
    body = page.locator("body").inner_text()
    assert NAME in body and UNIT in body  # the error names the unknown rank as written
    screenshot(page, "hostile-import-preview")
    assert dialogs == [] and page.console_errors == []
    assert not Cadre.objects.exists()  # the file has an error: nothing imported
