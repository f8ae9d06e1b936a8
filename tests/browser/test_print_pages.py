"""The batch's handouts in Chromium: the 花名册 printed to PDF (A4 landscape, header row on
every page, page numbers, no navigation) and the 通讯录, at desk and phone widths."""

import re
import shutil
import subprocess

import pytest

from ..factories import CadreFactory, HostUnitFactory, LeadFactory, PlacementFactory
from .conftest import SCREENSHOTS, log_in_on_site, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GROUPS = ["第一组", "第二组", "第三组", "第四组", "第五组", "第六组", "第七组", "第八组",
          "第九组", "第十组"]  # fmt: skip
UNITS = ["腾讯科技（深圳）有限公司", "平安银行股份有限公司", "华为技术有限公司", "前海管理局"]
# At 9 pt an A4 landscape page holds the title and 23 rows, then 24 rows a page: 150 cadres take
# 7 pages; a section per group (15 each) takes a page per group.
PAGES, PAGES_BY_GROUP = 7, 10


@pytest.fixture
def batch(sz3):
    units = [HostUnitFactory(name=n, contact_person="李经理", contact_phone="0755-8601338")
             for n in UNITS]  # fmt: skip
    for i in range(150):
        PlacementFactory(
            batch=sz3,
            cadre=CadreFactory(name=f"王{'伟芳娜敏静丽强磊军洋'[i % 10]}{i}", gender="M",
                               political_status="中共党员", phone=f"1391234{i:04d}"),
            home_unit="青岛市市南区发展和改革局",
            position="副局长",
            group=GROUPS[i % 10],
            host_unit=units[i % 4],
            role="总经理助理",
        )  # fmt: skip
    LeadFactory(username="wang", first_name="王书记", batches=[sz3])
    return sz3


def pdf_of(browser, live_server, url, tmp_path):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    log_in_on_site(page, live_server, "wang")
    page.wait_for_url(f"{live_server.url}/lead/")
    page.goto(f"{live_server.url}{url}")
    path = tmp_path / "roster.pdf"
    page.pdf(path=path, prefer_css_page_size=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)  # kept to be looked at, as screenshots are
    shutil.copy(path, SCREENSHOTS / (re.sub(r"\W+", "-", url.strip("/")) + ".pdf"))
    context.close()
    return path


def pdf_pages(path) -> int:
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])


def pdf_page_texts(path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    return text.split("\f")[:-1]


@pytest.fixture
def poppler():
    if not (shutil.which("pdfinfo") and shutil.which("pdftotext")):
        pytest.skip("poppler-utils (pdfinfo, pdftotext) not installed")


def test_printed_roster_is_a4_landscape_with_header_and_number_on_every_page(
    browser, live_server, batch, tmp_path, poppler
):
    path = pdf_of(browser, live_server, "/batches/SZ-3/print/", tmp_path)
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    pages = pdf_page_texts(path)
    assert pdf_pages(path) == len(pages) == PAGES
    assert "赴深圳体悟实训第3批干部花名册" in pages[0]
    for number, text in enumerate(pages, 1):
        assert "工作单位及职务" in text and "联系电话" in text  # the header row, repeated
        assert re.search(rf"\b{number} ?/ ?{PAGES}\b", text)  # the page number, 1 / 7
        assert "退出" not in text and "我的批次" not in text  # no navigation
    # The last row, by its number: pdftotext may lay a row's cells out over several lines.
    assert re.search(r"^\s*150\s", pages[-1], re.M)
    assert not any(re.search(r"^\s*150\s", text, re.M) for text in pages[:-1])


def test_printed_roster_by_group_starts_each_group_on_a_page(
    browser, live_server, batch, tmp_path, poppler
):
    path = pdf_of(browser, live_server, "/batches/SZ-3/print/?group=1", tmp_path)
    pages = pdf_page_texts(path)
    assert pdf_pages(path) == PAGES_BY_GROUP
    assert [re.search(r"第.组", text)[0] for text in pages] == GROUPS[:10]


def test_print_and_contacts_pages_on_screen(page, live_server, batch):
    log_in_on_site(page, live_server, "wang")
    page.wait_for_url(f"{live_server.url}/lead/")
    page.goto(f"{live_server.url}/lead/batches/{batch.pk}/")
    page.click("text=打印花名册")
    page.wait_for_url("**/batches/SZ-3/print/")
    assert page.inner_text("h1") == "赴深圳体悟实训第3批干部花名册"
    screenshot(page, "batch-print")
    page.click("text=通讯录")
    page.wait_for_url("**/batches/SZ-3/contacts/")
    assert page.inner_text("main h2 >> nth=0") == "实训队负责人"
    screenshot(page, "batch-contacts")
    width = page.viewport_size["width"]
    page.screenshot(path=SCREENSHOTS / f"batch-contacts-top-{width}.png")  # what the eye meets
    assert page.console_errors == []
