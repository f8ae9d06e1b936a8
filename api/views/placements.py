"""Placements (read and write): the list of /placements/ with its filters, one placement with
its `ETag`, its history, a change guarded by `If-Match`, and the bulk status change.

Scope is `visible_to` throughout (a lead: their batches'; another's placement is a 404), ID
numbers are masked for users without 可查看完整身份证号 (full ones logged), and writes go
through placements/services.py with the pages' rules (placement_writes.py).
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from dashboard.filters import PlacementFilter
from placements.models import Placement
from placements.services import (
    LEAD_EDITABLE_FIELDS,
    PlacementChangedMeanwhile,
    placement_history,
    placement_update,
    placements_set_status,
    placements_status_preview,
)

from .. import privacy
from ..filtering import PageFilters
from ..permissions import STAFF_ONLY
from .base import PersonalDataMixin, ScopedViewSet
from .placement_writes import (
    STAFF_EDITABLE_FIELDS,
    BulkStatusResultSerializer,
    BulkStatusSerializer,
    ConflictSerializer,
    HistoryEntrySerializer,
    PlacementChangeSerializer,
    StatusCodeSerializer,
    apply_change,
    bulk_result,
    conflict_body,
    etag,
    if_match_versions,
)

# Read


class CadreBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    gender = serializers.CharField(help_text="M 男，F 女，空为未填")
    id_number = serializers.SerializerMethodField(
        help_text="身份证号：无“可查看完整身份证号”权限时只显示前六位与末位"
    )
    birth = serializers.SerializerMethodField(help_text="出生日期：无上述权限时只有年月（1985-10）")

    def get_id_number(self, cadre) -> str | None:
        return privacy.id_number(cadre.id_number, full=self.context.get("full_ids", False))

    def get_birth(self, cadre) -> str | None:
        return privacy.birth(cadre.birth_date, full=self.context.get("full_ids", False))


class HostUnitBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class TermSerializer(serializers.Serializer):
    start = serializers.DateField(allow_null=True)
    end = serializers.DateField(allow_null=True)
    status = serializers.CharField(help_text="not_started、in_progress、ended 或 unscheduled")


class PlacementSerializer(serializers.ModelSerializer):
    batch = serializers.CharField(source="batch.code", read_only=True, help_text="批次代码")
    cadre = CadreBriefSerializer(read_only=True)
    host_unit = HostUnitBriefSerializer(read_only=True, allow_null=True)
    status = serializers.SerializerMethodField()
    term = serializers.SerializerMethodField(help_text="实际起止：本人日期，否则批次的")

    class Meta:
        model = Placement
        fields = ["id", "batch", "cadre", "host_unit", "group", "status", "category", "rank",
                  "rank_tier", "home_unit", "position", "district", "role", "department",
                  "mentor", "start_date", "end_date", "term", "notes", "version"]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(StatusCodeSerializer)
    def get_status(self, placement):
        return {"code": placement.status, "label": placement.get_status_display()}

    @extend_schema_field(TermSerializer)
    def get_term(self, placement):
        term = placement.term
        return {"start": term.start, "end": term.end, "status": term.status().value}


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description='读取时的 ETag，如 "3"：版本已变则 412，缺少或为 * 则 428',
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200],
    description='这条实训安排的版本，如 "3"：修改时放在 If-Match 里',
)


class PlacementViewSet(
    PersonalDataMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet
):
    """实训安排：与 /placements/ 页面相同的筛选；队长只看到自己所带批次的。"""

    serializer_class = PlacementSerializer
    # The list's filters; one placement, its history and the bulk change take none.
    filter_backends = [PageFilters]
    filterset_class = PlacementFilter
    required_permissions = {
        "GET": ["placements.view_placement"],
        "PATCH": ["placements.change_placement"],
        "POST": ["placements.change_placement"],
    }

    def scoped(self, user):
        return Placement.objects.visible_to(user).select_related(
            "cadre", "batch__programme", "host_unit"
        )

    def filter_queryset(self, queryset):
        # The page's filters are the list's; one placement is reached by its id alone.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def cadre_ids(self, objects):
        return [placement.cadre_id for placement in objects]

    def shown(self, placement, **kwargs) -> Response:
        """A placement's answer with its ETag (full ID number logged when shown)."""
        self.full_ids = privacy.shows_full_ids(self.request, [placement.cadre_id])
        response = Response(self.get_serializer(placement).data, **kwargs)
        response["ETag"] = etag(placement)
        return response

    @extend_schema(parameters=[ETAG])
    def retrieve(self, request, *args, **kwargs):
        """一条实训安排；响应头 ETag 为其版本，修改时放在 If-Match 里。"""
        return self.shown(self.get_object())

    @extend_schema(
        parameters=[IF_MATCH, ETAG],
        request=PlacementChangeSerializer,
        responses={
            200: OpenApiResponse(PlacementSerializer, description="已保存；新的 ETag"),
            412: OpenApiResponse(ConflictSerializer, description="版本已变：未保存"),
            428: OpenApiResponse(
                inline_serializer("PreconditionRequired", {"detail": serializers.CharField()}),
                description="缺少 If-Match，或为 *：未保存",
            ),
        },
    )
    def partial_update(self, request, *args, **kwargs):
        """改一条实训安排（只改所给字段）。须带 If-Match：读取时的 ETag；期间别人改过则 412，
        并说明谁改了什么。队长可改的字段同队长页面，工作人员同管理后台（不改干部与批次）。"""
        placement = self.get_object()
        versions = if_match_versions(request)
        editable = self.editable_fields()
        change = PlacementChangeSerializer(
            placement, data=request.data, partial=True, editable=editable
        )
        change.is_valid(raise_exception=True)
        if placement.version in versions and all(
            getattr(placement, name) == value for name, value in change.validated_data.items()
        ):
            # Nothing differs: no new version, so that others' ETags stay good (a PATCH sent
            # twice changes it once).
            return self.shown(placement)
        apply_change(placement, change.validated_data, editable)
        expected = placement.version if placement.version in versions else max(versions)
        try:
            placement = placement_update(
                placement=placement, by=request.user, expected_version=expected
            )
        except PlacementChangedMeanwhile as conflict:
            response = Response(conflict_body(conflict), status=412)
            response["ETag"] = etag(conflict.stored)
            return response
        return self.shown(placement)

    def editable_fields(self) -> list[str]:
        """Staff change what the admin's form offers; a lead what the lead page does."""
        if self.request.user.has_perm(STAFF_ONLY):
            return STAFF_EDITABLE_FIELDS
        return LEAD_EDITABLE_FIELDS

    @extend_schema(responses={200: HistoryEntrySerializer(many=True)})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request, pk=None):
        """这条实训安排的全部修改记录，由早到晚：修改、批量改状态与名单导入。"""
        entries = placement_history(self.get_object())
        return Response(HistoryEntrySerializer(entries, many=True).data)

    @extend_schema(request=BulkStatusSerializer, responses={200: BulkStatusResultSerializer})
    @action(detail=False, methods=["post"], url_path="status")
    def bulk_status(self, request):
        """批量改状态，规则同页面：只沿状态顺序向前，已退出的等不能改的留下不动；回答改了
        几条、留下几条及原因。dry_run 为 true 时只预览。ids 中有不在您范围内的则 400。"""
        asked = BulkStatusSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        ids, status = set(asked.validated_data["ids"]), asked.validated_data["status"]
        chosen = Placement.objects.visible_to(request.user).filter(pk__in=ids)
        unknown = sorted(ids - set(chosen.values_list("pk", flat=True)))
        if unknown:
            message = _("No placement of yours has these ids: %(ids)s. Nothing was changed.")
            raise ValidationError({"ids": [message % {"ids": ", ".join(map(str, unknown))}]})
        if asked.validated_data["dry_run"]:
            result = placements_status_preview(placements=chosen, status=status)
        else:
            result = placements_set_status(placements=chosen, status=status, by=request.user)
        return Response(bulk_result(result, dry_run=asked.validated_data["dry_run"]))


def register(router):
    router.register("placements", PlacementViewSet, basename="api-placement")
