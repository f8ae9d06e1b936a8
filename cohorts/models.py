import re
from datetime import date

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Length, Upper
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from cadreprog.queries import SubqueryCount
from cadreprog.versioning import version_field

from . import idnumbers, phones, privacy
from .pinyin import person_pinyin
from .terms import (
    DEFAULT_TERM_DAYS,
    MAX_TERM_DAYS,
    Term,
    TermStatus,
    term_end_expression,
    term_status_q,
)
from .text import normalise_name, pinyin_sort_key, squeeze

BATCH_CODE = re.compile(r"([A-Z][A-Z0-9]*)-([0-9]+)", re.ASCII)
# The programme began in 2019; the range keeps a typing slip from reaching year 9999.
FIRST_START, LAST_START = date(2000, 1, 1), date(2099, 12, 31)


class Programme(models.Model):
    class Kind(models.TextChoices):
        EXPERIENTIAL = "experiential", _("Experiential training")
        PROFESSIONAL = "professional", _("Professional training")

    code = models.CharField(
        _("code"),
        max_length=10,
        unique=True,
        help_text=_("Short upper-case code used in batch codes, e.g. SZ or SH."),
        validators=[
            RegexValidator(
                r"^[A-Z][A-Z0-9]*$",
                _("Use upper-case letters and digits, starting with a letter, e.g. SZ."),
            )
        ],
    )
    name = models.CharField(_("name"), max_length=100)
    city = models.CharField(_("city"), max_length=50)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.EXPERIENTIAL)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                # Plain SQL, not REGEXP, so that any SQLite client can write to the file.
                condition=Q(Exact(F("code"), Upper("code"))) & ~Q(code="") & ~Q(code__contains="-"),
                name="programme_code_upper",
                violation_error_message=_(
                    "Use upper-case letters and digits, starting with a letter, e.g. SZ."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def clean_fields(self, exclude=None):
        # Staff type sz; batch codes print SZ-3.
        self.code = self.code.strip().upper()
        super().clean_fields(exclude)


def scoped(queryset, user, led_by):
    """The one rule of who sees what: staff (who may see every batch) see all of `queryset`,
    a team lead the part that `led_by(user)` selects, anyone else nothing."""
    if user.has_perm("cohorts.view_all_batches"):
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(led_by(user))


class BatchQuerySet(models.QuerySet):
    def with_term_end(self):
        return self.annotate(term_end=term_end_expression("start_date", "term_days"))

    def with_term_status(self, status: str, on: date | None = None):
        return self.with_term_end().filter(term_status_q(status, "start_date", "term_end", on))

    def with_counts(self):
        placements = self.model._meta.get_field("placements").related_model.objects
        mine = placements.filter(batch=OuterRef("pk"))
        return self.annotate(
            headcount=SubqueryCount(mine.values("pk")),
            host_unit_count=SubqueryCount(
                mine.filter(host_unit__isnull=False).values("host_unit").distinct()
            ),
        )

    def visible_to(self, user):
        """The batches a user may see: all for staff, their own for a team lead."""
        return scoped(self, user, lambda lead: Q(leads=lead))

    def by_code(self, text: str):
        """The batch a code such as SZ-3 names (none when it names none)."""
        parsed = Batch.parse_code(text)
        if parsed is None:
            return self.none()
        programme_code, number = parsed
        return self.filter(programme__code=programme_code, number=number)


class BatchManager(models.Manager.from_queryset(BatchQuerySet)):
    def get_queryset(self):
        # A batch names itself by its programme's city (深圳第3批): fetch both in one query,
        # so that lists of batches (filters, autocomplete, choices) stay one query.
        return super().get_queryset().select_related("programme")


class Batch(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="batches", verbose_name=_("programme")
    )
    number = models.PositiveSmallIntegerField(_("batch number"), validators=[MinValueValidator(1)])
    start_date = models.DateField(
        _("start date"),
        null=True,
        blank=True,
        help_text=_("Day 1 of the term; empty while planned."),
        validators=[MinValueValidator(FIRST_START), MaxValueValidator(LAST_START)],
    )
    term_days = models.PositiveSmallIntegerField(
        _("term (days)"),
        default=DEFAULT_TERM_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TERM_DAYS)],
    )
    planned_size = models.PositiveSmallIntegerField(_("planned size"), null=True, blank=True)
    postponed = models.BooleanField(_("postponed"), default=False)
    postponement_reason = models.CharField(_("reason for postponement"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="led_batches",
        verbose_name=_("team leads"),
        help_text=_("The party-branch secretary and group leaders who keep this batch current."),
    )
    # The batch's group chat: a WeCom (企业微信 / 政务微信) group robot's address, which reminders
    # post to. The address is a secret (anyone holding it can post): shown masked.
    wechat_webhook = models.URLField(
        _("group-chat robot address"),
        max_length=500,
        blank=True,
        help_text=_("The WeCom group robot's webhook address; reminders for this batch go there."),
    )
    # Bumped by every change: an edit made on an older version is refused (cadreprog/versioning.py).
    version = version_field()

    objects = BatchManager()
    history = HistoricalRecords(
        verbose_name=_("batch history"), verbose_name_plural=_("batch histories")
    )

    class Meta:
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        ordering = ["programme__code", "number"]
        permissions = [("view_all_batches", _("Can see and change every batch, not only led ones"))]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"],
                name="batch_number_unique",
                violation_error_message=_("The programme already has a batch with this number."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="batch_number_positive",
                violation_error_message=_("Batch numbers start at 1."),
            ),
            models.CheckConstraint(
                condition=Q(term_days__gte=1, term_days__lte=MAX_TERM_DAYS),
                name="batch_term_days_range",
                violation_error_message=_("A term lasts between 1 and 366 days."),
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(start_date__gte=FIRST_START, start_date__lte=LAST_START),
                name="batch_start_date_range",
                violation_error_message=_("The start date must lie between 2000 and 2099."),
            ),
            models.CheckConstraint(
                condition=Q(postponed=False) | ~Q(postponement_reason=""),
                name="batch_postponement_has_reason",
                violation_error_message=_("Say why the batch was postponed."),
            ),
        ]

    def __str__(self):
        return _("%(city)s batch %(number)d") % {"city": self.programme.city, "number": self.number}

    @property
    def code(self) -> str:
        return f"{self.programme.code}-{self.number}"

    @staticmethod
    def parse_code(text: str) -> tuple[str, int] | None:
        """('SZ', 3) for 'SZ-3' or ' sz-3 '; None for anything else."""
        match = BATCH_CODE.fullmatch(text.strip().upper())
        return (match[1], int(match[2])) if match else None

    @property
    def term(self) -> Term:
        return Term.of_days(self.start_date, self.term_days)

    @property
    def term_status(self) -> TermStatus:
        return self.term.status()

    def clean(self):
        if self.postponed and not self.postponement_reason.strip():
            raise ValidationError(
                {"postponement_reason": _("Say why the batch was postponed.")}, code="reason"
            )
        if self.pk and self._term_fields_valid():
            self._check_placement_dates_fit()
            self._check_no_overlaps()

    def _term_fields_valid(self) -> bool:
        # full_clean() calls clean() even when a field failed; the term needs both fields sound.
        start_ok = self.start_date is None or isinstance(self.start_date, date)
        days_ok = isinstance(self.term_days, int) and 1 <= self.term_days <= MAX_TERM_DAYS
        return start_ok and days_ok and (self.start_date is None or self.start_date.year < 2100)

    def _check_no_overlaps(self):
        """Moving the term must not make a cadre's two batches overlap."""
        Placement = self.placements.model
        mine = {p.cadre_id: p for p in self.placements.select_related("cadre")}
        others = (
            Placement.objects.filter(cadre_id__in=self.placements.values("cadre_id"))
            .exclude(batch=self)
            .select_related("batch__programme")
        )
        for other in others:
            placement = mine[other.cadre_id]
            if placement.overlapping([other], batch_term=self.term):
                raise placement.overlap_error(other, batch_term=self.term)

    def _check_placement_dates_fit(self):
        """A new start date or length must keep the placements' own dates inside the term."""
        term = self.term
        misfits = [
            p
            for p in self.placements.exclude(start_date=None, end_date=None).select_related("cadre")
            if not term.contains(p.term_within(term))
        ]
        if misfits:
            names = "、".join(p.cadre.name for p in misfits[:5])
            raise ValidationError(
                _(
                    "The term would no longer contain the dates set for %(count)d placements "
                    "(%(names)s). Change their dates first."
                ),
                code="placements_outside_term",
                params={"count": len(misfits), "names": names},
            )


class Gender(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class CodePointOrderField(models.CharField):
    """A text column the database orders by code point, whatever the server's locale: the "C"
    collation on PostgreSQL (a locale's collation would reorder the pinyin keys, and differ
    from one server to another); SQLite's default BINARY collation already is code point order.
    """

    def db_parameters(self, connection):
        parameters = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            parameters["collation"] = "C"
        return parameters


class CadreQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The cadres a user may see: all for staff, those of their batches for a team lead."""
        placements = apps.get_model("placements", "Placement").objects
        return scoped(
            self,
            user,
            lambda lead: Exists(placements.filter(cadre=OuterRef("pk"), batch__leads=lead)),
        )


class Cadre(models.Model):
    Gender = Gender

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    # Stored so that lists sort by pinyin in the database (see text.pinyin_sort_key).
    name_sort = CodePointOrderField(
        _("sort key"), max_length=500, editable=False, db_index=True, default=""
    )
    # Stored so that a search for wh or wanghao finds 王浩 through an index (see pinyin.py).
    name_pinyin = models.TextField(_("pinyin"), editable=False, default="")
    name_initials = models.TextField(_("pinyin initials"), editable=False, default="")
    gender = models.CharField(_("gender"), max_length=1, choices=Gender, blank=True)
    GENDER_SPELLINGS = {"男": Gender.MALE, "女": Gender.FEMALE}
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    id_number = models.CharField(
        _("ID number"), max_length=18, unique=True, null=True, blank=True, default=None
    )
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True)
    political_status = models.CharField(_("political status"), max_length=20, blank=True)
    education = models.CharField(_("education"), max_length=20, blank=True)
    phone = models.CharField(_("phone"), max_length=24, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Bumped by every change, edits and roster imports alike (cadreprog/versioning.py).
    version = version_field()

    objects = CadreQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["name_sort", "name_pinyin", "name_initials"],
        verbose_name=_("cadre history"),
        verbose_name_plural=_("cadre histories"),
    )

    class Meta:
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        ordering = ["name_sort", "id"]
        permissions = [("view_full_id_number", _("Can see full ID numbers"))]
        # The lists' political-status choices are read from this index (placements/facets.py).
        indexes = [
            models.Index(fields=["political_status"], name="cadre_political_status"),
            # Lists of cadres are in this order: a page is read along the index, not sorted.
            models.Index(fields=["name_sort", "id"], name="cadre_name_sort"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(id_number__isnull=True) | Q(Exact(Length("id_number"), 18)),
                name="cadre_id_number_length",
                violation_error_message=_("An ID number has 18 characters."),
            ),
            models.CheckConstraint(
                condition=~Q(name=""),
                name="cadre_name_not_empty",
                violation_error_message=_("A cadre needs a name."),
            ),
            models.CheckConstraint(
                condition=Q(gender__in=["", *Gender.values]),
                name="cadre_gender_valid",
                violation_error_message=_("Gender is male, female or not given."),
            ),
        ]

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Remember the stored ID number: its gender and birth date follow a corrected one.
        # (Looked up by position: an import reads 100,000 cadres.)
        try:
            instance._stored_id_number = values[field_names.index("id_number")]
        except ValueError:  # not read (deferred)
            instance._stored_id_number = None
        return instance

    def __str__(self):
        return self.name

    @staticmethod
    def shown_in_history(field: str, value) -> str | None:
        """How a field reads in a conflict message or history, whoever reads it: the ID number
        masked and the date of birth by month (privacy.py); None for the other fields."""
        return privacy.hidden(field, value) if field in privacy.HIDDEN_FIELDS else None

    @property
    def masked_id_number(self) -> str:
        return idnumbers.mask(self.id_number)

    @property
    def generation(self) -> str:
        return generation_of(self.birth_date)

    def normalise(self):
        self.name = normalise_name(self.name)
        self.name_sort = pinyin_sort_key(self.name)
        self.name_pinyin, self.name_initials = person_pinyin(self.name)
        self.gender = self.GENDER_SPELLINGS.get(self.gender.strip(), self.gender.strip())
        self.id_number = idnumbers.normalise(self.id_number) if self.id_number else None
        self.phone = phones.normalise(self.phone) if self.phone else ""
        for field in ("ethnicity", "political_status", "education"):
            setattr(self, field, squeeze(getattr(self, field)))

    def clean_fields(self, exclude=None):
        self.normalise()
        super().clean_fields(exclude)

    def clean(self):
        errors = {}
        if self.phone:
            try:
                phones.validate(self.phone)
            except ValidationError as e:
                errors["phone"] = e
        if self.id_number:
            try:
                idnumbers.validate(self.id_number)
            except ValidationError as e:
                errors["id_number"] = e
            else:
                errors.update(self._contradictions_with_id_number())
        if errors:
            raise ValidationError(errors)

    def _contradictions_with_id_number(self) -> dict:
        """A gender or birth month given by hand that the ID number contradicts.

        Values that the previously stored ID number gave are not given by hand: when staff
        correct a mistyped ID number, they follow the new one.
        """
        errors = {}
        born, gender = idnumbers.birth_date(self.id_number), idnumbers.gender(self.id_number)
        stored = getattr(self, "_stored_id_number", None)
        if stored and stored != self.id_number and idnumbers.is_valid(stored):
            given_gender = None if self.gender == idnumbers.gender(stored) else self.gender
            given_birth = (
                None if self.birth_date == idnumbers.birth_date(stored) else self.birth_date
            )
        else:
            given_gender, given_birth = self.gender, self.birth_date
        if given_gender in self.Gender.values and given_gender != gender:
            errors["gender"] = ValidationError(
                _("The ID number says %(id_gender)s, but the gender given is %(gender)s."),
                code="gender_contradicts_id",
                params={
                    "id_gender": self.Gender(gender).label,
                    "gender": self.Gender(given_gender).label,
                },
            )
        stated = given_birth
        if isinstance(stated, date) and (stated.year, stated.month) != (born.year, born.month):
            errors["birth_date"] = ValidationError(
                _(
                    "The ID number says born in %(id_month)s, but the date of birth given is "
                    "in %(month)s."
                ),
                code="birth_date_contradicts_id",
                params={"id_month": f"{born:%Y-%m}", "month": f"{stated:%Y-%m}"},
            )
        return errors

    def derive_from_id_number(self):
        """The ID number is the authority for the full birth date and the gender."""
        if self.id_number and idnumbers.is_valid(self.id_number):
            self.birth_date = idnumbers.birth_date(self.id_number)
            self.gender = idnumbers.gender(self.id_number)

    def save(self, *args, **kwargs):
        self.normalise()
        self.derive_from_id_number()
        super().save(*args, **kwargs)


# The generations reports and filters offer, oldest first.
GENERATIONS = [f"{decade % 100:02d}后" for decade in range(1940, 2010, 10)]


def generation_of(born: date | None) -> str:
    """60后, 70后 …: the decade of birth, as the press writes it."""
    if born is None:
        return ""
    return f"{born.year // 10 * 10 % 100:02d}后"


def generation_range(label: str) -> tuple[date, date]:
    """The first and last birth dates of a generation label such as 80后 (KeyError if unknown)."""
    if label not in GENERATIONS:
        raise KeyError(label)
    decade = int(label[:2])
    start = (1900 if decade >= 40 else 2000) + decade
    return date(start, 1, 1), date(start + 9, 12, 31)
