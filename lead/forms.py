"""Forms of the team leads' page: edit a placement, filter a batch, change many statuses."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cohorts.text import whole_number
from placements.forms import VersionedPlacementForm
from placements.models import BULK_STATUS_SOURCES, HostUnit, Placement, host_unit_key
from placements.order import group_sort_key


class DateInput(forms.DateInput):
    input_type = "date"  # the phone's own date picker

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class LeadPlacementForm(VersionedPlacementForm):
    host_unit_name = forms.CharField(
        label=_("host unit"),
        required=False,
        max_length=200,
        help_text=_("Type part of the name and pick it from the list."),
        widget=forms.TextInput(
            attrs={"list": "host-unit-options", "autocomplete": "off", "data-host-unit-search": ""}
        ),
    )
    new_host_unit = forms.BooleanField(label=_("This is a new host unit: add it"), required=False)

    field_order = ["host_unit_name", "new_host_unit", "role", "status", "department", "mentor"]

    class Meta:
        model = Placement
        fields = ["group", "role", "department", "mentor", "status", "start_date", "end_date",
                  "notes"]  # fmt: skip
        widgets = {
            "start_date": DateInput,
            "end_date": DateInput,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = self.editor = user
        self.new_unit = None
        if self.instance.host_unit_id:
            self.fields["host_unit_name"].initial = self.instance.host_unit.name
        if not user.has_perm("placements.add_hostunit"):
            del self.fields["new_host_unit"]
        term = self.instance.batch.term
        if term.start:
            for name in ("start_date", "end_date"):
                self.fields[name].widget.attrs.update(min=term.start, max=term.end)
                self.fields[name].help_text = _(
                    "Empty: the batch's term, %(start)s to %(end)s."
                ) % {
                    "start": term.start,
                    "end": term.end,
                }

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("host_unit_name", "").strip()
        if not name:
            self.instance.host_unit = None
            return cleaned
        unit = HostUnit.objects.filter(name_key=host_unit_key(name)).first()
        if unit is not None:
            self.instance.host_unit = unit
        elif cleaned.get("new_host_unit"):
            self.new_unit = HostUnit(name=name, city=self.instance.batch.programme.city)
            try:
                self.new_unit.full_clean()
            except forms.ValidationError as error:
                self.add_error("host_unit_name", error.messages)
            self.instance.host_unit = None
        else:
            message = _(
                "No host unit is called %(name)s. Pick one from the list, or tick "
                "“This is a new host unit” to add it."
            )
            if "new_host_unit" not in self.fields:
                message = _("No host unit is called %(name)s. Pick one from the list.")
            self.add_error("host_unit_name", message % {"name": name})
        return cleaned


class BatchFilterForm(forms.Form):
    """Filters of a batch's placements; in the URL so a filtered page can be sent on."""

    q = forms.CharField(label=_("Name"), required=False)
    status = forms.ChoiceField(label=_("status"), required=False)
    group = forms.ChoiceField(label=_("group"), required=False)
    host_unit = forms.TypedChoiceField(
        label=_("host unit"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, data, *, groups, host_units):
        super().__init__(data)
        everything = [("", _("All"))]
        self.fields["status"].choices = everything + list(Placement.Status.choices)
        groups = sorted(groups, key=group_sort_key)  # 第二组 before 第十组
        self.fields["group"].choices = everything + [(g, g) for g in groups]
        self.fields["host_unit"].choices = everything + [(u.pk, u.name) for u in host_units]
        self.fields["q"].widget.attrs.update(
            type="search", placeholder=_("Name, home unit or host unit")
        )

    def filter(self, placements):
        if not self.is_valid():
            return placements
        data = self.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            placements = placements.filter(
                Q(cadre__name__contains=q)
                | Q(home_unit__contains=q)
                | Q(host_unit__name__contains=q)
            )
        if data["status"]:
            placements = placements.filter(status=data["status"])
        if data["group"]:
            placements = placements.filter(group=data["group"])
        if data["host_unit"]:
            placements = placements.filter(host_unit_id=data["host_unit"])
        return placements


class PlacementChoices(forms.ModelMultipleChoiceField):
    """Ids that are not plain numbers of a sensible size are invalid, not a database error."""

    def clean(self, value):
        for pk in value or []:
            if whole_number(pk) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                    params={"pk": pk},
                )  # fmt: skip
        return super().clean(value)


class BulkStatusForm(forms.Form):
    """Many placements moved forward along the status path at once (only to its bulk targets:
    待报到 and 已退出 are set one placement at a time), once `confirmed`."""

    ALL, SELECTED = "all", "selected"
    CHOICES = [(s.value, s.label) for s in BULK_STATUS_SOURCES]

    status = forms.ChoiceField(label=_("New status"), choices=CHOICES)
    scope = forms.ChoiceField(choices=[(ALL, ALL), (SELECTED, SELECTED)])
    placements = PlacementChoices(queryset=Placement.objects.none(), required=False)
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, data, *, batch_placements):
        super().__init__(data)
        self.fields["placements"].queryset = batch_placements
        self.batch_placements = batch_placements

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == self.SELECTED and not cleaned.get("placements"):
            raise forms.ValidationError(_("Select the cadres to change first."))
        return cleaned

    def chosen(self):
        """The placements to change: the whole batch or the selected ones (never others)."""
        if self.cleaned_data["scope"] == self.ALL:
            return self.batch_placements
        ids = [p.pk for p in self.cleaned_data["placements"]]
        return self.batch_placements.filter(pk__in=ids)
