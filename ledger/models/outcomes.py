"""The outcomes ledger: suggestions (意见建议, perhaps a 制度成果) and signed projects (签约项目),
each credited to cadres of one batch and, where it applies, a host unit or topic."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cadreprog.versioning import version_field
from cohorts.models import Batch, scoped
from placements.models import HostUnit, Placement

from .topics import Topic


class OutcomeQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scoped(self, user, lambda lead: Q(batch__leads=lead))


class Outcome(models.Model):
    """What suggestions and projects share: a batch, its credited cadres, a host unit or topic."""

    batch = models.ForeignKey(
        Batch, on_delete=models.PROTECT, related_name="%(class)ss", verbose_name=_("batch")
    )
    credited = models.ManyToManyField(
        Placement, blank=True, related_name="credited_%(class)ss", verbose_name=_("credited cadres")
    )
    host_unit = models.ForeignKey(
        HostUnit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="%(class)ss",
        verbose_name=_("host unit"),
    )
    topic = models.ForeignKey(
        Topic,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="%(class)ss",
        verbose_name=_("research topic"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    # Bumped by every change: an edit made on an older version is refused (cadreprog/versioning.py).
    version = version_field()

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self):
        if self.topic_id and self.batch_id and self.topic.batch_id != self.batch_id:
            raise ValidationError(
                {"topic": _("The topic belongs to another batch.")}, code="other_batch"
            )


def check_credited(batch: Batch, placements) -> None:
    strangers = [p for p in placements if p.batch_id != batch.pk]
    if strangers:
        raise ValidationError(
            _("%(names)s are not in %(batch)s."),
            code="other_batch",
            params={"names": "、".join(p.cadre.name for p in strangers), "batch": batch},
        )


class Suggestion(Outcome):
    """意见建议: submitted by cadres, perhaps adopted by the city as a 制度成果."""

    title = models.CharField(_("title"), max_length=200)
    submitted_on = models.DateField(_("submitted on"))
    institutional = models.BooleanField(_("adopted as an institutional outcome"), default=False)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)

    history = HistoricalRecords(
        verbose_name=_("suggestion history"), verbose_name_plural=_("suggestion histories")
    )

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-submitted_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(institutional=True) | Q(adopted_on__isnull=True),
                name="suggestion_adopted_on_needs_adoption",
                violation_error_message=_("Only an adopted suggestion has an adoption date."),
            ),
        ]

    def __str__(self):
        return self.title


class Project(Outcome):
    """签约项目: a project signed through a team, with its investment in 亿元."""

    name = models.CharField(_("project"), max_length=200)
    counterpart = models.CharField(_("counterpart"), max_length=200)
    signed_on = models.DateField(_("signed on"))
    investment = models.DecimalField(
        _("investment (100 million yuan)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )

    history = HistoricalRecords(
        verbose_name=_("signed project history"),
        verbose_name_plural=_("signed project histories"),
    )

    class Meta:
        verbose_name = _("signed project")
        verbose_name_plural = _("signed projects")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(investment__gte=0),
                name="project_investment_not_negative",
                violation_error_message=_("The investment cannot be negative."),
            ),
        ]

    def __str__(self):
        return self.name
