"""Cadres and host units (read), as the /cadres/ and /host-units/ pages show them.

Cadres: a lead sees the cadres of their batches, each with the placements they may see (batch,
host unit, status); the filters are the /cadres/ page's (dashboard.filters.CadreFilter). The ID
number is masked and the birth date given as year and month, unless the user has 可查看完整身份证号
(then the response is logged, api/privacy.py).

Host units: staff see the whole directory (as in the admin); a lead, like the /host-units/ page,
the units where cadres of their batches are placed. The page's filters (HostUnitFilter) narrow
the list to the units with matching placements and count them (`matching`).
"""

from django.db.models import Exists, OuterRef, Prefetch
from rest_framework import mixins, serializers

from cohorts.models import Cadre, scoped
from dashboard.filters import CadreFilter, HostUnitFilter
from placements.models import HostUnit, Placement

from ..filtering import PageFilters
from ..privacy import birth, id_number
from .base import PersonalDataMixin, ScopedViewSet


class PlacementBriefSerializer(serializers.ModelSerializer):
    batch = serializers.CharField(source="batch.code", read_only=True)
    host_unit = serializers.CharField(source="host_unit.name", read_only=True, allow_null=True)

    class Meta:
        model = Placement
        fields = ["id", "batch", "host_unit", "status"]


class CadreSerializer(serializers.ModelSerializer):
    id_number = serializers.SerializerMethodField(
        help_text="身份证号；无“可查看完整身份证号”权限时脱敏（370212***********2）"
    )
    birth = serializers.SerializerMethodField(
        help_text="出生日期；无“可查看完整身份证号”权限时只到年月（1985-10）"
    )
    placements = PlacementBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Cadre
        fields = ["id", "name", "gender", "birth", "id_number", "ethnicity", "political_status",
                  "education", "phone", "version", "placements"]  # fmt: skip

    def get_id_number(self, cadre) -> str | None:
        return id_number(cadre.id_number, full=self.context["full_ids"])

    def get_birth(self, cadre) -> str | None:
        return birth(cadre.birth_date, full=self.context["full_ids"])


class ListFiltersOnly(PageFilters):
    """The page's filters on the list; an object by its id is found without them."""

    def filter_queryset(self, request, queryset, view):
        if view.action != "list":
            return queryset
        return super().filter_queryset(request, queryset, view)


class CadreViewSet(
    PersonalDataMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet
):
    """干部：工作人员看到全部，队长看到自己所带批次的干部；筛选同“干部”页面。"""

    serializer_class = CadreSerializer
    required_permissions = {"GET": ["cohorts.view_cadre"]}
    filter_backends = [ListFiltersOnly]
    filterset_class = CadreFilter

    def scoped(self, user):
        # Each cadre's placements as the user may see them: one query for the page.
        placements = Placement.objects.visible_to(user).select_related(
            "batch__programme", "host_unit"
        )
        return Cadre.objects.visible_to(user).prefetch_related(
            Prefetch("placements", placements.order_by("batch__start_date", "id"))
        )

    def cadre_ids(self, objects) -> list[int]:
        return [cadre.pk for cadre in objects]


class HostUnitSerializer(serializers.ModelSerializer):
    matching = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        default=None,
        help_text="符合筛选条件的实训安排数（未筛选时为空）",
    )

    class Meta:
        model = HostUnit
        fields = ["id", "name", "kind", "city", "industry", "address", "contact_person",
                  "contact_phone", "notes", "version", "matching"]  # fmt: skip


class HostUnitPageFilter(HostUnitFilter):
    """The /host-units/ page's filters; without any, the directory as it is."""

    def filter_queryset(self, queryset):
        if not self.has_errors() and not self.active():
            return queryset
        return super().filter_queryset(queryset)


class HostUnitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """实训单位名录：工作人员看到全部，队长看到本批次干部所在的单位；筛选同“实训单位”页面。"""

    serializer_class = HostUnitSerializer
    required_permissions = {"GET": ["placements.view_hostunit"]}
    filter_backends = [ListFiltersOnly]
    filterset_class = HostUnitPageFilter

    def scoped(self, user):
        placements = Placement.objects.visible_to(user).filter(host_unit=OuterRef("pk"))
        return scoped(HostUnit.objects.all(), user, lambda lead: Exists(placements))


def register(router):
    router.register("cadres", CadreViewSet, basename="api-cadre")
    router.register("host-units", HostUnitViewSet, basename="api-host-unit")
