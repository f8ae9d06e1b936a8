from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from security.api_tokens import api_token_create, api_tokens_revoke, token_hash
from security.models import ApiToken

pytestmark = pytest.mark.django_db


def test_the_command_prints_a_key_once_and_keeps_only_its_hash(staff, capsys):
    call_command("api_token", "staff", "--name", "干部信息系统", "--expires-days", "30")
    key = capsys.readouterr().out.strip()
    token = ApiToken.objects.get()
    assert key.startswith("cp_") and len(key) > 40
    assert token.key_hash == token_hash(key) and key not in token.key_hash
    assert token.prefix == key[:10] and token.name == "干部信息系统"
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)


def test_the_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError) as info:
        call_command("api_token", "nobody")
    assert info.value.returncode == 2


def test_a_token_acts_as_its_user_and_records_its_use(api, lead_sz3):
    token, key = api_token_create(user=lead_sz3)
    response = api.get("/api/v1/batches/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert [b["code"] for b in response.json()["results"]] == ["SZ-3"]
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("state", ["revoked", "expired", "wrong"])
def test_a_dead_token_is_refused_with_401_in_chinese(api, staff, state):
    token, key = api_token_create(user=staff)
    if state == "revoked":
        api_tokens_revoke(tokens=ApiToken.objects.all())
    elif state == "expired":
        ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    else:
        key = key[:-2] + "xx"
    response = api.get("/api/v1/batches/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "令牌" in response.json()["detail"]


def test_no_token_is_401(api, db):
    response = api.get("/api/v1/batches/")
    assert response.status_code == 401
    assert response.json()["detail"] == "身份认证信息未提供。"


def test_the_admin_lists_tokens_without_keys_and_revokes_them(client, staff, lead_sz3):
    token, key = api_token_create(user=lead_sz3, name="政务微信")
    client.force_login(staff)
    listing = client.get("/admin/security/apitoken/")
    assert "政务微信" in listing.text and token.prefix in listing.text and key not in listing.text
    client.post(
        "/admin/security/apitoken/",
        {"action": "revoke_tokens", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
