"""Duties, progress, topics and outcomes (read), and recording progress (write).

As on the ledger's pages (ledger/views.py): a lead sees their batches' progress, topics,
suggestions and projects, and the duty lists that apply to them; staff see all. ?batch=SZ-3 and
?programme=SZ narrow a list as on the outcome pages: a code that names none of the user's
batches gives an empty list, as there. A progress entry is recorded through
ledger.services.progress_record, the lead's duty page's own path, with its rules.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend
from rest_framework.response import Response

from cohorts.models import Batch
from cohorts.text import whole_number
from ledger import services
from ledger.models import Duty, ProgressEntry, Project, Suggestion, Topic
from placements.models import Placement

from .base import ScopedViewSet


class BatchCodes(BaseFilterBackend):
    """?batch=SZ-3 and ?programme=SZ, plus the view's integer parameters (`id_filters`: name →
    field), and its yes/no ones (`flag_filters`: ?institutional=1)."""

    def filter_queryset(self, request, queryset, view):
        if view.action != "list":
            return queryset
        params = request.query_params
        programme = params.get("programme", "").strip().upper()
        if programme:
            queryset = queryset.filter(view.by_programme(programme))
        code = params.get("batch", "")
        if code:
            batch = Batch.objects.visible_to(request.user).by_code(code).first()
            queryset = view.in_batch(queryset, batch) if batch else queryset.none()
        errors = {}
        for name, field in getattr(view, "id_filters", {}).items():
            value = params.get(name, "")
            if not value:
                continue
            number = whole_number(value)
            if number is None:
                errors[name] = [_("Give a number (an id).")]
            else:
                queryset = queryset.filter(**{field: number})
        for name in getattr(view, "flag_filters", ()):
            if params.get(name) == "1":
                queryset = queryset.filter(**{name: True})
        if errors:
            raise ValidationError(errors)
        return queryset

    def get_schema_operation_parameters(self, view):
        described = {"programme": "项目代码，如 SZ", "batch": "批次代码，如 SZ-3"}
        described |= {name: f"{name} 的编号" for name in getattr(view, "id_filters", {})}
        described |= {name: "1：只看是" for name in getattr(view, "flag_filters", ())}
        string = {"type": "string"}
        return [
            {"name": name, "in": "query", "required": False, "description": text, "schema": string}
            for name, text in described.items()
        ]


class LedgerViewSet(ScopedViewSet):
    filter_backends = [BatchCodes]

    def by_programme(self, code) -> Q:
        return Q(batch__programme__code=code)

    def in_batch(self, queryset, batch):
        return queryset.filter(batch=batch)


# Duties


class DutySerializer(serializers.ModelSerializer):
    programme = serializers.CharField(source="programme.code", read_only=True, allow_null=True)
    batch = serializers.SerializerMethodField(help_text="批次代码（批次自己的任务），否则为空")

    class Meta:
        model = Duty
        fields = ["id", "name", "programme", "batch", "cadence", "target", "order", "notes",
                  "version"]  # fmt: skip

    def get_batch(self, duty) -> str | None:
        return duty.batch.code if duty.batch_id else None


class DutyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, LedgerViewSet):
    """任务：项目的任务清单，或批次自己的清单；?batch= 给出该批次适用的清单。"""

    serializer_class = DutySerializer
    required_permissions = {"GET": ["ledger.view_duty"]}

    def scoped(self, user):
        return Duty.objects.visible_to(user).select_related("programme", "batch__programme")

    def by_programme(self, code) -> Q:
        return Q(programme__code=code) | Q(batch__programme__code=code)

    def in_batch(self, queryset, batch):
        return queryset.for_batch(batch)


# Progress


class ProgressEntrySerializer(serializers.ModelSerializer):
    batch = serializers.CharField(source="placement.batch.code", read_only=True)
    cadre = serializers.CharField(source="placement.cadre.name", read_only=True)
    duty_name = serializers.CharField(source="duty.name", read_only=True)
    recorded_by = serializers.CharField(
        source="recorded_by.username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = ProgressEntry
        fields = ["id", "placement", "batch", "cadre", "duty", "duty_name", "date", "count",
                  "note", "recorded_by", "recorded_at"]  # fmt: skip
        read_only_fields = fields


NOT_YOURS = _("Not found, or not yours to see.")


class ProgressRecordSerializer(serializers.Serializer):
    """记录一名干部的一条进度：所填同“任务”页面的记录表单（ledger.forms.RecordForm）。"""

    placement = serializers.PrimaryKeyRelatedField(
        queryset=Placement.objects.none(), error_messages={"does_not_exist": NOT_YOURS}
    )
    duty = serializers.PrimaryKeyRelatedField(
        queryset=Duty.objects.none(), error_messages={"does_not_exist": NOT_YOURS}
    )
    date = serializers.DateField()
    count = serializers.IntegerField(min_value=1, max_value=1000, default=1)
    note = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:  # the schema's generator describes it
            return
        user = request.user
        # Another batch's placement is, to a lead, one that does not exist.
        self.fields["placement"].queryset = Placement.objects.visible_to(user).select_related(
            "cadre", "batch__programme"
        )
        self.fields["duty"].queryset = Duty.objects.visible_to(user)


# The service's refusals (ledger.models.ProgressEntry.check_rules), by the field they concern.
RULE_FIELDS = {
    "foreign_duty": "duty",
    "count": "count",
    "per_period_count": "count",
    "future": "date",
    "outside_term": "date",
    "duplicate": "date",
}


class ProgressViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, LedgerViewSet
):
    """进度记录：队长看到并记录本批次干部的进度，规则同“任务”页面。"""

    required_permissions = {
        "GET": ["ledger.view_progressentry"],
        "POST": ["ledger.add_progressentry"],
    }
    id_filters = {"duty": "duty_id", "placement": "placement_id"}

    def get_serializer_class(self):
        return ProgressRecordSerializer if self.action == "create" else ProgressEntrySerializer

    def scoped(self, user):
        return ProgressEntry.objects.visible_to(user).select_related(
            "placement__cadre", "placement__batch__programme", "duty", "recorded_by"
        )

    def by_programme(self, code) -> Q:
        return Q(placement__batch__programme__code=code)

    def in_batch(self, queryset, batch):
        return queryset.filter(placement__batch=batch)

    @extend_schema(request=ProgressRecordSerializer, responses={201: ProgressEntrySerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            [entry] = services.progress_record(
                placements=[data["placement"]],
                duty=data["duty"],
                on=data["date"],
                count=data["count"],
                note=data["note"],
                by=request.user,
            )
        except DjangoValidationError as error:
            raise ValidationError(_by_field(error)) from None
        entry = self.get_queryset().get(pk=entry.pk)
        return Response(ProgressEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


def _by_field(error: DjangoValidationError) -> dict:
    """A refusal of the service as {field: [message]} (the field its code names)."""
    named: dict[str, list[str]] = {}
    for item in error.error_list:
        field = RULE_FIELDS.get(item.code, "non_field_errors")
        named.setdefault(field, []).extend(str(message) for message in item.messages)
    return named


# Topics and outcomes


def _people(user):
    """Claimants and credited cadres as the user may see them (a lead: their batches')."""
    return Placement.objects.visible_to(user).select_related("cadre")


class PersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="cadre.name", read_only=True)

    class Meta:
        model = Placement
        fields = ["id", "name"]


class TopicSerializer(serializers.ModelSerializer):
    batch = serializers.CharField(source="batch.code", read_only=True)
    claimants = PersonSerializer(many=True, read_only=True)

    class Meta:
        model = Topic
        fields = ["id", "batch", "title", "question", "capacity", "claimants", "state",
                  "defence_date", "defence_score", "defence_comments", "report_date",
                  "report_text", "report_attachment", "adopted_on", "implemented_on",
                  "evaluated_on", "version"]  # fmt: skip


class TopicViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, LedgerViewSet):
    """课题：所属批次、认领的干部、进展状态。"""

    serializer_class = TopicSerializer
    required_permissions = {"GET": ["ledger.view_topic"]}

    def scoped(self, user):
        return (
            Topic.objects.visible_to(user)
            .select_related("batch__programme")
            .prefetch_related(Prefetch("claimants", _people(user)))
        )


class OutcomeSerializer(serializers.ModelSerializer):
    batch = serializers.CharField(source="batch.code", read_only=True)
    credited = PersonSerializer(many=True, read_only=True)
    host_unit = serializers.CharField(source="host_unit.name", read_only=True, allow_null=True)
    topic = serializers.CharField(source="topic.title", read_only=True, allow_null=True)

    SHARED = ["id", "batch", "credited", "host_unit", "topic"]


class SuggestionSerializer(OutcomeSerializer):
    class Meta:
        model = Suggestion
        fields = [*OutcomeSerializer.SHARED, "title", "submitted_on", "institutional",
                  "adopted_on", "version"]  # fmt: skip


class ProjectSerializer(OutcomeSerializer):
    class Meta:
        model = Project
        fields = [*OutcomeSerializer.SHARED, "name", "counterpart", "signed_on", "investment",
                  "version"]  # fmt: skip


class OutcomeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, LedgerViewSet):
    model = Suggestion

    def scoped(self, user):
        return (
            self.model.objects.visible_to(user)
            .select_related("batch__programme", "host_unit", "topic")
            .prefetch_related(Prefetch("credited", _people(user)))
        )


class SuggestionViewSet(OutcomeViewSet):
    """意见建议；?institutional=1 只看被采纳为制度成果的。"""

    serializer_class = SuggestionSerializer
    required_permissions = {"GET": ["ledger.view_suggestion"]}
    flag_filters = ("institutional",)


class ProjectViewSet(OutcomeViewSet):
    """签约项目（投资额单位：亿元）。"""

    model = Project
    serializer_class = ProjectSerializer
    required_permissions = {"GET": ["ledger.view_project"]}


def register(router):
    router.register("duties", DutyViewSet, basename="api-duty")
    router.register("progress", ProgressViewSet, basename="api-progress")
    router.register("topics", TopicViewSet, basename="api-topic")
    router.register("suggestions", SuggestionViewSet, basename="api-suggestion")
    router.register("projects", ProjectViewSet, basename="api-project")
