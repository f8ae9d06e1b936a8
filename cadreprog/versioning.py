"""The lost-update guard of every record people edit: placements, cadres, host units, batches,
duties, topics, suggestions and projects.

Each such model has a `version` (`version_field()`), bumped by every write — saves, bulk status
changes and roster imports alike — and a history (django-simple-history) that says who wrote
which version and when. An edit is saved only on the version it was opened on: `versioned_save`
claims the row with UPDATE … WHERE version = expected inside a transaction, so of two editors
the later is refused (`ChangedMeanwhile`) instead of overwriting the other's change.

A refused form (`VersionedModelForm`) is shown again holding what is stored now, with the
editor's own changes put back on top. The form carries a signed snapshot of the values it was
opened with (`opened`), so the editor's changes are the submitted values that differ from the
opened ones and the other's are the stored values that differ from them; a field both changed
keeps the editor's value and says what the other did. The next save is made on the stored
version, so it keeps the other's change. Without a valid snapshot nothing submitted is kept
(it might revert the other's change): the editor sees the stored values and enters their change
again. The message names who changed what, and when: "someone else" only for another user; the
editor's own change on another page is called that.

The entries it names (`HistoryEntry`, `Change`, `who`) are cadreprog/history.py's. The
admin's side (a ModelAdmin's change form and list_editable rows, an inline) is
adminsite/versioning.py. Nothing here knows the domain: changes the history does not hold (a
roster import's) come from sources models register (`register_events`).
"""

from datetime import UTC, date, datetime
from functools import cached_property

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from .history import CREATED, EDITED, Change, HistoryEntry, who

VERSION_FIELDS = ("expected_version", "opened")
SNAPSHOT_SALT = "cadreprog.versioning.opened"


def version_field():
    """The `version` of a model people edit: bumped by every write, never edited by hand."""
    return models.PositiveIntegerField(gettext_lazy("version"), default=1, editable=False)


_EVENT_SOURCES: dict[type, list] = {}


def register_events(model, source) -> None:
    """Changes of `model` its history does not hold: `source(obj, after_version, since)` returns
    HistoryEntry objects for those made after `since` (a datetime; None when not known)."""
    _EVENT_SOURCES.setdefault(model, []).append(source)


def recorded_changes(obj, after_version: int) -> list[HistoryEntry]:
    """The history records of the versions after `after_version`, each compared with the record
    before it when there is one (seeded data has no record of its creation)."""
    records = obj.history.filter(version__gt=after_version).select_related("history_user")
    entries = []
    for record in records.order_by("history_date", "history_id"):
        previous = record.prev_record
        changes = []
        if record.history_type == "~" and previous is not None:
            delta = record.diff_against(previous)
            changes = [_recorded_change(type(obj), c) for c in delta.changes]
        what = CREATED if record.history_type == "+" else EDITED
        entries.append(
            HistoryEntry(
                record.history_date,
                who(record.history_user),
                str(what),
                changes,
                record.version,
                record.history_user_id,
            )
        )
    return entries


def _recorded_change(model, change) -> Change:
    model_field = model._meta.get_field(change.field)
    # A model may say how a field reads in anyone's history (a cadre's ID number masked, its
    # date of birth by month): the message is shown without asking who reads it.
    shown = getattr(model, "shown_in_history", None)
    if shown is not None:
        before, after = shown(change.field, change.old), shown(change.field, change.new)
        if before is not None and after is not None:
            return Change(str(model_field.verbose_name), before or "—", after or "—")
    return Change(
        str(model_field.verbose_name),
        _model_shown(model_field, change.old),
        _model_shown(model_field, change.new),
    )


def _model_shown(model_field, value) -> str:
    if value in (None, "", []):
        return "—"
    if model_field.many_to_many:
        key = model_field.related_model._meta.model_name
        related = model_field.related_model._base_manager.filter(
            pk__in=[row.get(key) for row in value]
        )
        return "、".join(str(r) for r in related) or "—"
    if model_field.is_relation:
        related = model_field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else str(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, date):
        return date_format(value)
    return Truncator(str(value)).chars(40)


# The refusal


class ChangedMeanwhile(Exception):
    """The record moved on from the version the editor opened; nothing was saved."""

    def __init__(self, obj, expected_version: int, *, by=None, since: datetime | None = None):
        self.obj = obj
        self.expected_version = expected_version
        self.by = by  # the refused editor
        self.since = since  # when they opened the record, if known
        super().__init__(f"{obj._meta.label} {obj.pk} changed after version {expected_version}")

    def recorded_events(self) -> list[HistoryEntry]:
        return recorded_changes(self.obj, self.expected_version)

    @cached_property
    def events(self) -> list[HistoryEntry]:
        """Who changed the record after the version the editor opened, when, and what."""
        entries = self.recorded_events()
        sources = _EVENT_SOURCES.get(type(self.obj), [])
        if sources:
            since = self.since or self._last_seen()
            for source in sources:
                entries += source(self.obj, self.expected_version, since)
            entries.sort(key=lambda entry: entry.when)
        return entries

    def _last_seen(self) -> datetime | None:
        """When the version the editor opened was recorded (None for seeded data)."""
        seen = self.obj.history.filter(version__lte=self.expected_version)
        return seen.order_by("-history_date").values_list("history_date", flat=True).first()

    @cached_property
    def stored(self):
        return type(self.obj)._base_manager.get(pk=self.obj.pk)

    @property
    def message(self) -> str:
        return describe(self)


def describe(conflict: ChangedMeanwhile, *, fields=None, outcome: str | None = None) -> str:
    """What the refused editor reads. `fields`: (label, opened, stored) of what changed on the
    form, else each change's recorded fields. `outcome`: "kept" (the form holds the stored values
    with the editor's changes on top), "retype" (the stored values only), "again" (the page
    shows what is stored; the editor's entry stays to send again), None (no form)."""
    editor = getattr(conflict.by, "pk", None)
    events = conflict.events
    others = [e for e in events if e.user_id is not None and e.user_id != editor]
    mine = [e for e in events if editor is not None and e.user_id == editor]
    names = "；".join(_event_text(e, editor, with_changes=fields is None) for e in events)
    names = names or _("who made the change and when was not recorded")
    model = conflict.obj._meta.verbose_name
    if others:
        head = _("After you opened this page, this %(model)s was changed by someone else: %(who)s.")
    elif mine:
        head = _("After you opened this page, you changed this %(model)s on another page: %(who)s.")
    else:
        head = _("After you opened this page, this %(model)s was changed: %(who)s.")
    sentences = [head % {"model": model, "who": names}]
    if fields:
        changed = "；".join(f"{label}：{before} → {after}" for label, before, after in fields)
        sentences.append(_("What changed: %(fields)s.") % {"fields": changed})
    elif fields is not None:
        sentences.append(_("Nothing you see on this page changed."))
    sentences.append(
        {
            "kept": _(
                "Nothing was saved: the form now shows what is stored, with your own changes "
                "put back on top. Check them and save again."
            ),
            "retype": _(
                "Nothing was saved, and which fields you changed is not known: the form now "
                "shows what is stored. Enter your changes again and save."
            ),
            "again": _(
                "Nothing was saved: the page now shows what is stored. Send your change again "
                "if it still stands."
            ),
            None: _("Nothing was saved: open the page again and make your change there."),
        }[outcome]
    )
    return ("" if (get_language() or "").startswith("zh") else " ").join(sentences)


def _event_text(entry: HistoryEntry, editor, *, with_changes: bool) -> str:
    if editor is not None and entry.user_id == editor:
        entry = HistoryEntry(entry.when, _("you, on another page,"), entry.what, entry.changes)
    if not with_changes:
        entry = HistoryEntry(entry.when, entry.who, entry.what)
    return entry.summary()


def _authors(conflict: ChangedMeanwhile) -> str:
    """Who made the changes, for the note beside a field both changed."""
    editor = getattr(conflict.by, "pk", None)
    names = [
        _("you, on another page,") if editor is not None and e.user_id == editor else e.who
        for e in conflict.events
    ]
    return "、".join(dict.fromkeys(names)) or _("someone")


# Saving


def versioned_save(*, obj, by, expected_version: int | None = None, error=ChangedMeanwhile):
    """Save `obj` unless someone changed it since `expected_version` (default: the version it
    was read at), bumping the version and recording `by` in its history.

    The UPDATE … WHERE version = expected claims the row (and, inside the transaction, locks it)
    before the full save writes the fields and the history record. A new object is just saved.
    """
    if obj.pk is None:
        if by is not None:
            obj._history_user = by
        obj.save()
        return obj
    expected = obj.version if expected_version is None else expected_version
    with transaction.atomic():
        claimed = type(obj)._base_manager.filter(pk=obj.pk, version=expected)
        if not claimed.update(version=expected + 1):
            raise error(obj, expected, by=by)
        obj.version = expected + 1
        if by is not None:  # else the request's user (HistoryRequestMiddleware)
            obj._history_user = by
        obj.save()
    return obj


# Forms


class _VersionInput(forms.IntegerField):
    def has_changed(self, initial, data):
        return False  # bookkeeping, not an edit: an untouched inline row stays unsaved


class _SnapshotInput(forms.CharField):
    def has_changed(self, initial, data):
        return False


class VersionedModelForm(forms.ModelForm):
    """A model form that saves only on the version it was opened on, and that, refused, shows
    the stored values with the editor's own changes on top (see the module's docstring)."""

    # Hidden, but labelled: the admin names a hidden field in its messages and history.
    expected_version = _VersionInput(
        label=gettext_lazy("version"), widget=forms.HiddenInput, min_value=1, required=False
    )
    opened = _SnapshotInput(
        label=gettext_lazy("the page as opened"), widget=forms.HiddenInput, required=False
    )

    conflict_class = ChangedMeanwhile
    editor = None  # who edits, set by the view or the ModelAdmin: their own change is not another's

    def __new__(cls, *args, **kwargs):
        # How the form was made, to make the same form on the stored record after a refusal.
        form = super().__new__(cls)
        ignored = ("data", "files", "initial", "instance")
        form._made_with = (args[2:], {k: v for k, v in kwargs.items() if k not in ignored})
        return form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version
            self.fields["expected_version"].required = True
            self.fields["opened"].initial = self._snapshot  # when shown, after every __init__

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        expected = cleaned.get("expected_version")
        if expected is None:
            self.add_error(None, _("This page is out of date: open it again to make a change."))
        elif expected != self.instance.version:
            self.show_conflict(self.conflict_class(self.instance, expected, by=self.editor))
        return cleaned

    def save(self, commit=True):
        """Saved through the guard (inline and list rows; a change form goes through
        VersionedAdminMixin.save_model)."""
        if not commit or not self.instance.pk:
            return super().save(commit)
        obj = super().save(commit=False)
        versioned_save(
            obj=obj,
            by=self.editor,
            expected_version=self.cleaned_data["expected_version"],
            error=self.conflict_class,
        )
        self._save_m2m()
        return obj

    def show_conflict(self, conflict: ChangedMeanwhile) -> None:
        """Refused: hold the stored values with the editor's own changes on top, saved next on
        the stored version; mark the fields both changed; say who changed what, and when."""
        snapshot = self._opened(conflict.expected_version)
        was = snapshot["values"] if snapshot else None
        if snapshot:
            conflict.since = datetime.fromtimestamp(snapshot["at"], tz=UTC)
        fresh = self._remade(conflict.stored)
        stored = fresh._values()
        data = self.data.copy()
        theirs, both = [], []
        for name, bound in self._compared():
            if name not in stored:
                continue
            opened = None if was is None else was.get(name)
            sent = bound.field.widget.value_from_datadict(self.data, self.files, bound.html_name)
            changed = opened is not None and _differs(
                bound.field, _read(bound, opened), stored[name]
            )
            if changed:
                theirs.append((bound.label, _shown(bound, opened), _shown(bound, stored[name])))
            if opened is not None and _differs(bound.field, _read(bound, opened), sent):
                if changed:
                    both.append((name, theirs[-1]))
            else:
                _put(data, bound.html_name, stored[name])
        _put(data, self.add_prefix("expected_version"), [str(conflict.stored.version)])
        _put(data, self.add_prefix("opened"), [fresh._snapshot()])
        self.data = data
        self._conflict_shown = True
        fields = None if was is None else theirs
        self.add_error(None, describe(conflict, fields=fields, outcome="kept" if was else "retype"))
        authors = _authors(conflict)
        for name, (_label, before, after) in both:
            note = _(
                "%(who)s also changed this: %(before)s → %(after)s. Your entry is kept; check it."
            )
            self.add_error(name, note % {"who": authors, "before": before, "after": after})

    def _post_clean(self):
        # Refused: the model's checks would judge the values the editor opened on, not the
        # stored ones the form now holds; nothing is saved, and the next save checks anew.
        if not getattr(self, "_conflict_shown", False):
            super()._post_clean()

    # The snapshot: what the browser sends back for each field while nothing is changed.

    def _compared(self):
        """The fields the editor sees and sends: not a model field the form leaves out (a
        declared field such as a cadre's ID number stays on a form that does not show it, and
        the snapshot is signed, not secret), not a file, not bookkeeping."""
        model_fields = {f.name for f in self._meta.model._meta.get_fields()}
        shown, left_out = self._meta.fields, set(self._meta.exclude or ())
        for name in self.fields:
            bound = self[name]
            widget = _unwrapped(bound.field.widget)
            if name in VERSION_FIELDS or bound.field.disabled:
                continue
            if name in model_fields and (
                name in left_out or shown not in (None, forms.ALL_FIELDS) and name not in shown
            ):
                continue
            if isinstance(bound.field, forms.FileField) or isinstance(widget, forms.MultiWidget):
                continue
            yield name, bound

    def _values(self) -> dict[str, list[str]]:
        return {name: _as_sent(bound) for name, bound in self._compared()}

    def _snapshot(self) -> str:
        return signing.dumps(
            {
                "model": self._meta.model._meta.label_lower,
                "pk": self.instance.pk,
                "version": self.instance.version,
                "at": timezone.now().timestamp(),
                "values": self._values(),
            },
            salt=SNAPSHOT_SALT,
            compress=True,
        )

    def _opened(self, expected_version: int) -> dict | None:
        """The snapshot sent back, when it is sound and of this record at that version."""
        try:
            snapshot = signing.loads(
                self.data.get(self.add_prefix("opened")) or "", salt=SNAPSHOT_SALT
            )
        except signing.BadSignature:
            return None
        of = (self._meta.model._meta.label_lower, self.instance.pk, expected_version)
        if (
            not isinstance(snapshot, dict)
            or (snapshot.get("model"), snapshot.get("pk"), snapshot.get("version")) != of
        ):
            return None
        return snapshot

    def _remade(self, instance):
        args, kwargs = self._made_with
        form = type(self)(*args, instance=instance, **kwargs)
        form.editor = self.editor
        return form


def _unwrapped(widget):
    from django.contrib.admin.widgets import RelatedFieldWidgetWrapper  # not while models load

    while isinstance(widget, RelatedFieldWidgetWrapper):
        widget = widget.widget
    return widget


def _as_sent(bound) -> list[str]:
    """What a browser sends for the field showing its initial value."""
    widget = _unwrapped(bound.field.widget)
    value = bound.field.prepare_value(bound.initial)
    if isinstance(widget, forms.CheckboxInput):
        return ["on"] if widget.check_test(value) else []
    if isinstance(value, date):
        return [value.isoformat()]  # read back whatever the language
    shown = widget.format_value(value)
    if shown is None:
        return [""]
    if isinstance(shown, list | tuple):
        return [str(v) for v in shown]
    return [str(shown)]


def _put(data, key: str, sent: list[str]) -> None:
    if hasattr(data, "setlist"):
        data.setlist(key, sent)
        if not sent:
            del data[key]
    elif sent:
        data[key] = sent if len(sent) > 1 else sent[0]
    else:
        data.pop(key, None)


def _read(bound, sent: list[str]):
    """The value the field's widget reads from `sent`, as from a submitted form."""
    data = QueryDict(mutable=True)
    data.setlist("value", sent)
    return _unwrapped(bound.field.widget).value_from_datadict(data, {}, "value")


def _normal(field, raw):
    if isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
        return sorted(str(v) for v in raw or [])
    if isinstance(field, forms.ModelChoiceField):
        return "" if raw in (None, "") else str(raw)
    try:
        value = field.to_python(raw)
    except ValidationError:
        return raw
    return "" if value is None else value


def _differs(field, raw, sent) -> bool:
    if isinstance(sent, list) and not isinstance(
        field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField
    ):
        data = QueryDict(mutable=True)
        data.setlist("value", sent)
        sent = _unwrapped(field.widget).value_from_datadict(data, {}, "value")
    return _normal(field, raw) != _normal(field, sent)


def _shown(bound, sent: list[str]) -> str:
    """The value as the editor reads it: a choice's label, a related record's name, …"""
    field = bound.field
    value = _normal(field, _read(bound, sent))
    if value in ("", [], None):
        return "—"
    if isinstance(field, forms.ModelChoiceField):
        key = f"{field.to_field_name or 'pk'}__in"
        values = value if isinstance(value, list) else [value]
        try:
            found = list(field.queryset.model._base_manager.filter(**{key: values}))
        except (ValueError, ValidationError):
            found = []
        return "、".join(field.label_from_instance(o) for o in found) or "—"
    if isinstance(field, forms.BooleanField):
        return _("yes") if value else _("no")
    if not isinstance(field, forms.ChoiceField):
        value = field.prepare_value(value)  # as the field itself shows it (a month, say)
    if isinstance(field, forms.ChoiceField):
        labels = dict(_flat_choices(field.choices))
        values = value if isinstance(value, list) else [value]
        return "、".join(str(labels.get(str(v), v)) for v in values)
    if isinstance(value, date):
        return date_format(value)
    return Truncator(str(value)).chars(40)


def _flat_choices(choices):
    for key, label in choices:
        if isinstance(label, list | tuple):
            yield from ((str(k), v) for k, v in label)
        else:
            yield str(key), label
