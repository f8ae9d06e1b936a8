import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from cadreprog.queries import SubqueryCount
from cadreprog.versioning import version_field
from cohorts import phones
from cohorts.models import Batch, Cadre, scoped
from cohorts.pinyin import unit_pinyin
from cohorts.terms import Term, TermStatus, term_end_expression, term_status_q
from cohorts.text import halfwidth, squeeze

from . import ranks


def host_unit_key(name: str) -> str:
    """The form two spellings of one unit share: 华润（集团） and 华润 (集团) match."""
    return re.sub(r"\s+", "", halfwidth(name)).casefold()


_BRACKETED = re.compile(r"\([^)]*\)")
_LEGAL_ENDINGS = re.compile(r"(股份有限公司|有限责任公司|有限公司|公司|集团|总部|中心)+$")


def host_unit_core(name: str) -> str:
    """腾讯科技（深圳）有限公司 → 腾讯科技: the name without place and legal form, for flagging
    a new unit that may be a known one written another way (腾讯集团 → 腾讯)."""
    return _LEGAL_ENDINGS.sub("", _BRACKETED.sub("", host_unit_key(name)))


class HostUnitQuerySet(models.QuerySet):
    def with_counts(self):
        placements = Placement.objects.filter(host_unit=OuterRef("pk"))
        return self.annotate(placement_count=SubqueryCount(placements.values("pk")))


class HostUnit(models.Model):
    class Kind(models.TextChoices):
        PRIVATE = "private", _("Private enterprise")
        STATE_OWNED = "state_owned", _("State-owned enterprise")
        FOREIGN = "foreign", _("Foreign-funded enterprise")
        FINANCIAL = "financial", _("Financial institution")
        INVESTMENT = "investment", _("Investment institution")
        INTERMEDIARY = "intermediary", _("Intermediary organisation")
        EXCHANGE = "exchange", _("Exchange / market infrastructure")
        ASSOCIATION = "association", _("Industry association / chamber of commerce")

    name = models.CharField(_("name"), max_length=100, unique=True)
    # Text, not a 100-character field: NFKC can lengthen a name (㍿ becomes 株式会社).
    name_key = models.TextField(
        _("matching key"),
        unique=True,
        editable=False,
        help_text=_("The name without spaces and with half-width brackets, so variants match."),
    )
    # Stored so that a search for tx or tengxun finds 腾讯 through an index (cohorts/pinyin.py).
    name_pinyin = models.TextField(_("pinyin"), editable=False, default="")
    name_initials = models.TextField(_("pinyin initials"), editable=False, default="")
    city = models.CharField(_("city"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, blank=True)
    industry = models.CharField(_("industry"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Bumped by every change: an edit made on an older version is refused (cadreprog/versioning.py).
    version = version_field()

    objects = HostUnitQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["name_key", "name_pinyin", "name_initials"],
        verbose_name=_("host unit history"),
        verbose_name_plural=_("host unit histories"),
    )

    class Meta:
        verbose_name = _("host unit")
        verbose_name_plural = _("host units")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name=""),
                name="host_unit_name_not_empty",
                violation_error_message=_("A host unit needs a name."),
            ),
        ]

    def __str__(self):
        return self.name

    def normalise(self):
        self.name = squeeze(self.name)
        self.name_key = host_unit_key(self.name)
        self.name_pinyin, self.name_initials = unit_pinyin(self.name)
        self.contact_phone = phones.normalise(self.contact_phone) if self.contact_phone else ""

    def clean_fields(self, exclude=None):
        self.normalise()
        super().clean_fields(exclude)

    def clean(self):
        if self.contact_phone:
            try:
                phones.validate(self.contact_phone)
            except ValidationError as error:
                raise ValidationError({"contact_phone": error}) from None
        twin = HostUnit.objects.filter(name_key=self.name_key).exclude(pk=self.pk).first()
        if twin is None:
            alias = HostUnitAlias.objects.filter(name_key=self.name_key).select_related("host_unit")
            alias = alias.exclude(host_unit_id=self.pk).first()
            if alias:
                message = _("%(alias)s is a former name of the host unit %(name)s, merged into it.")
                params = {"alias": alias.name, "name": alias.host_unit.name}
                raise ValidationError(
                    {"name": ValidationError(message, code="alias", params=params)}
                )
        if twin:
            message = _(
                "This is the same unit as the existing host unit %(name)s, written differently."
            )
            raise ValidationError(
                {"name": ValidationError(message, code="duplicate", params={"name": twin.name})}
            )

    def save(self, *args, **kwargs):
        self.normalise()
        super().save(*args, **kwargs)


class HostUnitAlias(models.Model):
    """A former spelling of a host unit, kept when units are merged (placements.services
    .host_units_merge): a roster that writes it lands on the unit it was merged into.

    Invariant: an alias's name_key is no host unit's name_key (the merged unit is deleted, and
    a new unit of that name is refused by HostUnit.clean)."""

    host_unit = models.ForeignKey(
        HostUnit, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("host unit")
    )
    name = models.CharField(_("former name"), max_length=100)
    name_key = models.TextField(_("matching key"), unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("former name of a host unit")
        verbose_name_plural = _("former names of host units")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = squeeze(self.name)
        self.name_key = host_unit_key(self.name)
        super().save(*args, **kwargs)


class PlacementQuerySet(models.QuerySet):
    def with_term(self):
        """Annotate each placement's effective term (its own dates, else its batch's)."""
        return self.annotate(
            batch_term_end=term_end_expression("batch__start_date", "batch__term_days"),
            term_start=Coalesce("start_date", "batch__start_date"),
            term_end=Coalesce("end_date", F("batch_term_end")),
        )

    def with_term_status(self, status: str, on=None):
        return self.with_term().filter(term_status_q(status, "term_start", "term_end", on))

    def visible_to(self, user):
        """The placements a user may see: all for staff, their batches' for a team lead."""
        return scoped(self, user, lambda lead: Q(batch__leads=lead))


class PlacementStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    CHECKED_IN = "checked_in", _("Remote check-in done")
    ON_SITE = "on_site", _("On site")
    COMPLETED = "completed", pgettext_lazy("placement status", "Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The status path: 待报到 → 已远程报到 → 已到岗 → 已结业. A bulk change (the lead's page, the admin
# actions) moves forward only, to one of these targets and only from the statuses listed: one who
# never arrived does not graduate. 待报到 and 已退出 are set one placement at a time.
STATUS_PATH = [
    PlacementStatus.PENDING,
    PlacementStatus.CHECKED_IN,
    PlacementStatus.ON_SITE,
    PlacementStatus.COMPLETED,
]
BULK_STATUS_SOURCES = {
    PlacementStatus.CHECKED_IN: [PlacementStatus.PENDING],
    PlacementStatus.ON_SITE: [PlacementStatus.PENDING, PlacementStatus.CHECKED_IN],
    PlacementStatus.COMPLETED: [PlacementStatus.ON_SITE],
}


class Category(models.TextChoices):
    PARTY_GOVERNMENT = "party_government", _("Party, government and mass organisations")
    PUBLIC_INSTITUTION = "public_institution", _("Public institution")
    STATE_ENTERPRISE = "state_enterprise", _("State-owned enterprise")
    FUNCTIONAL_ZONE = "functional_zone", _("Functional zone")
    DISTRICT = "district", _("District or county-level city")
    TOWN = "town", _("Town or sub-district")
    CENTRAL_UNIT = "central_unit", _("Central unit stationed in Qingdao")
    PRIVATE_ENTREPRENEUR = "private_entrepreneur", _("Private entrepreneur")


class Placement(models.Model):
    Status = PlacementStatus
    Category = Category

    cadre = models.ForeignKey(
        Cadre, on_delete=models.PROTECT, related_name="placements", verbose_name=_("cadre")
    )
    batch = models.ForeignKey(
        Batch, on_delete=models.PROTECT, related_name="placements", verbose_name=_("batch")
    )
    # What the roster said about the cadre at the time of this batch.
    home_unit = models.CharField(_("home unit"), max_length=100, blank=True)
    position = models.CharField(_("position"), max_length=100, blank=True)
    rank = models.CharField(
        _("rank"),
        max_length=20,
        choices=ranks.Rank,
        default=ranks.Rank.OTHER,
        blank=True,
        help_text=_("Leave empty when only the tier is known."),
    )
    rank_tier = models.CharField(
        _("rank tier"),
        max_length=20,
        choices=ranks.Tier,
        default=ranks.Tier.NONE,
        help_text=_("Follows the rank; set it by hand only when the rank is empty."),
    )
    category = models.CharField(_("category"), max_length=30, choices=Category, blank=True)
    district = models.CharField(_("district"), max_length=20, blank=True)
    group = models.CharField(_("group"), max_length=30, blank=True)
    # The placement itself.
    host_unit = models.ForeignKey(
        "HostUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("host unit"),
        help_text=_("Empty while the cadre is not yet placed."),
    )
    role = models.CharField(_("role"), max_length=50, blank=True)
    department = models.CharField(_("host department"), max_length=100, blank=True)
    mentor = models.CharField(_("mentor"), max_length=50, blank=True)
    start_date = models.DateField(
        _("start date"), null=True, blank=True, help_text=_("Empty: the batch's first day.")
    )
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Empty: the batch's last day.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PENDING)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(pgettext_lazy("time", "updated"), auto_now=True)
    # Bumped by every change, saves and imports alike: an edit made on an older version is
    # refused instead of overwriting what changed meanwhile.
    version = version_field()

    objects = PlacementQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["created_at", "updated_at"],
        verbose_name=_("placement history"),
        verbose_name_plural=_("placement histories"),
    )

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["batch__programme__code", "batch__number", "cadre__name_sort", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cadre", "batch"],
                name="placement_one_per_batch",
                violation_error_message=_("The cadre already has a placement in this batch."),
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(start_date__lte=F("end_date")),
                name="placement_dates_ordered",
                violation_error_message=_("The end date comes before the start date."),
            ),
            models.CheckConstraint(
                condition=ranks.consistency_q("rank", "rank_tier"),
                name="placement_rank_tier",
                violation_error_message=_("The rank tier does not match the rank."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=PlacementStatus.values),
                name="placement_status_valid",
                violation_error_message=_("Choose one of the listed statuses."),
            ),
            models.CheckConstraint(
                condition=Q(category__in=["", *Category.values]),
                name="placement_category_valid",
                violation_error_message=_("Choose one of the listed categories."),
            ),
        ]
        indexes = [
            models.Index(fields=["batch", "status"]),
            # The lists' group and district choices are read from these (placements/facets.py).
            models.Index(fields=["group"], name="placement_group"),
            models.Index(fields=["district"], name="placement_district"),
        ]

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # What was read, so that a save can tell which fields it changes (changed_fields).
        instance._loaded = dict(zip(field_names, values, strict=True))
        return instance

    def changed_fields(self) -> set[str] | None:
        """The attnames of the fields whose values differ from those read from the database or
        last saved from this object; None when it was neither (new, or made by hand).
        refresh_from_db() does not update what it compares with."""
        loaded = getattr(self, "_loaded", None)
        if loaded is None:
            return None
        return {
            f.attname for f in self._meta.concrete_fields
            if f.attname not in loaded or getattr(self, f.attname) != loaded[f.attname]
        }  # fmt: skip

    def __str__(self):
        return f"{self.cadre} · {self.batch}"

    def get_status_display(self):
        # Django's builds a dict of every choice, each lazy label translated to be hashed, on
        # every call: 60 µs, 7 ms of a lead's page of 120 placements.
        try:
            return str(self.Status(self.status).label)
        except ValueError:
            return self.status

    def term_within(self, batch_term: Term) -> Term:
        return batch_term.with_own(self.start_date, self.end_date)

    @property
    def term(self) -> Term:
        return self.term_within(self.batch.term)

    @property
    def term_status(self) -> TermStatus:
        return self.term.status()

    def normalise(self):
        for field in ("home_unit", "position", "district", "group", "role", "department"):
            setattr(self, field, squeeze(getattr(self, field)))
        if self.rank in ranks.RANKS:
            self.rank_tier = ranks.tier_of(self.rank)
        elif not self.rank and self.rank_tier == ranks.Tier.NONE:
            self.rank = ranks.Rank.OTHER
        elif not self.rank and self.rank_tier == ranks.Tier.STAFF:
            self.rank = ranks.Rank.STAFF  # the staff tier holds one rank
        # An unknown rank is left for clean_fields to report as an invalid choice.
        if self.batch_id:
            # Dates equal to the batch's term are not stored, so moving the batch moves them.
            batch_term = self.batch.term
            if self.start_date == batch_term.start:
                self.start_date = None
            if self.end_date == batch_term.end:
                self.end_date = None

    def clean_fields(self, exclude=None):
        if self.batch_id:
            self.normalise()
        super().clean_fields(exclude)

    def clean(self):
        if not self.batch_id or not self._dates_valid():
            return
        self._check_dates_inside_batch_term()
        if self.cadre_id:
            self._check_no_overlap()

    def _dates_valid(self) -> bool:
        # full_clean() calls clean() even when a date failed to parse; that error is reported.
        return all(isinstance(d, date | None) for d in (self.start_date, self.end_date))

    def _check_dates_inside_batch_term(self):
        batch_term = self.batch.term
        if (self.start_date or self.end_date) and batch_term.start is None:
            raise ValidationError(
                _("The batch has no start date yet, so the placement cannot have its own dates."),
                code="batch_unscheduled",
            )
        term = self.term_within(batch_term)
        if term.start and term.end and term.start > term.end:
            raise ValidationError(
                {"end_date": _("The end date comes before the start date.")}, code="dates_order"
            )
        if not batch_term.contains(term):
            raise ValidationError(
                _("The dates must lie inside the batch's term, %(start)s to %(end)s."),
                code="outside_term",
                params={"start": batch_term.start, "end": batch_term.end},
            )

    def _check_no_overlap(self):
        others = Placement.objects.filter(cadre_id=self.cadre_id).exclude(pk=self.pk)
        other = self.overlapping(others.select_related("batch__programme"))
        if other:
            raise self.overlap_error(other)

    def overlapping(self, others, batch_term: Term | None = None):
        """The first of `others` (the same cadre's placements) whose term overlaps this one.

        `batch_term` stands in for the batch's term when the batch is about to move.
        """
        term = self.term_within(batch_term or self.batch.term)
        for other in others:
            if other.batch_id != self.batch_id and term.overlaps(other.term):
                return other
        return None

    def overlap_error(self, other, batch_term: Term | None = None) -> ValidationError:
        term = self.term_within(batch_term or self.batch.term)
        return ValidationError(
            _(
                "%(cadre)s is already in %(batch)s from %(start)s to %(end)s, "
                "which overlaps the term %(term_start)s to %(term_end)s."
            ),
            code="overlapping_terms",
            params={
                "cadre": self.cadre.name,
                "batch": other.batch,
                "start": other.term.start,
                "end": other.term.end,
                "term_start": term.start,
                "term_end": term.end,
            },
        )

    def save(self, *args, **kwargs):
        self.normalise()
        super().save(*args, **kwargs)
        # What is stored now (the save's signals compared it with what was read before).
        self._loaded = {f.attname: getattr(self, f.attname) for f in self._meta.concrete_fields}


class RosterImport(models.Model):
    """One roster file loaded (or refused): who, when, what, and the outcome."""

    class Outcome(models.TextChoices):
        IMPORTED = "imported", _("Imported")
        REFUSED = "refused", _("Refused: the file has errors")

    class Source(models.TextChoices):
        ADMIN = "admin", _("Admin")
        COMMAND = "command", _("Command line")
        API = "api", _("API")

    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    source = models.CharField(_("source"), max_length=10, choices=Source)
    file_name = models.CharField(_("file name"), max_length=255)
    batches = models.ManyToManyField(
        Batch, blank=True, related_name="roster_imports", verbose_name=_("batches")
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome)
    new_count = models.PositiveIntegerField(_("new"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("error messages"), default=list, blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        if self.created_at is None:
            return self.file_name
        # Local time (Asia/Shanghai), as the page around it shows its fields.
        return f"{self.file_name} · {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"


class RosterImportChange(models.Model):
    """What one import did to one placement: written in bulk, one row per changed placement."""

    class Action(models.TextChoices):
        NEW = "new", _("New")
        UPDATED = "updated", _("Updated")

    roster_import = models.ForeignKey(
        RosterImport, on_delete=models.CASCADE, related_name="changes", verbose_name=_("import")
    )
    placement = models.ForeignKey(
        Placement,
        on_delete=models.SET_NULL,
        null=True,
        related_name="import_changes",
        verbose_name=_("placement"),
    )
    row = models.PositiveIntegerField(_("row"))
    action = models.CharField(_("action"), max_length=10, choices=Action)
    # {"field": [before, after], …}; for a new row, before is null.
    fields = models.JSONField(_("changed fields"), default=dict)

    class Meta:
        verbose_name = _("imported change")
        verbose_name_plural = _("imported changes")
        ordering = ["roster_import", "row"]

    def __str__(self):
        return f"{self.roster_import} · {self.row}"


class RosterUpload(models.Model):
    """An uploaded roster waiting between the admin's preview and its confirmation.

    In the database, not on a server's disk: with several app servers the confirmation may reach
    another one than the preview. Only its uploader can use it; a day later it is deleted.

    A small upload is read in the request and its preview shown at once (`state` empty). A large
    one (rosters/uploads.py) is read, checked and written by background tasks, and keeps here
    what its pages show on any app server: its state, the preview and the outcome.
    """

    class State(models.TextChoices):
        INLINE = "", _("Previewed in the request")
        CHECKING = "checking", _("Being read and checked")
        CHECKED = "checked", _("Checked: awaiting confirmation")
        WRITING = "writing", _("Being imported")
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", pgettext_lazy("roster upload", "Failed")

    token = models.CharField(_("token"), max_length=32, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    file_name = models.CharField(_("file name"), max_length=255)
    batch = models.ForeignKey(
        Batch, verbose_name=_("batch"), null=True, blank=True, on_delete=models.CASCADE
    )
    data = models.BinaryField(_("file content"))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True, db_index=True)
    state = models.CharField(_("state"), max_length=10, choices=State, default="", blank=True)
    row_count = models.PositiveIntegerField(_("rows (counted on upload)"), default=0)
    ok = models.BooleanField(_("can be imported"), default=False)
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    failure = models.TextField(_("why it failed"), blank=True)
    confirmations = models.PositiveSmallIntegerField(_("confirmations"), default=0)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    roster_import = models.ForeignKey(
        RosterImport, verbose_name=_("roster import"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="uploads",
    )  # fmt: skip

    class Meta:
        verbose_name = _("uploaded roster")
        verbose_name_plural = _("uploaded rosters")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.file_name
