"""History as people read it, and creation records for rows written in bulk.

Every history shown in the app — a placement's, a cadre's, a topic's, the lost-update message's
"who changed what" — is a list of `HistoryEntry` (when, who, what, the `Change`s of fields,
each before → after), and names its author with `who(user)`: the user's full name, else their
user name, and "system" for none. They are defined here once, below every app that shows one.

django-simple-history records a row when it is saved (its signals); bulk_create sends no
signal, so rows written in bulk had no record, and their first edit showed "lead3 修改了" with
nothing to compare with. Whatever writes rows of a history model in bulk (the demo data) calls
`history_baseline` after, and their history starts with 创建 as any other row's does, the
many-to-many fields it tracks (a topic's claimants) included. Roster imports are the exception:
they record what they did in their own RosterImportChange rows.
"""

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

EDITED = pgettext_lazy("history", "changed")
CREATED = pgettext_lazy("history", "created")


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    what: str  # 修改了, 创建, 导入了 名单.xlsx
    changes: list[Change] = dataclasses.field(default_factory=list)
    version: int | None = None  # the version this change produced, when recorded
    user_id: int | None = None  # who, when a user: the editor's own change is not another's

    def summary(self) -> str:
        fields = "、".join(f"{c.label}：{c.before} → {c.after}" for c in self.changes)
        head = f"{date_format(timezone.localtime(self.when), 'SHORT_DATETIME_FORMAT')} {self.who}"
        return f"{head} {self.what}" + (f"（{fields}）" if fields else "")


def who(user) -> str:
    """The author of a change as people read it: None is the system."""
    if user is None:
        return _("system")
    return user.get_full_name() or user.get_username()


def history_baseline(model, objects, *, by=None) -> None:
    """A creation record of each saved object of `model`, by `by` (None: the system)."""
    objects = list(objects)
    records = model.history.bulk_history_create(objects, default_user=by)
    history_model = model.history.model
    for field in getattr(history_model, "_history_m2m_fields", []):
        through = field.remote_field.through
        owner = field.m2m_field_name()  # the through model's key to `model`
        links = defaultdict(list)
        for link in through.objects.filter(**{f"{owner}__in": objects}):
            links[getattr(link, f"{owner}_id")].append(link)
        link_history = getattr(history_model, field.name).model
        link_fields = [f.attname for f in through._meta.concrete_fields]
        link_history.objects.bulk_create(
            link_history(history=record, **{name: getattr(link, name) for name in link_fields})
            for record in records
            for link in links[record.id]
        )
