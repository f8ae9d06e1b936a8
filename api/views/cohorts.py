"""Programmes and batches (read): a lead sees their batches and those batches' programmes."""

from django.db.models import Exists, OuterRef
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers

from cohorts.models import Batch, Programme, scoped

from .base import ScopedViewSet


class ProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = ["id", "code", "name", "city", "kind", "notes"]


class TermStatusSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class BatchSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(source="__str__", read_only=True)
    programme = serializers.CharField(source="programme.code", read_only=True)
    end_date = serializers.DateField(source="term.end", read_only=True, allow_null=True)
    term_status = serializers.SerializerMethodField()
    day_number = serializers.SerializerMethodField(
        help_text="今天是实训第几天（未开始或已结束时为空）"
    )
    headcount = serializers.IntegerField(read_only=True)

    class Meta:
        model = Batch
        fields = ["id", "code", "name", "programme", "number", "start_date", "end_date",
                  "term_days", "term_status", "day_number", "planned_size", "headcount",
                  "postponed", "postponement_reason", "notes", "version"]  # fmt: skip

    @extend_schema_field(TermStatusSerializer)
    def get_term_status(self, batch):
        status = batch.term.status()
        return {"code": status.value, "label": str(status.label)}

    def get_day_number(self, batch) -> int | None:
        return batch.term.day_number()


class ProgrammeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """项目：工作人员看到全部，队长看到自己所带批次的项目。"""

    serializer_class = ProgrammeSerializer
    required_permissions = {"GET": ["cohorts.view_batch"]}

    def scoped(self, user):
        batches = Batch.objects.visible_to(user).filter(programme=OuterRef("pk"))
        return scoped(Programme.objects.all(), user, lambda lead: Exists(batches))


class BatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """批次，附实训状态（未开始、进行中、已结束）与今天是第几天。"""

    serializer_class = BatchSerializer
    required_permissions = {"GET": ["cohorts.view_batch"]}

    def scoped(self, user):
        return Batch.objects.visible_to(user).with_counts()


def register(router):
    router.register("programmes", ProgrammeViewSet, basename="api-programme")
    router.register("batches", BatchViewSet, basename="api-batch")
