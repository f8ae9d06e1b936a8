"""The roster import record (花名册导入记录) and preview in the words staff read: labels of
choices rather than codes, dates in Chinese, local time (Asia/Shanghai) everywhere."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from placements.models import Placement, RosterImport

from ..roster_files import csv_bytes, person, table

pytestmark = pytest.mark.django_db
IMPORT = reverse("admin:placements_placement_import")
CONFIRM = reverse("admin:placements_placement_import_confirm")


def imported(client, rows):
    upload = SimpleUploadedFile("花名册.csv", csv_bytes(table(rows)))
    token = client.post(IMPORT, {"file": upload}).context["token"]
    client.post(CONFIRM, {"token": token})
    return RosterImport.objects.first()


def record_page(client, record) -> str:
    url = reverse("admin:placements_rosterimport_change", args=[record.pk])
    return client.get(url).content.decode()


def test_a_new_row_shows_labels_of_choices_and_a_chinese_date(staff_client, sz3):
    page = record_page(staff_client, imported(staff_client, [person(1)]))
    assert "性别：— → 男" in page
    assert "职级：其他 → 副处级" in page
    assert "干部类别：— → 党政群机关" in page
    assert "出生日期：— → 1980年2月7日" in page
    assert "→ M" not in page and "division_deputy" not in page


def test_an_updated_row_shows_labels_before_and_after(staff_client, sz3):
    imported(staff_client, [person(1)])
    page = record_page(staff_client, imported(staff_client, [person(1, 职级="正处级")]))
    assert "职级：副处级 → 正处级" in page


def test_the_preview_of_an_updated_row_shows_labels(staff_client, sz3):
    imported(staff_client, [person(1)])
    upload = SimpleUploadedFile("花名册.csv", csv_bytes(table([person(1, 职级="正处级")])))
    page = staff_client.post(IMPORT, {"file": upload}).content.decode()
    assert "副处级</del> → <ins>正处级" in page


def test_the_updated_count_is_labelled_updated_not_updated_at(staff_client, sz3):
    page = record_page(staff_client, imported(staff_client, [person(1)]))
    assert re.search(r">更新[:：]</label>", page) and "更新时间" not in page
    assert str(Placement._meta.get_field("updated_at").verbose_name) == "更新时间"


def test_the_record_is_named_by_its_local_time(staff_client, sz3):
    record = RosterImport.objects.create(source="admin", file_name="a.csv", outcome="imported")
    utc = datetime.datetime(2024, 1, 1, 20, 30, tzinfo=datetime.UTC)
    RosterImport.objects.filter(pk=record.pk).update(created_at=utc)
    record.refresh_from_db()
    assert str(record) == "a.csv · 2024-01-02 04:30"
    assert "a.csv · 2024-01-02 04:30" in record_page(staff_client, record)
