"""The host-unit directory in the admin: import (preview, then confirm) and export with
django-import-export, files read by the roster reader (rosters/host_units.py), and the action
that merges duplicates (adminsite/actions.py merge_host_units). Staff with change rights only."""

import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from placements.models import HostUnit, Placement

from ..factories import HostUnitFactory, PlacementFactory, StaffFactory, UserFactory
from ..roster_files import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:placements_hostunit_import")
PROCESS = reverse("admin:placements_hostunit_process_import")
EXPORT = reverse("admin:placements_hostunit_export")
CHANGELIST = reverse("admin:placements_hostunit_changelist")
HEADER = ["名称", "类型", "城市", "地址", "联系人", "联系电话"]
TENCENT = ["腾讯集团", "民营企业", "深圳", "南山区科技园", "马工", "13800000001"]


def preview(client, data: bytes, name="实训单位库.csv"):
    upload = SimpleUploadedFile(name, data)
    return client.post(IMPORT, {"import_file": upload, "format": "0"})


def confirm(client, response):
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', response.content.decode()))
    keys = ("import_file_name", "original_file_name", "format", "resource", "csrfmiddlewaretoken")
    return client.post(PROCESS, {k: fields[k] for k in keys if k in fields})


def test_a_gbk_csv_is_previewed_without_writing(staff_client):
    response = preview(staff_client, csv_bytes([HEADER, TENCENT], encoding="gbk"))
    assert response.status_code == 200
    assert "腾讯集团" in response.content.decode()
    assert not HostUnit.objects.exists()


def test_confirming_imports_the_units_with_their_kind(staff_client):
    confirm(staff_client, preview(staff_client, csv_bytes([HEADER, TENCENT], encoding="gbk")))
    unit = HostUnit.objects.get()
    assert (unit.name, unit.kind, unit.contact_phone) == ("腾讯集团", "private", "13800000001")


def test_an_xlsx_updates_the_unit_written_another_way_and_keeps_its_name(staff_client):
    unit = HostUnitFactory(name="华润（集团）有限公司", city="")
    data = xlsx_bytes([["实训单位库"], ["单位名称", "所在城市"], ["华润 (集团) 有限公司", "深圳"]])
    confirm(staff_client, preview(staff_client, data, "单位.xlsx"))
    unit.refresh_from_db()
    assert (unit.name, unit.city, unit.version) == ("华润（集团）有限公司", "深圳", 2)


def test_a_blank_cell_keeps_the_stored_value(staff_client):
    HostUnitFactory(name="腾讯集团", contact_person="马工")
    confirm(staff_client, preview(staff_client, csv_bytes([["名称", "联系人"], ["腾讯集团", ""]])))
    assert HostUnit.objects.get().contact_person == "马工"


def test_a_row_with_an_unknown_kind_is_refused_with_its_reason(staff_client):
    row = ["腾讯集团", "大厂", "", "", "", ""]
    response = preview(staff_client, csv_bytes([HEADER, row]))
    assert "大厂 不是实训单位的类型" in response.content.decode()


def test_the_export_has_chinese_headers_and_kind_labels(staff_client):
    HostUnitFactory(name="腾讯集团", kind="private")
    response = staff_client.post(EXPORT, {"format": "0", "resource": "0",
                                          **{f"hostunitresource_{f}": "on" for f in
                                             ("name", "kind", "city", "address",
                                              "contact_person", "contact_phone")}})  # fmt: skip
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == HEADER and rows[1][:2] == ["腾讯集团", "民营企业"]


def test_an_exported_file_imports_as_unchanged(staff_client):
    HostUnitFactory(name="腾讯集团", kind="private", city="深圳", contact_phone="13800000001")
    response = staff_client.post(EXPORT, {"format": "0", "resource": "0",
                                          **{f"hostunitresource_{f}": "on" for f in
                                             ("name", "kind", "city", "address",
                                              "contact_person", "contact_phone")}})  # fmt: skip
    confirm(staff_client, preview(staff_client, response.content, "export.xlsx"))
    assert HostUnit.objects.get().version == 1


def merge_post(client, units, **extra):
    data = {"action": "merge_host_units", "_selected_action": [u.pk for u in units], **extra}
    return client.post(CHANGELIST, data)


def test_the_merge_action_first_asks_which_unit_to_keep(staff_client, sz3):
    keep, other = HostUnitFactory(name="腾讯集团"), HostUnitFactory(name="腾讯科技（深圳）有限公司")
    PlacementFactory(batch=sz3, host_unit=other)
    response = merge_post(staff_client, [keep, other])
    content = response.content.decode()
    assert "腾讯集团" in content and "1 条实训安排" in content
    assert HostUnit.objects.count() == 2


def test_the_merge_action_merges_into_the_unit_chosen(staff_client, sz3):
    keep, other = HostUnitFactory(name="腾讯集团"), HostUnitFactory(name="腾讯科技（深圳）有限公司")
    placement = PlacementFactory(batch=sz3, host_unit=other)
    merge_post(staff_client, [keep, other], post="yes", keep=keep.pk)
    assert Placement.objects.get(pk=placement.pk).host_unit == keep
    assert list(keep.aliases.values_list("name", flat=True)) == ["腾讯科技（深圳）有限公司"]


@pytest.fixture
def viewer_client(client):
    user = UserFactory(username="viewer", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_hostunit"))
    client.force_login(user)
    return client


def test_staff_who_may_only_view_cannot_import(viewer_client):
    assert viewer_client.get(IMPORT).status_code == 403


def test_staff_who_may_only_view_cannot_merge(viewer_client):
    units = [HostUnitFactory(name="腾讯集团"), HostUnitFactory(name="腾讯公司")]
    merge_post(viewer_client, units, post="yes", keep=units[0].pk)
    assert HostUnit.objects.count() == 2


def test_staff_may_import_and_merge(client):
    client.force_login(StaffFactory())
    response = client.get(CHANGELIST)
    assert response.status_code == 200 and IMPORT in response.content.decode()
    assert 'value="merge_host_units"' in response.content.decode()


def test_a_team_lead_cannot_reach_the_import(client, lead_sz3):
    client.force_login(lead_sz3)
    assert client.get(IMPORT).status_code == 302


def test_anonymous_is_sent_to_log_in(client):
    assert client.get(IMPORT).status_code == 302


def test_the_preview_shows_changes_without_inline_styles(staff_client):
    # import-export's own diff writes <ins style=…>, which the content security policy blocks.
    HostUnitFactory(name="腾讯集团", city="广州")
    response = preview(staff_client, csv_bytes([["名称", "城市"], ["腾讯集团", "深圳"]]))
    table = response.content.decode().split('class="import-preview"')[1]
    assert "<del>广州</del> <ins>深圳</ins>" in table and "style=" not in table
