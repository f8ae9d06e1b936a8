"""Roster import and export in the admin: upload, preview, confirm, error file, template."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from cohorts import idnumbers
from placements.models import Placement, RosterImport, RosterUpload
from security.models import AccessRecord

from ..factories import BatchFactory, PlacementFactory
from ..helpers import body
from ..roster_files import csv_bytes, person, table, xlsx_bytes

pytestmark = pytest.mark.django_db
IMPORT = reverse("admin:placements_placement_import")
CONFIRM = reverse("admin:placements_placement_import_confirm")
EXPORT = reverse("admin:placements_placement_export")


def upload(client, data: bytes, name="花名册.csv", **fields):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data), **fields})


def test_upload_shows_a_preview_and_writes_nothing(staff_client, sz3):
    response = upload(staff_client, csv_bytes(table([person(1), person(2)]), "gbk"))
    assert response.status_code == 200
    assert response.context["counts"]["new"] == 2
    assert "确认导入" in response.content.decode()
    assert not Placement.objects.exists()


def test_confirm_imports_and_lands_on_the_batch(staff_client, sz3):
    token = upload(staff_client, csv_bytes(table([person(1)]), "gbk")).context["token"]
    response = staff_client.post(CONFIRM, {"token": token})
    assert response.status_code == 302
    assert response["Location"].endswith(f"?batch__id__exact={sz3.pk}")
    assert Placement.objects.get().batch == sz3
    assert RosterImport.objects.get().file_name == "花名册.csv"


def test_confirm_twice_does_not_import_twice(staff_client, sz3):
    token = upload(staff_client, csv_bytes(table([person(1)]))).context["token"]
    staff_client.post(CONFIRM, {"token": token})
    assert staff_client.post(CONFIRM, {"token": token}).status_code == 404
    assert Placement.objects.count() == 1


def test_preview_of_a_file_with_errors_shows_them_by_row_and_offers_no_confirm(staff_client, sz3):
    response = upload(staff_client, csv_bytes(table([person(1), person(2, 职级="大官")])))
    page = response.content.decode()
    assert "确认导入" not in page
    assert "“大官”不是职级" in page
    shown = [(row.number, row.action) for row in response.context["shown_rows"]]
    assert shown == [(2, "new"), (3, "error")]
    assert RosterImport.objects.get().outcome == "refused"


def test_batch_chosen_on_the_form_stands_for_a_missing_column(staff_client, sz3):
    data = csv_bytes([r[1:] for r in table([person(1)])])
    response = upload(staff_client, data, batch=sz3.pk)
    assert response.context["result"].ok


def test_wrong_file_type_is_refused_on_the_form(staff_client, sz3):
    response = upload(staff_client, b"hello", name="notes.docx")
    assert response.status_code == 200
    assert "请提供 .csv、.xlsx 或 .xls 文件" in response.content.decode()


def test_not_a_spreadsheet_gets_a_clear_message_not_a_traceback(staff_client, sz3):
    response = upload(staff_client, b"\x00\x01\x02binary", name="roster.csv")
    assert response.status_code == 200
    assert "既不是电子表格" in response.content.decode()


def test_error_file_marks_the_failing_row_and_keeps_id_numbers_as_text(staff_client, sz3):
    rows = [["第三批花名册"], *table([person(1), person(2, 性别="?")])]
    token = upload(staff_client, csv_bytes(rows)).context["token"]
    response = staff_client.get(reverse("admin:placements_placement_import_errors", args=[token]))
    sheet = load_workbook(io.BytesIO(body(response))).active
    header = [c.value for c in sheet[2]]
    assert header[-1] == "错误说明"
    assert sheet.cell(row=3, column=len(header)).value is None
    assert "性别" in sheet.cell(row=4, column=len(header)).value
    id_cell = sheet.cell(row=4, column=header.index("身份证号") + 1)
    assert (id_cell.value, id_cell.data_type) == (person(2)["身份证号"], "s")


def test_someone_elses_upload_cannot_be_confirmed(staff_client, client, sz3, django_user_model):
    token = upload(staff_client, csv_bytes(table([person(1)]))).context["token"]
    other = django_user_model.objects.create_superuser("other", password="x")
    client.force_login(other)
    assert client.post(CONFIRM, {"token": token}).status_code == 404
    assert not Placement.objects.exists()


def test_blank_template_has_the_headers_text_columns_and_an_example(staff_client):
    response = staff_client.get(reverse("admin:placements_placement_import_template"))
    sheet = load_workbook(io.BytesIO(body(response))).active
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["批次", "姓名", "性别"]
    id_column = header.index("身份证号") + 1
    assert sheet.cell(row=2, column=id_column).value == "37021219850312001X"
    assert sheet.cell(row=50, column=id_column).number_format == "@"


def test_template_filled_in_imports_without_its_example_row(staff_client, sz3):
    data = staff_client.get(reverse("admin:placements_placement_import_template")).content
    workbook = load_workbook(io.BytesIO(data))
    headers = [c.value for c in workbook.active[1]]
    workbook.active.append([person(1).get(header, "") for header in headers])
    filled = io.BytesIO()
    workbook.save(filled)
    result = upload(staff_client, filled.getvalue(), name="template.xlsx").context["result"]
    assert result.ok, result.problems
    assert [row.name for row in result.rows] == [person(1)["姓名"]]


def test_users_who_cannot_see_every_batch_cannot_import(client, django_user_model, sz3):
    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    for codename in ("add_placement", "change_placement", "view_placement"):
        clerk.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(clerk)
    assert client.get(IMPORT).status_code == 403


def test_export_follows_the_admin_list_filters(staff_client, sz3, shenzhen):
    other = BatchFactory(programme=shenzhen, number=4, start_date=sz3.start_date.replace(year=2021))
    kept = PlacementFactory(batch=sz3)
    PlacementFactory(batch=other)
    response = staff_client.get(EXPORT, {"batch__id__exact": sz3.pk, "format": "csv"})
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert [row[rows[0].index("姓名")] for row in rows[1:]] == [kept.cadre.name]
    assert response["Content-Disposition"].startswith("attachment")


def test_export_masks_id_numbers_without_the_permission(client, django_user_model, sz3):
    placement = PlacementFactory(batch=sz3)
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    for codename in ("view_placement", "view_all_batches"):
        viewer.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(viewer)
    content = body(client.get(EXPORT, {"format": "csv"})).decode("utf-8-sig")
    assert placement.cadre.masked_id_number in content
    assert placement.cadre.id_number not in content


def test_export_selected_action(staff_client, sz3):
    chosen, _other = PlacementFactory.create_batch(2, batch=sz3)
    response = staff_client.post(
        reverse("admin:placements_placement_changelist"),
        {"action": "export_selected_csv", "_selected_action": [chosen.pk]},
    )
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert [row[rows[0].index("姓名")] for row in rows[1:]] == [chosen.cadre.name]


def test_import_history_page_lists_the_changes(staff_client, sz3):
    token = upload(staff_client, csv_bytes(table([person(1)]))).context["token"]
    staff_client.post(CONFIRM, {"token": token})
    record = RosterImport.objects.get()
    page = staff_client.get(reverse("admin:placements_rosterimport_change", args=[record.pk]))
    assert person(1)["姓名"] in page.content.decode()


def test_changelist_offers_import_and_export(staff_client, sz3):
    page = staff_client.get(reverse("admin:placements_placement_changelist")).content.decode()
    assert IMPORT in page and EXPORT in page


def test_error_file_of_an_id_number_excel_made_a_number_keeps_it_as_text(staff_client, sz3):
    rows = table([person(1)])
    rows[1][rows[0].index("身份证号")] = 370212198503120000
    token = upload(staff_client, xlsx_bytes(rows), name="r.xlsx").context["token"]
    response = staff_client.get(reverse("admin:placements_placement_import_errors", args=[token]))
    sheet = load_workbook(io.BytesIO(body(response))).active
    id_cell = sheet.cell(row=2, column=rows[0].index("身份证号") + 1)
    assert id_cell.data_type == "s" and id_cell.value.startswith("3.70212")  # as Excel had it
    assert "文本" in sheet.cell(row=2, column=len(rows[0]) + 1).value


def test_uploads_left_unconfirmed_for_a_day_are_removed(staff_client, sz3):
    import datetime

    from django.utils import timezone

    first = upload(staff_client, csv_bytes(table([person(1)]))).context["token"]
    RosterUpload.objects.filter(token=first).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    upload(staff_client, csv_bytes(table([person(2)])))
    assert not RosterUpload.objects.filter(token=first).exists()
    assert RosterUpload.objects.count() == 1


def test_an_upload_is_its_uploaders_only(staff_client, client, sz3, staff):
    token = upload(staff_client, csv_bytes(table([person(1)]))).context["token"]
    client.force_login(staff)
    assert client.post(CONFIRM, {"token": token}).status_code == 404
    assert not Placement.objects.exists()


# The upload's limits hold at confirmation too; ID numbers in previews and history


def test_a_file_refused_for_its_length_is_not_kept(staff_client, sz3, settings):
    settings.ROSTER_UPLOAD_MAX_ROWS = 5
    response = upload(staff_client, csv_bytes(table([person(n) for n in range(1, 10)])))
    assert "超过 5 行" in response.content.decode()
    assert response.context["token"] == ""
    assert not RosterUpload.objects.exists()


def test_a_token_is_no_way_around_the_row_limit(staff_client, sz3, settings):
    token = upload(staff_client, csv_bytes(table([person(n) for n in range(1, 10)])))
    token = token.context["token"]
    settings.ROSTER_UPLOAD_MAX_ROWS = 5  # as if the preview had been refused
    errors = staff_client.get(reverse("admin:placements_placement_import_errors", args=[token]))
    assert errors.status_code == 404
    response = staff_client.post(CONFIRM, {"token": token}, follow=True)
    assert "超过 5 行" in response.content.decode()
    assert not Placement.objects.exists()


def importer_without_full_ids(client, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    for codename in ("view_all_batches", "add_placement", "change_placement", "view_placement"):
        clerk.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(clerk)
    return client


def import_then_add_the_id_number(sz3) -> str:
    """SZ-3's person 1 imported without an ID number; the number their next file adds."""
    from rosters import importing

    importing.import_roster(csv_bytes(table([person(1, 身份证号="")])), "first.csv")
    return person(1)["身份证号"]


def full_id_records():
    return AccessRecord.objects.filter(kind=AccessRecord.Kind.FULL_ID_NUMBER)


def test_staff_without_full_id_numbers_may_not_import(client, django_user_model, sz3):
    # An import matches people by ID number: its answers (new, unchanged, which row conflicts)
    # would tell whether a guessed number is a cadre's.
    clerk = importer_without_full_ids(client, django_user_model)
    response = clerk.post(
        IMPORT, {"file": SimpleUploadedFile("r.csv", csv_bytes(table([person(1)])))}
    )
    assert response.status_code == 403
    assert not Placement.objects.exists()


def test_the_preview_shows_the_date_of_birth_in_full_with_the_permission(staff_client, sz3):
    import_then_add_the_id_number(sz3)
    text = upload(staff_client, csv_bytes(table([person(1)]))).content.decode()
    assert "<del>1980年2月1日</del> → <ins>1980年2月7日</ins>" in text


def test_the_preview_shows_id_numbers_in_full_with_the_permission_and_logs_it(staff_client, sz3):
    number = import_then_add_the_id_number(sz3)
    assert number in upload(staff_client, csv_bytes(table([person(1)]))).content.decode()
    assert full_id_records().get().cadre_ids == [Placement.objects.get().cadre_id]


def test_the_import_history_is_for_those_who_may_import(client, admin_user, django_user_model, sz3):
    from rosters import importing

    number = import_then_add_the_id_number(sz3)
    importing.import_roster(csv_bytes(table([person(1)])), "second.csv")
    record = RosterImport.objects.get(file_name="second.csv")
    page_url = reverse("admin:placements_rosterimport_change", args=[record.pk])
    assert importer_without_full_ids(client, django_user_model).get(page_url).status_code == 403
    client.force_login(admin_user)  # may see ID numbers in full
    assert number in client.get(page_url).content.decode()
    assert full_id_records().get().cadre_ids == [Placement.objects.get().cadre_id]


def _valid_ending_in_000() -> str:
    """A valid ID number whose sequence ends in 00 and whose check character is 0."""
    day = datetime.date(1980, 1, 1)
    while idnumbers.check_char(f"370212{day:%Y%m%d}100") != "0":
        day += datetime.timedelta(days=1)
    return f"370212{day:%Y%m%d}1000"


def _cut_short(n: int) -> str:
    """person(n)'s ID number as Excel leaves it: the last three digits zeroed, the check failed."""
    number = person(n)["身份证号"][:15] + "000"
    assert not idnumbers.is_valid(number)
    return number


def test_preview_warns_of_a_valid_number_ending_in_000_among_numbers_excel_cut_short(
    staff_client, sz3
):
    number = _valid_ending_in_000()
    rows = [person(1, 身份证号=number, 出生年月="", 性别="女"), person(2, 身份证号=_cut_short(2))]
    page = upload(staff_client, csv_bytes(table(rows))).content.decode()
    assert f"{number} 以 000 结尾，与本文件中被 Excel 截断的身份证号相同" in page


def test_a_valid_number_ending_in_000_alone_gives_no_warning(staff_client, sz3):
    rows = [person(1, 身份证号=_valid_ending_in_000(), 出生年月="", 性别="女"), person(2)]
    response = upload(staff_client, csv_bytes(table(rows)))
    assert response.context["result"].ok
    assert "以 000 结尾" not in response.content.decode()
