"""`ensure_demo_lead`: the demo team lead `lead` of SZ-6, as `make run` makes sure of it."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from cohorts.models import Batch, Programme
from cohorts.roles import LEAD_GROUP
from cohorts.terms import today

pytestmark = pytest.mark.django_db


@pytest.fixture
def sz6():
    programme = Programme.objects.create(code="SZ", name="赴深圳体悟实训", city="深圳")
    return Batch.objects.create(
        programme=programme, number=6, start_date=today() - timedelta(days=40)
    )


def lead():
    return get_user_model().objects.get(username="lead")


def test_lead_leads_sz6_with_password_from_environment(sz6, monkeypatch, client):
    monkeypatch.setenv("DEMO_LEAD_PASSWORD", "lead-pass-1")
    call_command("ensure_demo_lead", stdout=io.StringIO())
    user = lead()
    assert user.groups.filter(name=LEAD_GROUP).exists() and not user.is_staff
    assert list(user.led_batches.all()) == [sz6]
    assert user.check_password("lead-pass-1")
    client.force_login(user)
    assert "SZ-6" in client.get("/lead/").content.decode()


def test_lead_password_generated_and_printed_once(sz6, monkeypatch, capsys):
    monkeypatch.delenv("DEMO_LEAD_PASSWORD", raising=False)
    call_command("ensure_demo_lead")
    password = capsys.readouterr().out.split("：")[1].split()[0]
    assert lead().check_password(password)

    call_command("ensure_demo_lead")
    assert password not in capsys.readouterr().out


def test_second_run_writes_nothing(sz6, monkeypatch):
    monkeypatch.delenv("DEMO_LEAD_PASSWORD", raising=False)
    call_command("ensure_demo_lead", stdout=io.StringIO())
    version, password = Batch.objects.get().version, lead().password
    call_command("ensure_demo_lead", stdout=io.StringIO())
    assert (Batch.objects.get().version, lead().password) == (version, password)


def test_without_sz6_the_lead_is_made_and_says_so(capsys):
    call_command("ensure_demo_lead")
    assert "SZ-6" in capsys.readouterr().out
    assert not lead().led_batches.exists()
