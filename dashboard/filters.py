"""The filters of the list views, in the URL (GET) so that a filtered page can be bookmarked.

One FilterSet over placements serves both lists. `/placements/` shows the matching placements;
`/cadres/` shows the people who have at least one matching placement, so that filters on batch
and placement fields hold within one and the same placement (an Exists subquery, never chained
joins that would let 处级 in one batch and 即墨区 in another make a match).

Choices come from what the user may see (`visible_to`): a team lead is offered their batches only.
Batches and programmes are named by code in the URL (?batch=SZ-3), so a link reads as it filters.
"""

import re
from datetime import date
from html import escape

from django import forms
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, TruncMonth
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_filters import CharFilter, ChoiceFilter, FilterSet, OrderingFilter

from cohorts import privacy
from cohorts.models import GENERATIONS, Cadre, Gender, generation_range
from cohorts.terms import TermStatus
from cohorts.text import pinyin_sort_key, whole_number
from placements.models import Category, HostUnit, Placement, PlacementStatus
from placements.order import SORT_KEYS, ordered_by_key
from placements.ranks import Rank, Tier
from placements.search import search_placements_by_keys

from .choices import Choices, by_pinyin_of_name, units_by_pinyin

ALL = _("All")
OFFERED_BATCHES = 50

# Senior first: sorting by rank reads like an official list; a rank known only by its tier
# (处级) sorts with its tier, after the tier's named ranks.
TIER_ORDER = Case(
    *[When(rank_tier=tier, then=Value(i)) for i, tier in enumerate(Tier.values)], default=Value(99)
)
RANK_ORDER = Case(
    *[When(rank=rank, then=Value(i)) for i, rank in enumerate(Rank.values)], default=Value(99)
)
# Statuses in the order a term goes through them.
STATUS_ORDER = Case(
    *[When(status=status, then=Value(i)) for i, status in enumerate(PlacementStatus.values)],
    default=Value(99),
)


class FastSelect(forms.Select):
    """A select rendered in Python. Django renders each option through a template, which the
    batch filter pays for on every page view: an archive has 2,000 batches, and a programme's
    host units are thousands (escaped with html.escape, as django.utils.html.escape does,
    without its lazy wrapper around each call)."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = "" if value is None else str(value)
        options = []
        for key, label in self.choices:
            key, label = str(key), str(label)
            selected = " selected" if key == chosen else ""
            if _SPECIAL.search(key) or _SPECIAL.search(label):  # rare: escape only then
                key, label = escape(key), escape(label)
            options.append(f'<option value="{key}"{selected}>{label}</option>')
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            mark_safe("".join(options)),  # noqa: S308 (each key and label escaped above)
        )


_SPECIAL = re.compile("[&<>\"']")  # what html.escape changes


class FixedChoices(BaseChoiceIterator):
    """Choices a form keeps as they are: a form deep-copies its fields' choices, and Django
    normalises them again, on every page view; a programme's host units are thousands."""

    def __init__(self, choices):
        self.choices = tuple(choices)

    def __iter__(self):
        return iter(self.choices)

    def __len__(self):
        return len(self.choices)

    def __deepcopy__(self, memo):
        return self  # a tuple of (str, str): nothing in it changes


def choice(label, **kwargs):
    return ChoiceFilter(label=label, empty_label=ALL, widget=FastSelect, **kwargs)


class SortFilter(OrderingFilter):
    """?o=name or ?o=-name: a column sort, by one or more expressions, with a stable tie-break."""

    def orders(self, value, prefix=""):
        """The ORDER BY of a sort, its expressions reached through `prefix` (cadre__); a sort
        is a field name, an expression, or a function of the prefix that makes one."""
        orders = []
        for param in value or []:
            descending = param.startswith("-")
            for expression in self.sorts.get(param.lstrip("-"), []):
                if isinstance(expression, str):
                    expression = F(prefix + expression)
                elif callable(expression):
                    expression = expression(prefix)
                orders.append(
                    expression.desc(nulls_last=True)
                    if descending
                    else expression.asc(nulls_last=True)
                )
        return orders or [F(prefix + field) for field in self.default]

    def __init__(self, *, sorts: dict, tiebreak: list, default: list, **kwargs):
        self.sorts, self.tiebreak, self.default = sorts, tiebreak, default
        super().__init__(fields={key: key for key in sorts}, label=_("Sort by"), **kwargs)

    def filter(self, qs, value):
        return qs.order_by(*self.orders(value), *self.tiebreak)


class PlacementFilter(FilterSet):
    q = CharFilter(method="search", label=_("Search"))
    programme = choice(_("programme"), field_name="batch__programme__code")
    batch = choice(_("batch"), method="filter_batch")
    group = choice(_("group"))
    term = choice(_("term status"), choices=TermStatus.choices, method="filter_term")
    host_unit = choice(_("host unit"), field_name="host_unit_id")
    host_unit_kind = choice(
        _("host-unit kind"), field_name="host_unit__kind", choices=HostUnit.Kind.choices
    )
    rank_tier = choice(_("rank tier"), choices=Tier.choices)
    rank = choice(_("rank"), choices=Rank.choices)
    category = choice(_("category"), choices=Category.choices)
    district = choice(_("district"))
    generation = choice(
        _("generation"), choices=[(g, g) for g in GENERATIONS], method="filter_generation"
    )
    gender = choice(_("gender"), field_name="cadre__gender", choices=Gender.choices)
    political_status = choice(_("political status"), field_name="cadre__political_status")
    status = choice(_("status"), choices=PlacementStatus.choices)
    o = SortFilter(
        sorts={
            "name": ["cadre__name_sort"],
            "batch": ["batch__programme__code", "batch__number"],
            "group": ["group"],
            "home_unit": ["home_unit"],
            "rank": [TIER_ORDER, RANK_ORDER],
            "district": ["district"],
            "host_unit": ["host_unit__name"],
            "status": [STATUS_ORDER],
            "start": [Coalesce("start_date", "batch__start_date")],
        },
        default=["batch__programme__code", "batch__number", "cadre__name_sort"],
        tiebreak=["cadre__name_sort", "id"],
    )

    class Meta:
        model = Placement
        fields = []

    def __init__(self, data=None, queryset=None, *, request, prefix=None):
        user = request.user
        self.placements = Placement.objects.visible_to(user)
        if queryset is None:
            queryset = self.base_queryset(user)
        super().__init__(data, queryset, request=request, prefix=prefix)
        # The choices (three queries, none while staff's are kept, dashboard/choices.py): the
        # user's batches; host units; the groups, districts and political statuses there are.
        self.sees_all = user.has_perm("cohorts.view_all_batches")
        self.choices = Choices(user)
        self.batches = self.choices.batches()
        programmes = {b.programme_code: b.programme_name for b in self.batches.values()}
        self.set_choices("programme", sorted(programmes.items()))
        self.set_choices("batch", [(b.code, b.label()) for b in self.offered_batches(programmes)])
        self.set_host_unit_choices(programmes)
        values = self.choices.facet_values(self.placements)
        for name, found in values.items():
            key = SORT_KEYS.get(name)
            ordered = sorted(found, key=key) if key else by_pinyin(found)
            self.set_choices(name, [(v, v) for v in ordered])
        # Sorting by group or district: by number, in the city's order (placements/order.py),
        # over the values just found.
        sorts = self.filters["o"].sorts = dict(self.filters["o"].sorts)
        for name in SORT_KEYS.keys() & sorts.keys():
            sorts[name] = [self._ordered(name, values[name])]

    @staticmethod
    def _ordered(name, found):
        return lambda prefix: ordered_by_key(prefix + name, found, SORT_KEYS[name])

    def offered_batches(self, programmes) -> list:
        """The chosen programme's batches, else the latest OFFERED_BATCHES (an archive has
        thousands; older ones are a programme away); the batch a link asks for in any case."""
        programme = self.data.get("programme", "")
        batches = list(self.batches.values())
        if programme in programmes:
            offered = [b for b in batches if b.programme_code == programme]
        else:
            latest = sorted(batches, key=lambda b: b.start_date or date.max, reverse=True)
            kept = {b.pk for b in latest[:OFFERED_BATCHES]}
            offered = [b for b in batches if b.pk in kept]  # in the list's order
        asked = self.batches.get(self.data.get("batch", ""))
        if asked is not None and asked not in offered:
            offered.append(asked)
        return offered

    def set_host_unit_choices(self, programmes):
        """The units of the placements in view, once a batch or a programme is chosen (or for a
        team lead): an archive has 20,000 units, and a list of them all helps no one. The unit
        a link asks for (?host_unit=, from the dashboard) is offered in any case."""
        batch = self.batches.get(self.data.get("batch", ""))
        programme = self.data.get("programme", "")
        if batch:
            name, in_view = f"batch:{batch.pk}", self.placements.filter(batch_id=batch.pk)
        elif programme in programmes:
            in_view = self.placements.filter(batch__programme__code=programme)
            name = f"programme:{programme}"
        elif not self.sees_all:
            name, in_view = "", self.placements
        else:
            name = in_view = None
            self.filters["host_unit"].label = _("host unit (choose a batch or programme first)")
        units = []
        if in_view is not None:
            units = self.choices.host_units(name, in_view.order_by().values("host_unit_id"))
        asked = self.data.get("host_unit", "")
        # A lead's units are all in view already.
        if whole_number(asked) and self.sees_all and all(str(pk) != asked for pk, _name in units):
            units = sorted([*units, *units_by_pinyin(pk=asked)], key=by_pinyin_of_name)
        self.set_choices("host_unit", [(str(pk), name) for pk, name in units])

    def base_queryset(self, user):
        return self.placements.select_related("cadre", "batch__programme", "host_unit")

    def set_choices(self, name, choices):
        self.filters[name].extra["choices"] = FixedChoices(choices)

    # --- Filter methods ---------------------------------------------------------------------

    def has_errors(self) -> bool:
        """A filter value that is not one of its choices (a stale or mistyped link)."""
        return bool(set(self.errors) - {"o"})  # an unknown sort falls back to the default

    def filter_queryset(self, queryset):
        # Never silently drop a filter: a wrong value matches nothing, and the form says why.
        return queryset.none() if self.has_errors() else super().filter_queryset(queryset)

    def search(self, queryset, name, value):
        """Every word in the name, the home unit or the host unit (the first few words)."""
        return search_placements_by_keys(queryset, value)

    def filter_batch(self, queryset, name, value):
        return queryset.filter(batch_id=self.batches[value].pk)

    def filter_term(self, queryset, name, value):
        return queryset.with_term_status(value)

    def filter_generation(self, queryset, name, value):
        return queryset.filter(cadre__birth_date__range=generation_range(value))

    # --- Results ------------------------------------------------------------------------------

    def matching_placements(self, *, leave_out=()):
        """The visible placements every filter matches (unordered; the sort is the caller's),
        but those named in `leave_out`."""
        if self.has_errors():
            return self.placements.none()
        placements = self.placements
        for name, value in self.form.cleaned_data.items():
            if name != "o" and name not in leave_out:
                placements = self.filters[name].filter(placements, value)
        return placements

    def active(self) -> list[tuple[str, str, str]]:
        """(parameter, label, value shown) of each filter in use, for the summary above a list."""
        self.errors  # noqa: B018 (validates the form)
        shown = []
        for name, value in self.form.cleaned_data.items():
            if name == "o" or value in (None, ""):
                continue
            field = self.form.fields[name]
            display = dict(getattr(field, "choices", [])).get(value, value)
            shown.append((name, str(field.label), str(display)))
        return shown


def by_pinyin(values, index=None):
    """Chinese values in the order of an official list (pinyin), not of their code points."""
    return sorted(values, key=lambda v: pinyin_sort_key(v if index is None else v[index]))


# The filters on the person, the same in each of their placements (field_name cadre__…).
PERSON_FILTERS = ("generation", "gender", "political_status")


class CadreFilter(PlacementFilter):
    """The same filters; a cadre matches when one of their placements matches them all."""

    o = SortFilter(
        sorts={
            "name": ["name_sort"],
            "gender": ["gender"],
            "birth_date": ["birth_date"],
            "political_status": ["political_status"],
        },
        default=["name_sort"],
        tiebreak=["name_sort", "id"],
    )

    class Meta:
        model = Cadre
        fields = []

    def __init__(self, data=None, queryset=None, *, request, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        if not privacy.shows_full_id(request.user):
            # By month only: the order of the days would tell them (cohorts/privacy.py).
            sort = self.filters["o"]
            sort.sorts = sort.sorts | {"birth_date": [lambda to: TruncMonth(f"{to}birth_date")]}

    def base_queryset(self, user):
        return Cadre.objects.visible_to(user)

    def filter_queryset(self, queryset):
        """The person's own filters on the cadre's row, the others through an IN over their
        placements: PostgreSQL then starts from the matching placements when they are few
        (a batch), and walks the names in order, testing each row, when they are many."""
        if self.has_errors():
            return queryset.none()
        if self.active():
            data = self.form.cleaned_data
            for name in PERSON_FILTERS:
                if data.get(name) not in (None, ""):
                    queryset = queryset.filter(self.person_matches(name, data[name]))
            matching = self.matching_placements(leave_out=PERSON_FILTERS)
            queryset = queryset.filter(pk__in=matching.values("cadre_id"))
        return self.filters["o"].filter(queryset, self.form.cleaned_data.get("o"))

    def person_matches(self, name, value) -> Q:
        """A person filter (PERSON_FILTERS) as a condition on the cadre's row."""
        if name == "generation":
            return Q(birth_date__range=generation_range(value))
        return Q(**{self.filters[name].field_name.removeprefix("cadre__"): value})


class HostUnitFilter(PlacementFilter):
    """The same filters; a host unit is listed when one of its placements matches them all,
    with the number of its matching placements."""

    o = SortFilter(
        sorts={"name": ["name"], "kind": ["kind"], "placements": ["matching"]},
        default=["name"],
        tiebreak=["id"],
    )

    class Meta:
        model = HostUnit
        fields = []

    def base_queryset(self, user):
        return HostUnit.objects.all()

    def filter_queryset(self, queryset):
        if self.has_errors():
            return queryset.none()
        matching = self.matching_placements().filter(host_unit=OuterRef("pk")).order_by()
        counted = matching.values("host_unit").annotate(n=Count("id")).values("n")
        queryset = queryset.filter(Exists(matching)).annotate(matching=Subquery(counted))
        return self.filters["o"].filter(queryset, self.form.cleaned_data.get("o"))
