"""Which reminders are due on a day: the rules, one function each, and nothing sent here.

`due(on)` yields every `Reminder` due on the Shanghai date `on` (never today's date read from a
clock: the caller passes it, so a rule is tested by moving the date). A reminder names its
recipients, its kind (a user may turn each kind off), its key (the same reminder on a second run
has the same key, so it is sent once) and its words, in the active language (the service renders
them in the site's language, Chinese).

- **Departure** (`departure-7`, `departure-1`): 7 days and 1 day before a batch's start date, to
  staff and the batch's leads, and to its group chat: how many cadres are not yet placed (no host
  unit), of how many, by group.
- **Check-in** (`check-in`): on the batch's first day, to staff and leads: who has not checked in
  (status 待报到), by name and group; the group chat gets counts by group, no names.
- **Daily** (`daily`): every day to each lead of each batch in its term: the duties whose
  deadline falls today and the cadres behind on each (ledger/statistics.py), by name. Leads only;
  nothing when nothing is due and nobody is behind.
- **Weekly** (`weekly`): on Mondays to staff: every batch in its term, with its cadres, how many
  are placed and on site, and how many are behind on each duty.
- **Defence** (`defence`): 3 days before a topic's mid-term defence, to staff and the batch's
  leads and its group chat: the topics defended that day and who claimed them.

A postponed batch, or one without a start date, gets no reminder. Withdrawn cadres (已退出) are
counted nowhere. Staff are the active users who may see every batch (cohorts.view_all_batches);
a user who is staff and a lead gets one notification, not two.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cohorts.models import Batch
from cohorts.terms import TermStatus
from ledger import statistics
from ledger.models import Topic
from notifications.models import Kind
from notifications.text import literal
from placements.models import Placement, PlacementStatus
from placements.order import group_sort_key

DEPARTURE_DAYS = (7, 1)
DEFENCE_DAYS = 3
MONDAY = 0
# Lists of names longer than this end with "and N more" (the link shows them all): the first
# day's list of who has not checked in, a group at a time; the daily list of who is behind on a
# duty, short enough for a lead's phone.
NAMES_SHOWN = 60
BEHIND_SHOWN = 10
STAFF_PERMISSION = "cohorts.view_all_batches"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
# Statuses at or past arrival: 已到岗, 已结业.
ARRIVED = (PlacementStatus.ON_SITE, PlacementStatus.COMPLETED)


@dataclass
class Reminder:
    kind: str
    key: str
    title: str
    body: str
    url: str
    users: list = field(default_factory=list)
    batch: Batch | None = None
    # What the batch's group chat gets (markdown); empty: the chat gets nothing.
    chat_body: str = ""


def due(on: date) -> Iterator[Reminder]:
    """Every reminder due on `on`, in the order of the rules."""
    staff = staff_users()
    yield from departures(on, staff)
    yield from check_ins(on, staff)
    yield from dailies(on)
    yield from weeklies(on, staff)
    yield from defences(on, staff)


def staff_users() -> list:
    """Active users who may see every batch (superusers included), by username."""
    users = get_user_model().objects.with_perm(STAFF_PERMISSION, backend=MODEL_BACKEND)
    return list(users.order_by("username"))


def scheduled():
    """Batches that have a start date and are not postponed, with their active leads."""
    leads = get_user_model().objects.filter(is_active=True).order_by("username")
    return Batch.objects.filter(start_date__isnull=False, postponed=False).prefetch_related(
        Prefetch("leads", leads)
    )


def recipients(*groups) -> list:
    """The users of `groups` once each, in the order first met."""
    users = {}
    for group in groups:
        for user in group:
            users.setdefault(user.pk, user)
    return list(users.values())


def counting():
    """The placements that count: all but the withdrawn."""
    return Placement.objects.exclude(status=PlacementStatus.WITHDRAWN)


def day_text(day: date) -> str:
    return _("%(month)d/%(day)d/%(year)d") % {"year": day.year, "month": day.month, "day": day.day}


def group_name(group: str) -> str:
    return literal(group) if group else _("No group")


def by_group(counts: dict) -> str:
    """A markdown list, one line a group in the groups' order: '- 第一组：3 人'."""
    return "\n".join(
        _("- %(group)s: %(count)d") % {"group": group_name(group), "count": counts[group]}
        for group in sorted(counts, key=group_sort_key)
    )


def listed(items) -> str:
    """张三、李四 in Chinese, a comma list in English."""
    return pgettext("enumeration", ", ").join(items)


def names(placements, limit: int = NAMES_SHOWN) -> str:
    shown = [literal(p.cadre.name) for p in placements[:limit]]
    more = len(placements) - len(shown)
    text = listed(shown)
    return text + (_(" and %(count)d more") % {"count": more} if more else "")


def url(view: str, query: str = "", **kwargs) -> str:
    return reverse(view, kwargs=kwargs) + (f"?{query}" if query else "")


# --- Departure: 7 days and 1 day before -------------------------------------------------------


def departures(on: date, staff) -> Iterator[Reminder]:
    starts = {on + timedelta(days=days): days for days in DEPARTURE_DAYS}
    batches = list(scheduled().filter(start_date__in=starts).order_by("start_date", "pk"))
    rows = (
        counting()
        .filter(batch__in=batches)
        .order_by()
        .values("batch", "group")
        .annotate(total=Count("pk"), unplaced=Count("pk", filter=Q(host_unit=None)))
    )
    totals, unplaced = defaultdict(int), defaultdict(dict)
    for row in rows:
        totals[row["batch"]] += row["total"]
        if row["unplaced"]:
            unplaced[row["batch"]][row["group"]] = row["unplaced"]
    for batch in batches:
        days = starts[batch.start_date]
        body = departure_body(batch, days, totals[batch.pk], unplaced[batch.pk])
        if days == 1:
            title = _("%(batch)s departs tomorrow") % {"batch": literal(batch)}
        else:
            title = _("%(batch)s departs in %(days)d days") % {
                "batch": literal(batch),
                "days": days,
            }
        yield Reminder(
            kind=Kind.DEPARTURE,
            key=f"departure-{days}:{batch.pk}:{on}",
            title=title,
            body=body,
            url=url("lead-batch", pk=batch.pk),
            users=recipients(batch.leads.all(), staff),
            batch=batch,
            chat_body=body,
        )


def departure_body(batch, days: int, total: int, unplaced: dict) -> str:
    params = {
        "batch": literal(batch),
        "date": day_text(batch.start_date),
        "days": days,
        "total": total,
    }
    lines = [_("%(batch)s departs on %(date)s, with %(total)d cadres.") % params]
    count = sum(unplaced.values())
    if count:
        lines.append(_("**%(count)d** are not yet placed with a host unit:") % {"count": count})
        lines.append(by_group(unplaced))
        lines.append(_("Please settle their host units before departure."))
    elif total:
        lines.append(_("Every cadre is placed with a host unit."))
    return "\n".join(lines)


# --- Check-in: on the first day ---------------------------------------------------------------


def check_ins(on: date, staff) -> Iterator[Reminder]:
    batches = list(scheduled().filter(start_date=on).order_by("pk"))
    placements = (
        counting()
        .filter(batch__in=batches)
        .select_related("cadre")
        .order_by("cadre__name_sort", "pk")
        .only("batch_id", "group", "status", "start_date", "cadre__name")
    )
    totals, pending = defaultdict(int), defaultdict(list)
    for p in placements:
        totals[p.batch_id] += 1
        # A cadre who joins later (own start date after today) is not expected yet.
        if p.status == PlacementStatus.PENDING and (p.start_date is None or p.start_date <= on):
            pending[p.batch_id].append(p)
    for batch in batches:
        waiting = pending[batch.pk]
        params = {"batch": literal(batch), "total": totals[batch.pk], "count": len(waiting)}
        opening = _("Today is the first day of %(batch)s, with %(total)d cadres.") % params
        if waiting:
            title = _("%(batch)s starts today: %(count)d not checked in") % params
            counts = defaultdict(int)
            for p in waiting:
                counts[p.group] += 1
            said = _("**%(count)d** have not checked in:") % params
            body = "\n".join([opening, said, named_by_group(waiting)])
            chat_body = "\n".join(
                [opening, said, by_group(counts), _("Please remind them to check in today.")]
            )
        else:
            title = _("%(batch)s starts today: everyone has checked in") % params
            body = chat_body = "\n".join([opening, _("Everyone has checked in.")])
        yield Reminder(
            kind=Kind.CHECK_IN,
            key=f"check-in:{batch.pk}:{on}",
            title=title,
            body=body,
            url=url("placement-list", f"batch={batch.code}&status={PlacementStatus.PENDING}"),
            users=recipients(batch.leads.all(), staff),
            batch=batch,
            chat_body=chat_body,
        )


def named_by_group(placements) -> str:
    """'- 第一组：张三、李四', a line a group in the groups' order."""
    groups = defaultdict(list)
    for p in placements:
        groups[p.group].append(p)
    return "\n".join(
        _("- %(group)s: %(names)s") % {"group": group_name(group), "names": names(groups[group])}
        for group in sorted(groups, key=group_sort_key)
    )


# --- Daily: to each lead, duties due today and cadres behind ----------------------------------


def running(on: date) -> list[Batch]:
    """The batches in their term on `on`, not postponed, in the dashboard's order."""
    batches = scheduled().with_term_status(TermStatus.IN_PROGRESS, on)
    return list(batches.order_by("programme__code", "number"))


def dailies(on: date) -> Iterator[Reminder]:
    yesterday = on - timedelta(days=1)
    for batch, rollups in statistics.current_batches_duties(running(on), on):
        leads = list(batch.leads.all())
        if not leads:
            continue
        term = batch.term
        # A deadline falls today when what is due by today's end exceeds yesterday's.
        due_today = [
            r.duty for r in rollups if r.duty.due_by(term, on) > r.duty.due_by(term, yesterday)
        ]
        lagging = [r for r in rollups if r.lagging]
        if not due_today and not lagging:
            continue
        params = {"batch": literal(batch), "day": term.day_number(on), "days": term.days}
        lines = []
        if due_today:
            duties = listed(literal(duty.name) for duty in due_today)
            lines.append(_("Due today: %(duties)s.") % {"duties": duties})
        if lagging:
            lines.append(_("Behind:"))
            for rollup in lagging:
                behind = statistics.behind(batch, rollup.duty, on)
                lines.append(
                    _("- %(duty)s: %(count)d (%(names)s)")
                    % {
                        "duty": literal(rollup.duty.name),
                        "count": len(behind),
                        "names": names(behind, BEHIND_SHOWN),
                    }
                )
        else:
            lines.append(_("Nobody is behind."))
        yield Reminder(
            kind=Kind.DAILY,
            key=f"daily:{batch.pk}:{on}",
            title=_("%(batch)s, day %(day)d of %(days)d: duties today") % params,
            body="\n".join(lines),
            url=url("ledger-lead-duties", pk=batch.pk),
            users=leads,
            batch=batch,
        )


# --- Weekly: on Mondays, to staff -------------------------------------------------------------


def weeklies(on: date, staff) -> Iterator[Reminder]:
    if on.weekday() != MONDAY:
        return
    batches = running(on)
    if not batches:
        return
    rows = (
        counting()
        .filter(batch__in=batches)
        .order_by()
        .values("batch")
        .annotate(
            total=Count("pk"),
            placed=Count("pk", filter=Q(host_unit__isnull=False)),
            arrived=Count("pk", filter=Q(status__in=ARRIVED)),
        )
    )
    counts = {row["batch"]: row for row in rows}
    lines = []
    for batch, rollups in statistics.current_batches_duties(batches, on):
        row = counts.get(batch.pk, {"total": 0, "placed": 0, "arrived": 0})
        lagging = [r for r in rollups if r.lagging]
        behind = listed(
            _("%(duty)s %(count)d") % {"duty": literal(r.duty.name), "count": r.lagging}
            for r in lagging
        )
        params = {
            "batch": literal(batch),
            "describe": batch.term.describe(on),
            "total": row["total"],
            "placed": row["placed"],
            "arrived": row["arrived"],
            "behind": behind or _("nobody"),
        }
        lines.append(
            _(
                "- **%(batch)s** (%(describe)s): %(total)d cadres, %(placed)d placed, "
                "%(arrived)d on site; behind: %(behind)s"
            )
            % params
        )
    yield Reminder(
        kind=Kind.WEEKLY,
        key=f"weekly:{on}",
        title=_("Batches in their term, week of %(date)s") % {"date": day_text(on)},
        body="\n".join(lines),
        url=reverse("dashboard"),
        users=staff,
    )


# --- Defence: 3 days before a mid-term defence ------------------------------------------------


def defences(on: date, staff) -> Iterator[Reminder]:
    day = on + timedelta(days=DEFENCE_DAYS)
    claimants = Prefetch(
        "claimants", Placement.objects.select_related("cadre").order_by("cadre__name_sort", "pk")
    )
    topics = (
        Topic.objects.filter(defence_date=day, batch__in=scheduled())
        .filter(state__in=[Topic.State.OPEN, Topic.State.CLAIMED])  # not defended yet
        .order_by("title", "pk")
        .prefetch_related(claimants)
    )
    by_batch = defaultdict(list)
    for topic in topics:
        by_batch[topic.batch_id].append(topic)
    if not by_batch:
        return
    for batch in scheduled().filter(pk__in=by_batch).order_by("programme__code", "number"):
        said = _("The mid-term defence of these topics is on %(date)s:")
        lines = [said % {"date": day_text(day)}]
        for topic in by_batch[batch.pk]:
            people = list(topic.claimants.all())
            who = names(people) if people else _("not claimed yet")
            lines.append(
                _("- %(title)s: %(names)s") % {"title": literal(topic.title), "names": who}
            )
        lines.append(_("Please have the reports ready."))
        body = "\n".join(lines)
        yield Reminder(
            kind=Kind.DEFENCE,
            key=f"defence:{batch.pk}:{day}",
            title=_("%(batch)s: mid-term defence in %(days)d days")
            % {"batch": literal(batch), "days": DEFENCE_DAYS},
            body=body,
            url=url("ledger-lead-outcomes", pk=batch.pk),
            users=recipients(batch.leads.all(), staff),
            batch=batch,
            chat_body=body,
        )
