import pytest
from django.utils import translation

from .factories import BatchFactory, ProgrammeFactory


@pytest.fixture(autouse=True)
def chinese():
    """Every test starts in the site's default language, as a user's first visit does."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def shenzhen():
    return ProgrammeFactory(code="SZ", name="赴深圳体悟实训", city="深圳")


@pytest.fixture
def shanghai():
    return ProgrammeFactory(code="SH", name="赴上海专业实训", city="上海", kind="professional")


@pytest.fixture
def sz3(shenzhen):
    return BatchFactory(programme=shenzhen, number=3)


@pytest.fixture
def staff_client(client, admin_user):
    client.force_login(admin_user)
    return client
