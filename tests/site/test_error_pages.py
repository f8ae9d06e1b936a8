"""Error pages: in Chinese, on the site's own look, with nothing inline (the CSP forbids it)."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.template import loader
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.views import defaults

pytestmark = pytest.mark.django_db
INLINE = re.compile(r"<style|<script|\sstyle=|\son\w+=", re.IGNORECASE)


def assert_plain(response, text):
    content = response.content.decode()
    assert text in content, content
    assert not INLINE.search(content), "inline style or script: the CSP would block it"
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_a_lead_opening_another_batch_gets_the_chinese_404_page(client, lead_sz3, sh5):
    client.force_login(lead_sz3)
    response = client.get(reverse("lead-batch", args=[sh5.pk]))
    assert response.status_code == 404
    assert_plain(response, "页面不存在")


def test_a_refused_page_gets_the_chinese_403_page(client, django_user_model, sz3):
    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    for codename in ("add_placement", "change_placement", "view_placement"):
        clerk.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(clerk)
    response = client.get(reverse("admin:placements_placement_import"))
    assert response.status_code == 403
    assert_plain(response, "无权访问")


def test_a_csrf_failure_gets_the_chinese_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert_plain(response, "表单已失效")


def test_the_500_page_needs_no_context_and_no_database(rf):
    with CaptureQueriesContext(connection) as queries:
        page = loader.get_template("500.html").render()  # as Django renders it: no context
        response = defaults.server_error(rf.get("/"))
    assert not queries.captured_queries
    assert "服务器出错" in page and not INLINE.search(page)
    assert response.status_code == 500 and "服务器出错" in response.content.decode()
