import datetime
import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.utils import translation

from .factories import BatchFactory, LeadFactory, ProgrammeFactory, StaffFactory

REAL_HASHERS = list(settings.PASSWORD_HASHERS)


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """Tests hash passwords with MD5: the real hasher costs 0.6 s a user on this machine, most of
    the suite's time. Stored hashes of the real kind still verify. A test whose passwords other
    processes check uses `real_password_hashing`."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher",
                                             *REAL_HASHERS]):  # fmt: skip
        yield


@pytest.fixture
def real_password_hashing(settings):
    settings.PASSWORD_HASHERS = REAL_HASHERS


def worker_number() -> int:
    """0 without pytest-xdist (-p no:xdist too), else the worker's number (gw0 → 0, gw1 → 1)."""
    return int(os.environ.get("PYTEST_XDIST_WORKER", "gw0")[2:])


@pytest.fixture(autouse=True, scope="session")
def own_redis_database():
    """With REDIS_URL (redis://host:port/N), each pytest-xdist worker keeps its cache in a Redis
    database of its own (N, N+1, …), since `fresh_cache` empties the whole database between
    tests. CI gives the suite database 1 and up, never a deployment's."""
    if not settings.REDIS_URL:
        yield
        return
    base, _slash, number = settings.REDIS_URL.rpartition("/")
    if not number.isdigit() or base.endswith("/"):
        base, number = settings.REDIS_URL.rstrip("/"), "0"
    number = int(number) + worker_number()
    caches = {"default": {**settings.CACHES["default"], "LOCATION": f"{base}/{number}"}}
    with override_settings(CACHES=caches):
        yield


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test counts its own figures (the dashboard keeps them a minute between views)."""
    cache.clear()
    yield
    cache.clear()


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


@pytest.fixture
def sh5(shanghai):
    return BatchFactory(programme=shanghai, number=5, start_date=datetime.date(2021, 10, 17))


@pytest.fixture
def lead_sz3(sz3):
    """A team lead of SZ-3 (not is_staff: leads work on /lead/, the admin refuses them)."""
    return LeadFactory(username="lead_sz3", first_name="王书记", batches=[sz3])


@pytest.fixture
def lead_sh5(sh5):
    return LeadFactory(username="lead_sh5", batches=[sh5])


@pytest.fixture
def staff(db):
    """Organisation-department staff: is_staff and the staff group, not a superuser."""
    return StaffFactory(username="staff")
