"""The filters of /placements/ and /cadres/ (dashboard.filters), for the API's lists.

The same FilterSet as the pages, so the parameters, their values and what they match are the
pages' (?batch=SZ-3&status=on_site&q=王); a value that is not among its choices is a 400 naming
the parameter, where the page shows an empty list and says why. The page's sort (?o=) is left
out: a cursor walks the list by id.
"""

from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend

from cohorts.models import GENERATIONS, Gender
from cohorts.terms import TermStatus
from placements.models import Category, HostUnit, PlacementStatus
from placements.ranks import Rank, Tier

# Parameters of the FilterSet and, for the schema, their fixed choices (None: they depend on
# the data, e.g. the user's batches).
PARAMETERS = {
    "q": None,
    "programme": None,
    "batch": None,
    "group": None,
    "term": TermStatus.values,
    "host_unit": None,
    "host_unit_kind": HostUnit.Kind.values,
    "rank_tier": Tier.values,
    "rank": Rank.values,
    "category": Category.values,
    "district": None,
    "generation": GENERATIONS,
    "gender": Gender.values,
    "political_status": None,
    "status": PlacementStatus.values,
}
DESCRIPTIONS = {
    "q": "姓名、派出单位或实训单位中的词（空格分隔，全部匹配）；姓名也可写拼音",
    "programme": "项目代码，如 SZ",
    "batch": "批次代码，如 SZ-3",
    "group": "组别",
    "host_unit": "实训单位编号",
    "district": "区市",
    "political_status": "政治面貌",
}


class PageFilters(BaseFilterBackend):
    """Uses the view's `filterset_class` (a dashboard.filters FilterSet)."""

    def filter_queryset(self, request, queryset, view):
        data = request.query_params.copy()
        data.pop("o", None)
        filterset = view.filterset_class(data, queryset, request=request)
        errors = {name: messages for name, messages in filterset.errors.items() if name != "o"}
        if errors:
            raise ValidationError(errors)
        return filterset.qs

    def get_schema_operation_parameters(self, view):
        parameters = []
        for name, choices in PARAMETERS.items():
            schema = {"type": "string"}
            if choices:
                schema["enum"] = list(choices)
            parameters.append(
                {
                    "name": name,
                    "in": "query",
                    "required": False,
                    "description": DESCRIPTIONS.get(name, name),
                    "schema": schema,
                }
            )
        return parameters
