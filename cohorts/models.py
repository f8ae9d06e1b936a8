from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from . import idnumbers, phones
from .terms import Term, TermStatus, term_end_expression, term_status_q
from .text import normalise_name, squeeze


class Programme(models.Model):
    class Kind(models.TextChoices):
        EXPERIENTIAL = "experiential", _("Experiential training")
        PROFESSIONAL = "professional", _("Professional training")

    code = models.CharField(
        _("code"),
        max_length=10,
        unique=True,
        help_text=_("Short upper-case code used in batch codes, e.g. SZ or SH."),
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
                condition=Q(code__regex=r"^[A-Z][A-Z0-9]*$"), name="programme_code_upper"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        self.code = self.code.strip().upper()


class BatchQuerySet(models.QuerySet):
    def with_term_end(self):
        return self.annotate(term_end=term_end_expression("start_date", "term_days"))

    def with_term_status(self, status: str, on: date | None = None):
        return self.with_term_end().filter(term_status_q(status, "start_date", "term_end", on))

    def with_counts(self):
        return self.annotate(
            headcount=Count("placements", distinct=True),
            host_unit_count=Count("placements__host_unit", distinct=True),
        )


class Batch(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="batches", verbose_name=_("programme")
    )
    number = models.PositiveSmallIntegerField(_("batch number"))
    start_date = models.DateField(
        _("start date"),
        null=True,
        blank=True,
        help_text=_("Day 1 of the term; empty while planned."),
    )
    term_days = models.PositiveSmallIntegerField(_("term (days)"), default=100)
    planned_size = models.PositiveSmallIntegerField(_("planned size"), null=True, blank=True)
    postponed = models.BooleanField(_("postponed"), default=False)
    postponement_reason = models.CharField(_("reason for postponement"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = BatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        ordering = ["programme__code", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="batch_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="batch_number_positive"),
            models.CheckConstraint(condition=Q(term_days__gte=1), name="batch_term_days_positive"),
        ]

    def __str__(self):
        return _("%(city)s batch %(number)d") % {"city": self.programme.city, "number": self.number}

    @property
    def code(self) -> str:
        return f"{self.programme.code}-{self.number}"

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
        if self.pk:
            self._check_placement_dates_fit()

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


class Cadre(models.Model):
    class Gender(models.TextChoices):
        MALE = "M", _("male")
        FEMALE = "F", _("female")

    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    id_number = models.CharField(
        _("ID number"), max_length=18, unique=True, null=True, blank=True, default=None
    )
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True)
    political_status = models.CharField(_("political status"), max_length=20, blank=True)
    education = models.CharField(_("education"), max_length=20, blank=True)
    phone = models.CharField(_("phone"), max_length=24, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(id_number__isnull=True) | Q(Exact(Length("id_number"), 18)),
                name="cadre_id_number_length",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="cadre_name_not_empty"),
        ]

    def __str__(self):
        return self.name

    @property
    def masked_id_number(self) -> str:
        return idnumbers.mask(self.id_number)

    @property
    def generation(self) -> str:
        return generation_of(self.birth_date)

    def normalise(self):
        self.name = normalise_name(self.name)
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
        errors = {}
        born, gender = idnumbers.birth_date(self.id_number), idnumbers.gender(self.id_number)
        if self.gender and self.gender != gender:
            errors["gender"] = ValidationError(
                _("The ID number says %(id_gender)s, but the gender given is %(gender)s."),
                code="gender_contradicts_id",
                params={
                    "id_gender": self.Gender(gender).label,
                    "gender": self.Gender(self.gender).label,
                },
            )
        stated = self.birth_date
        if stated and (stated.year, stated.month) != (born.year, born.month):
            errors["birth_date"] = ValidationError(
                _(
                    "The ID number says born in %(id_month)s, but the date of birth given is "
                    "in %(month)s."
                ),
                code="birth_date_contradicts_id",
                params={"id_month": f"{born:%Y-%m}", "month": f"{stated:%Y-%m}"},
            )
        return errors

    def save(self, *args, **kwargs):
        self.normalise()
        if self.id_number and idnumbers.is_valid(self.id_number):
            # The ID number is the authority for the full birth date and the gender.
            self.birth_date = idnumbers.birth_date(self.id_number)
            self.gender = idnumbers.gender(self.id_number)
        super().save(*args, **kwargs)


GENERATIONS = [(1950, "50后"), (1960, "60后"), (1970, "70后"), (1980, "80后"), (1990, "90后"),
               (2000, "00后")]  # fmt: skip


def generation_of(born: date | None) -> str:
    """60后, 70后 …: the decade of birth, as the press writes it."""
    if born is None:
        return ""
    decade = born.year // 10 * 10
    return f"{decade % 100:02d}后"


def generation_range(label: str) -> tuple[date, date]:
    """The first and last birth dates of a generation label such as 80后."""
    start = dict((lab, year) for year, lab in GENERATIONS)[label]
    return date(start, 1, 1), date(start + 9, 12, 31)
