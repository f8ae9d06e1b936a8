"""The lost-update guard in the admin (cadreprog/versioning.py): a ModelAdmin of a versioned
model (`VersionedAdminMixin`) and its inlines (`VersionedInlineMixin`) carry the version and the
snapshot of the values opened in their change forms and list_editable rows, save through
`versioned_save`, and show a save that lost the race to another as a refused form.
"""

from django import forms
from django.contrib import messages
from django.forms.models import BaseModelFormSet
from django.shortcuts import redirect
from django.utils.html import format_html_join

from cadreprog.versioning import (
    VERSION_FIELDS,
    ChangedMeanwhile,
    VersionedModelForm,
    versioned_save,
)


def with_version_fields(fieldsets):
    """The fieldsets with the hidden version fields on the first line (once)."""
    if not fieldsets or set(VERSION_FIELDS) <= set(_flat(fieldsets)):
        return fieldsets
    (name, options), *rest = fieldsets
    fields = [f for f in options["fields"] if f not in VERSION_FIELDS]
    return [(name, {**options, "fields": [VERSION_FIELDS, *fields]}), *rest]


def _flat(fieldsets):
    for _name, options in fieldsets:
        for line in options["fields"]:
            yield from (line if isinstance(line, list | tuple) else [line])


class VersionedAdminMixin:
    """A ModelAdmin of a versioned model: its change form and its list_editable rows carry the
    version and the snapshot, its saves go through `versioned_save`, and a save that lost the
    race to another is shown as a refused form, never as an error page."""

    form = VersionedModelForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return fieldsets if obj is None else with_version_fields(fieldsets)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.editor = request.user  # a class made for this request
        return form

    def save_model(self, request, obj, form, change):
        if not change or "expected_version" not in form.cleaned_data:
            return super().save_model(request, obj, form, change)
        versioned_save(
            obj=obj,
            by=request.user,
            expected_version=form.cleaned_data["expected_version"],
            error=form.conflict_class,
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        view = super().changeform_view
        return _retried(request, lambda: view(request, object_id, form_url, extra_context))

    def changelist_view(self, request, extra_context=None):
        view = super().changelist_view
        return _retried(request, lambda: view(request, extra_context))

    def get_changelist_form(self, request, **kwargs):
        kwargs.setdefault("form", VersionedModelForm)
        form = super().get_changelist_form(request, **kwargs)
        form.editor = request.user
        return form

    def get_changelist_formset(self, request, **kwargs):
        kwargs.setdefault("formset", VersionedRowsFormSet)
        return super().get_changelist_formset(request, **kwargs)


class VersionedInlineMixin:
    """An inline of a versioned model (its form a VersionedModelForm)."""

    def get_fieldsets(self, request, obj=None):
        return with_version_fields(super().get_fieldsets(request, obj))

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.editor = request.user
        return formset


def _retried(request, view):
    """A save that lost the race between the form's check and its write saved nothing (the
    transaction rolled back): once more, the form's check finds the change and shows it."""
    try:
        return view()
    except ChangedMeanwhile:
        pass
    try:
        return view()
    except ChangedMeanwhile as conflict:
        messages.error(request, conflict.message)
        return redirect(request.get_full_path())


class _KeyWithVersion(forms.HiddenInput):
    """A list row's hidden key followed by its version fields: the changelist shows only the
    key of each row, so the version travels with it."""

    def __init__(self, form):
        super().__init__()
        self.form = form

    def render(self, name, value, attrs=None, renderer=None):
        key = super().render(name, value, attrs, renderer)
        rest = format_html_join("", "{}", ((self.form[n],) for n in VERSION_FIELDS))
        return key + rest


class VersionedRowsFormSet(BaseModelFormSet):
    """The list_editable rows of a changelist, each saved on the version shown."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        key = self.model._meta.pk.name
        if key in form.fields:
            form.fields[key].widget = _KeyWithVersion(form)
