"""The admin of duties (with copying a list into a batch), progress, topics (moved along their
path through ledger.services) and the outcomes ledger."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cadreprog.versioning import VersionedModelForm
from cohorts.models import Batch, Programme
from ledger.models import Duty, ProgressEntry, Project, Suggestion, Topic, check_credited
from ledger.services import duties_copy, outcome_record, topic_change, topic_history

from .filters import LatestBatchesFilter
from .mixins import ScopedAdminMixin
from .versioning import VersionedAdminMixin


class CopyDutiesForm(forms.Form):
    batch = forms.ModelChoiceField(Batch.objects.all(), label=_("copy into batch"))
    programme = forms.ModelChoiceField(
        Programme.objects.all(), label=_("from the programme's list"), required=False
    )
    source_batch = forms.ModelChoiceField(
        Batch.objects.all(), label=_("or from the list of batch"), required=False
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("programme")) == bool(data.get("source_batch")):
            raise ValidationError(_("Choose either a programme or a batch to copy from."))
        return data


@admin.register(Duty)
class DutyAdmin(ScopedAdminMixin, VersionedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "owner", "cadence", "target", "order"]
    list_editable = ["order"]
    list_filter = ["programme", ("batch", LatestBatchesFilter), "cadence"]
    list_select_related = ["programme", "batch__programme"]
    search_fields = ["name"]
    fields = [("programme", "batch"), "name", ("cadence", "target"), "order", "notes"]

    @admin.display(description=_("programme or batch"))
    def owner(self, obj):
        return obj.owner

    def get_urls(self):
        copy = self.admin_site.admin_view(self.copy_view)
        return [path("copy/", copy, name="ledger_duty_copy"), *super().get_urls()]

    def copy_view(self, request):
        """Give a batch its own list: copied from a programme's or from another batch's."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = CopyDutiesForm(request.POST or None, initial={"batch": request.GET.get("batch")})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                count = duties_copy(
                    batch=data["batch"], source=data["programme"] or data["source_batch"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    gettext("%(count)d duties copied into %(batch)s.")
                    % {"count": count, "batch": data["batch"]},
                    messages.SUCCESS,
                )
                changelist = reverse("admin:ledger_duty_changelist")
                return redirect(f"{changelist}?batch__id__exact={data['batch'].pk}")
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Copy a duty list into a batch"),
            "form": form,
            "opts": self.model._meta,
        }
        return render(request, "admin/ledger/duty/copy.html", context)


@admin.register(ProgressEntry)
class ProgressEntryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["date", "placement", "duty", "count", "note", "recorded_by"]
    list_filter = [("placement__batch", LatestBatchesFilter), "duty"]
    list_select_related = ["placement__cadre", "placement__batch__programme", "duty",
                           "recorded_by"]  # fmt: skip
    search_fields = ["placement__cadre__name", "duty__name", "note"]
    autocomplete_fields = ["placement", "duty"]
    date_hierarchy = "date"
    fields = ["placement", "duty", "date", "count", "note", "recorded_by", "recorded_at"]
    readonly_fields = ["recorded_by", "recorded_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


class TopicForm(VersionedModelForm):
    move_to = forms.ChoiceField(
        label=_("move to state"),
        required=False,
        choices=[("", "—"), *Topic.State.choices],
        help_text=_("Forward one step along the path; staff may also reopen an earlier state."),
    )
    move_on = forms.DateField(
        label=_("on"),
        required=False,
        help_text=_("The date of adoption, implementation or evaluation."),
    )

    class Meta:
        model = Topic
        fields = ["batch", "title", "question", "capacity", "claimants", "defence_date",
                  "defence_score", "defence_comments", "report_date", "report_text",
                  "report_attachment"]  # fmt: skip

    user = None  # set by TopicAdmin.get_form: who moves the topic (only staff reopen)

    def clean(self):
        data = super().clean()
        # The submitted claimants, for the model's checks in _post_clean, made against the
        # submitted batch and capacity (not the stored ones) and the state the topic is in.
        if data.get("claimants") is not None:
            self.instance.pending_claimants = list(data["claimants"])
        return data

    def _post_clean(self):
        super()._post_clean()  # the instance now has the submitted values, checked as they are
        if self.errors:
            return
        topic, move_to = self.instance, self.cleaned_data.get("move_to")
        if not move_to and topic.state == Topic.State.OPEN and topic._claimants():
            move_to = Topic.State.CLAIMED  # claimed by naming its claimants
        if not move_to or move_to == topic.state:
            return
        # The move is made here, in validation: refused, it saves nothing and shows why.
        before = {name: getattr(topic, name) for name in ["state", *Topic.STATE_DATES.values()]}
        try:
            topic_change(topic, move_to, on=self.cleaned_data.get("move_on"), by=self.user)
        except ValidationError as error:
            for name, value in before.items():
                setattr(topic, name, value)
            self.add_error("move_to", error)


@admin.register(Topic)
class TopicAdmin(ScopedAdminMixin, VersionedAdminMixin, admin.ModelAdmin):
    form = TopicForm
    list_display = ["title", "batch", "state", "capacity", "defence_date", "defence_score"]
    list_filter = [("batch", LatestBatchesFilter), "state"]
    list_select_related = ["batch__programme"]
    search_fields = ["title", "question"]
    autocomplete_fields = ["batch", "claimants"]
    readonly_fields = ["state", "adopted_on", "implemented_on", "evaluated_on", "change_history"]
    fieldsets = [
        (None, {"fields": ["batch", "title", "question", "capacity", "claimants"]}),
        (_("Mid-term defence"), {"fields": ["defence_date", "defence_score", "defence_comments"]}),
        (_("Final report"), {"fields": ["report_date", "report_text", "report_attachment"]}),
        (
            _("State"),
            {
                "fields": [
                    "state",
                    "move_to",
                    "move_on",
                    "adopted_on",
                    "implemented_on",
                    "evaluated_on",
                ]
            },  # fmt: skip
        ),
        (_("History"), {"fields": ["change_history"]}),
    ]

    @admin.display(description=_("history"))
    def change_history(self, obj):
        if not obj.pk:
            return "—"
        return render_to_string("lead/_history.html", {"history": topic_history(obj)[::-1]})

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        return form


class OutcomeForm(VersionedModelForm):
    def clean(self):
        data = super().clean()
        batch, credited = data.get("batch"), data.get("credited") or []
        if batch is not None:
            try:
                check_credited(batch, credited)
            except ValidationError as error:
                self.add_error("credited", error)
        return data


class OutcomeAdmin(ScopedAdminMixin, VersionedAdminMixin, admin.ModelAdmin):
    form = OutcomeForm
    autocomplete_fields = ["batch", "credited", "host_unit", "topic"]
    list_select_related = ["batch__programme"]
    readonly_fields = ["recorded_by"]

    def save_model(self, request, obj, form, change):
        """Saved once, with the credited cadres, by save_related (through outcome_record)."""

    def save_related(self, request, form, formsets, change):
        outcome_record(
            outcome=form.instance,
            credited=form.cleaned_data["credited"],
            by=request.user,
            expected_version=form.cleaned_data.get("expected_version") if change else None,
            error=form.conflict_class,
        )


@admin.register(Suggestion)
class SuggestionAdmin(OutcomeAdmin):
    list_display = ["title", "batch", "submitted_on", "institutional", "adopted_on"]
    list_filter = ["batch__programme", ("batch", LatestBatchesFilter), "institutional"]
    search_fields = ["title"]
    fields = ["batch", "title", "submitted_on", ("institutional", "adopted_on"), "credited",
              "host_unit", "topic", "recorded_by"]  # fmt: skip


@admin.register(Project)
class ProjectAdmin(OutcomeAdmin):
    list_display = ["name", "counterpart", "batch", "signed_on", "investment"]
    list_filter = ["batch__programme", ("batch", LatestBatchesFilter)]
    search_fields = ["name", "counterpart"]
    fields = ["batch", "name", "counterpart", ("signed_on", "investment"), "credited",
              "host_unit", "topic", "recorded_by"]  # fmt: skip
