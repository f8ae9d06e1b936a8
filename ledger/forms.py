"""Forms of the lead's duty and outcome pages; choices are limited to the one batch shown."""

from dataclasses import dataclass

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from cadreprog.versioning import describe
from cadreprog.widgets import attrs_html, option_html
from cohorts.terms import today
from placements.models import HostUnit, Placement
from spreadsheets.uploads import checked_upload

from .models import Project, Suggestion, Topic

# A browser's date picker reads and writes ISO dates, whatever the page's language.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CadreChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.cadre.name


class ListedChoices(ModelChoiceIterator):
    """A field's choices from the list the page fetched already (`field.listed`), so that
    forms sharing one batch's cadres, host units and topics do not each query them again.
    What is submitted is still checked against the field's queryset."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.listed:
            yield self.choice(obj)

    def __len__(self):
        return len(self.field.listed) + (self.field.empty_label is not None)


def offer(field, objects: list) -> None:
    """Show `objects` as the choices of a model choice field (see ListedChoices)."""
    field.listed = objects
    field.iterator = ListedChoices
    field.widget.choices = field.choices


class CadrePicker(forms.CheckboxSelectMultiple):
    """Cadres ticked in a list filtered as one types (static/js/outcomes.js) by name, pinyin or
    home unit; each shown with their home unit, so that two 王浩 are told apart."""

    template_name = "ledger/widgets/cadre_picker.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # Each cadre's box written in Python (cadreprog/widgets.py), not by template includes.
        context["widget"]["options_html"] = mark_safe(
            "".join(
                f'\n    <div class="cadre-picker-option"{attrs_html(option.get("wrap_attrs", {}))}>'
                f"{option_html(option)}</div>"
                for _group, options, _index in context["widget"]["optgroups"]
                for option in options
            )
        )
        return context

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        placement = getattr(value, "instance", None)
        if placement is not None:
            cadre = placement.cadre
            words = [cadre.name, placement.home_unit, cadre.name_pinyin, cadre.name_initials]
            option["wrap_attrs"] = {"data-search": " ".join(filter(None, words)).lower()}
        return option


class PickedCadres(CadreChoice):
    def label_from_instance(self, obj):
        return f"{obj.cadre.name}（{obj.home_unit}）" if obj.home_unit else obj.cadre.name


class RecordForm(forms.Form):
    """One entry of one duty for the cadres ticked in the list."""

    duty = forms.TypedChoiceField(label=_("duty"), coerce=int)
    date = forms.DateField(label=_("date"), widget=DATE_INPUT)
    count = forms.IntegerField(label=_("count"), min_value=1, max_value=1000, initial=1)
    note = forms.CharField(label=_("note"), max_length=200, required=False)
    placements = CadreChoice(
        queryset=None,
        label=_("cadres"),
        error_messages={"required": _("Tick the cadres in the list first.")},
    )

    def __init__(self, *args, duties: list, placements, **kwargs):
        super().__init__(*args, **kwargs)
        # The page has the batch's duties already: choices from that list, no second query.
        self.duties = {duty.pk: duty for duty in duties}
        self.fields["duty"].choices = [(duty.pk, duty.name) for duty in duties]
        self.fields["placements"].queryset = placements
        self.fields["date"].initial = today()

    def clean_duty(self):
        return self.duties[self.cleaned_data["duty"]]

    def clean(self):
        data = super().clean()
        if data.get("duty") and data.get("count"):
            try:
                data["duty"].check_count(data["count"])
            except ValidationError as error:
                self.add_error("count", error)
        return data


@dataclass
class BatchOptions:
    """A batch's cadres (with their host units), host units and topics, fetched once for all
    the forms of its outcomes page."""

    placements: list
    host_units: list
    topics: list

    @classmethod
    def of(cls, batch, topics: list) -> "BatchOptions":
        placements = list(
            Placement.objects.filter(batch=batch)
            .select_related("cadre", "host_unit", "batch")
            .order_by("cadre__name_sort", "id")
        )
        units = {p.host_unit_id: p.host_unit for p in placements if p.host_unit_id}
        return cls(
            placements, sorted(units.values(), key=lambda u: (u.name_pinyin, u.name, u.pk)), topics
        )


class UploadForm(forms.Form):
    file = forms.FileField(label=_("spreadsheet (XLSX, XLS or CSV)"))

    def clean_file(self):
        return checked_upload(self.cleaned_data["file"])


class OutcomeForm(forms.ModelForm):
    """A suggestion or project of one batch, credited to cadres of that batch."""

    credited = PickedCadres(
        queryset=None, label=_("credited cadres"), required=False, widget=CadrePicker
    )

    def __init__(self, *args, batch, options: "BatchOptions | None" = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.batch = batch
        placements = Placement.objects.filter(batch=batch).select_related("cadre")
        self.fields["credited"].queryset = placements.order_by("cadre__name_sort")
        self.fields["host_unit"].queryset = HostUnit.objects.filter(
            placements__batch=batch
        ).distinct()
        self.fields["topic"].queryset = Topic.objects.filter(batch=batch)
        if options is not None:
            offer(self.fields["credited"], options.placements)
            offer(self.fields["host_unit"], options.host_units)
            offer(self.fields["topic"], options.topics)


class SuggestionForm(OutcomeForm):
    # Whether a suggestion became an institutional outcome (制度成果) is the city's decision:
    # staff set it, with its date, in the admin; a lead records the suggestion only.
    class Meta:
        model = Suggestion
        fields = ["title", "submitted_on", "host_unit", "topic"]
        widgets = {"submitted_on": DATE_INPUT}


class ProjectForm(OutcomeForm):
    class Meta:
        model = Project
        fields = ["name", "counterpart", "signed_on", "investment", "host_unit", "topic"]
        widgets = {"signed_on": DATE_INPUT}


class ClaimForm(forms.Form):
    """Cadres of the batch take an open (or already claimed) topic, alone or as a team.

    The form carries the version of each topic it offers (signed), so that a claim made on a
    topic someone changed since the page was opened is refused, not laid over theirs unseen.
    """

    VERSIONS_SALT = "ledger.claim.versions"

    topic = forms.ModelChoiceField(queryset=None, label=_("research topic"))
    placements = PickedCadres(queryset=None, label=_("claimed by"), widget=CadrePicker)
    versions = forms.CharField(widget=forms.HiddenInput, required=False)
    CLAIMABLE = [Topic.State.OPEN, Topic.State.CLAIMED]

    def __init__(self, *args, batch, options: "BatchOptions | None" = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.filter(batch=batch, state__in=self.CLAIMABLE)
        placements = Placement.objects.filter(batch=batch).select_related("cadre", "batch")
        self.fields["placements"].queryset = placements.order_by("cadre__name_sort")
        self.listed_versions = None
        if options is not None:
            topics = [t for t in options.topics if t.state in self.CLAIMABLE]
            offer(self.fields["topic"], topics)
            offer(self.fields["placements"], options.placements)
            self.listed_versions = [(t.pk, t.version) for t in topics]
        self.fields["versions"].initial = self._versions  # read when the page is shown

    def _versions(self, fresh=False) -> str:
        topics = self.listed_versions
        if fresh or topics is None:
            topics = self.fields["topic"].queryset.order_by().values_list("pk", "version")
        return signing.dumps({str(pk): version for pk, version in topics}, salt=self.VERSIONS_SALT)

    def clean(self):
        data = super().clean()
        topic = data.get("topic")
        if topic is not None and self.expected_version(topic) is None:
            raise ValidationError(_("This page is out of date: open it again to make a change."))
        return data

    def expected_version(self, topic) -> int | None:
        """The version of `topic` the page was opened with."""
        try:
            versions = signing.loads(
                self.data.get(self.add_prefix("versions"), ""), salt=self.VERSIONS_SALT
            )
        except signing.BadSignature:
            return None
        return versions.get(str(topic.pk)) if isinstance(versions, dict) else None

    def show_conflict(self, conflict) -> None:
        """Refused: say who changed the topic and how; sent again, the claim is made knowingly."""
        self.add_error(None, describe(conflict, outcome="again"))
        self.data = self.data.copy()
        self.data[self.add_prefix("versions")] = self._versions(fresh=True)
