"""The bell and e-mail show a notification's markdown as plain text."""

from django.core import mail

from notifications.channels import email_send
from notifications.models import Notification
from notifications.text import literal, plain


def test_bold_and_links_lose_their_marks():
    assert plain("尚有 **12** 人，[查看](/lead/)") == "尚有 12 人，查看"


def test_list_lines_stay_as_they_are():
    assert plain("- 第一组：3人\n- 第二组：1人") == "- 第一组：3人\n- 第二组：1人"


def test_the_bell_shows_plain_text():
    assert Notification(body="**深圳第6批**：共120人").text == "深圳第6批：共120人"


def test_an_email_has_no_markdown_marks(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    email_send(recipient="a@example.org", title="提醒", body="尚有 **12** 人", url="/lead/")
    assert mail.outbox[0].body.startswith("尚有 12 人\n\n")


def test_a_value_in_a_message_carries_no_markdown():
    assert literal("[签到](http://evil.cn/x) **急**") == "［签到］（http://evil.cn/x） ＊＊急＊＊"


def test_a_value_breaks_no_line():
    assert literal("第一组\n- 假条目") == "第一组 - 假条目"
