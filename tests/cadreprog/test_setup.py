"""What `make run` relies on: the demo superuser, and settings that refuse unsafe production."""

import io
import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from cadreprog.settings import BASE_DIR

pytestmark = pytest.mark.django_db


def test_demo_admin_created_with_password_from_environment(monkeypatch):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "s3cret-pass")
    call_command("ensure_demo_admin", stdout=io.StringIO())
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("s3cret-pass")


def test_demo_admin_password_generated_and_printed_once(monkeypatch, capsys):
    monkeypatch.delenv("DEMO_ADMIN_PASSWORD", raising=False)
    call_command("ensure_demo_admin")
    password = capsys.readouterr().out.split("：")[1].split()[0]
    assert get_user_model().objects.get(username="admin").check_password(password)

    call_command("ensure_demo_admin")
    assert password not in capsys.readouterr().out


def run_python(code, **env):
    environ = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    environ.update(env, DJANGO_SETTINGS_MODULE="cadreprog.settings")
    return subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=environ, capture_output=True, text=True
    )


def run_settings(**env):
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    return run_python(code, **env)


def test_production_server_refuses_to_start_without_secret_key():
    result = run_python("import cadreprog.wsgi")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_commands_that_need_no_key_run_without_one():
    result = run_python(
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('makemigrations', check=True, dry_run=True)"
    )
    assert result.returncode == 0, result.stderr


def test_deploy_check_reports_a_missing_secret_key():
    result = run_python(
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('check', deploy=True, fail_level='WARNING')",
        ALLOWED_HOSTS="cadres.example.org",
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(("value", "debug"), [("1", "True"), ("true", "True"), ("0", "False")])
def test_debug_is_read_from_the_environment(value, debug):
    result = run_settings(DEBUG=value, SECRET_KEY=STRONG_KEY)
    assert result.stdout.strip() == debug


STRONG_KEY = "setup-test-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG"


@pytest.mark.parametrize(
    "key",
    ["django-insecure-" + STRONG_KEY, STRONG_KEY[:49], "ab" * 40],
    ids=["django-insecure", "short", "few-characters"],
)
def test_production_refuses_to_start_with_a_weak_secret_key(key):
    result = run_settings(DEBUG="0", SECRET_KEY=key)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is too weak" in result.stderr
    assert run_settings(DEBUG="1", SECRET_KEY=key).returncode == 0  # a developer's is their own


def test_the_test_suites_key_would_do_in_production():
    assert run_settings(DEBUG="0", SECRET_KEY=os.environ["SECRET_KEY"]).returncode == 0
    assert run_settings(DEBUG="0", SECRET_KEY=STRONG_KEY).returncode == 0
