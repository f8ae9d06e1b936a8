import datetime

import pytest

from ..factories import BatchFactory, LeadFactory, PlacementFactory, StaffFactory

START = datetime.date(2026, 12, 14)  # a Monday


@pytest.fixture
def batch(shenzhen):
    return BatchFactory(programme=shenzhen, number=3, start_date=START)


@pytest.fixture
def lead(batch):
    return LeadFactory(username="lead", email="lead@example.org", batches=[batch])


@pytest.fixture
def officer(db):
    """A member of staff (may see every batch), with an e-mail address."""
    return StaffFactory(username="officer", email="officer@example.org")


@pytest.fixture
def cadres(batch):
    """Three cadres of the batch in group 1: one placed and checked in, one not yet placed, one
    placed but pending; and a withdrawn one, not placed, who counts nowhere."""
    return [
        PlacementFactory(batch=batch, group="第一组", status="checked_in", cadre__name="赵一"),
        PlacementFactory(batch=batch, group="第一组", host_unit=None, cadre__name="钱二"),
        PlacementFactory(batch=batch, group="第二组", cadre__name="孙三"),
        PlacementFactory(batch=batch, host_unit=None, status="withdrawn", cadre__name="李四"),
    ]


@pytest.fixture
def chat(monkeypatch):
    """What the group-chat robot was sent: [(webhook, title, body)]."""
    sent = []

    def wechat_send(*, webhook, title, body, url):
        sent.append((webhook, title, body))

    monkeypatch.setattr("notifications.tasks.wechat_send", wechat_send)
    return sent
