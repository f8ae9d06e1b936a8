"""A batch's handouts: /batches/<code>/print/ and /batches/<code>/contacts/ (issue 16)."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from security.models import AccessRecord

from ..factories import CadreFactory, HostUnitFactory, PlacementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def wang(sz3):
    unit = HostUnitFactory(name="腾讯集团", contact_person="李经理", contact_phone="0755-86013388")
    cadre = CadreFactory(name="王浩", gender="M", phone="13912345678", political_status="中共党员")
    return PlacementFactory(batch=sz3, cadre=cadre, group="第二组", host_unit=unit)


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_print_title_names_programme_city_and_batch(client, staff, wang):
    page = get(client, staff, "/batches/SZ-3/print/").content.decode()
    assert "赴深圳体悟实训第3批干部花名册" in page


def test_print_has_the_issues_columns(client, staff, wang):
    page = get(client, staff, "/batches/SZ-3/print/").content.decode()
    headers = ["序号", "姓名", "性别", "出生年月", "政治面貌", "工作单位及职务", "职级", "小组",
               "实训单位", "实训岗位", "联系电话"]  # fmt: skip
    positions = [page.index(f">{h}</th>") for h in headers]
    assert positions == sorted(positions)


def test_print_shows_birth_month_not_day_even_to_staff(client, staff, wang):
    born = wang.cadre.birth_date
    page = get(client, staff, "/batches/SZ-3/print/").content.decode()
    assert f"{born:%Y.%m}" in page
    assert f"{born:%Y-%m-%d}" not in page and f"{born:%Y.%m.%d}" not in page
    assert wang.cadre.id_number not in page


def test_print_shows_phone_to_own_lead(client, lead_sz3, wang):
    assert "13912345678" in get(client, lead_sz3, "/batches/SZ-3/print/").content.decode()


def test_print_of_another_batch_is_404_for_a_lead(client, lead_sh5, wang):
    assert get(client, lead_sh5, "/batches/SZ-3/print/").status_code == 404


def test_print_of_unknown_code_is_404(client, staff, wang):
    assert get(client, staff, "/batches/XX-9/print/").status_code == 404


def test_print_asks_anonymous_to_log_in(client, wang):
    assert client.get("/batches/SZ-3/print/").url.startswith("/accounts/login/")


def test_print_by_group_gives_a_section_per_group(client, staff, sz3, wang):
    PlacementFactory(batch=sz3, group="第一组")
    page = get(client, staff, "/batches/SZ-3/print/?group=1").content.decode()
    assert page.count('<section class="print-section">') == 2
    assert page.index("<h2>第一组") < page.index("<h2>第二组")


def test_print_is_in_the_access_log(client, staff, wang):
    get(client, staff, "/batches/SZ-3/print/")
    assert AccessRecord.objects.get().cadre_ids == [wang.cadre_id]


def test_contacts_list_leads_first_then_groups(client, staff, lead_sz3, sz3, wang):
    PlacementFactory(batch=sz3, group="第一组", cadre=CadreFactory(name="李明"))
    page = get(client, staff, "/batches/SZ-3/contacts/").content.decode()
    assert page.index("王书记") < page.index("李明") < page.index("王浩")


def test_contacts_show_host_unit_contact(client, staff, wang):
    page = get(client, staff, "/batches/SZ-3/contacts/").content.decode()
    assert "李经理" in page and "0755-86013388" in page


def test_contacts_of_another_batch_is_404_for_a_lead(client, lead_sh5, wang):
    for fmt in ("", "xlsx", "vcf"):
        url = f"/batches/SZ-3/contacts/?format={fmt}"
        assert get(client, lead_sh5, url).status_code == 404


def test_contacts_xlsx_keeps_phone_as_text(client, lead_sz3, wang):
    response = get(client, lead_sz3, "/batches/SZ-3/contacts/?format=xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("小组", "姓名", "手机号码")
    assert ("第二组", "王浩", "13912345678", "腾讯集团", "李经理", "0755-86013388") in rows
    assert sheet["C3"].number_format == "@"


def test_contacts_xlsx_file_name_says_what_it_holds(client, staff, wang):
    response = get(client, staff, "/batches/SZ-3/contacts/?format=xlsx")
    assert "%E9%80%9A%E8%AE%AF%E5%BD%95" in response["Content-Disposition"]  # 通讯录


def test_contacts_vcf_names_person_batch_and_group(client, staff, wang):
    response = get(client, staff, "/batches/SZ-3/contacts/?format=vcf")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/vcard")
    assert "FN:王浩（深圳第3批·第二组）\r\n" in text
    assert "TEL;TYPE=CELL:13912345678\r\n" in text


def test_contacts_vcf_folds_long_lines_between_characters(client, staff, sz3, wang):
    wang.host_unit.name = "深圳" * 40
    wang.host_unit.save()
    text = get(client, staff, "/batches/SZ-3/contacts/?format=vcf").content.decode()
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert "".join(text.split("\r\n ")).count("深圳" * 40) == 1


def test_contacts_other_format_is_refused(client, staff, wang):
    assert get(client, staff, "/batches/SZ-3/contacts/?format=pdf").status_code == 400


def test_lead_batch_page_links_print_and_contacts(client, lead_sz3, sz3, wang):
    page = get(client, lead_sz3, f"/lead/batches/{sz3.pk}/").content.decode()
    assert 'href="/batches/SZ-3/print/"' in page and "打印花名册" in page
    assert 'href="/batches/SZ-3/contacts/"' in page


def test_admin_batch_page_links_print(client, staff, sz3):
    page = get(client, staff, f"/admin/cohorts/batch/{sz3.pk}/change/").content.decode()
    assert 'href="/batches/SZ-3/print/"' in page and "打印花名册" in page
