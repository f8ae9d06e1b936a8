"""Factories for the domain model: valid objects by default, with valid ID numbers."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cohorts import idnumbers
from cohorts.models import Batch, Cadre, Programme
from cohorts.roles import LEAD_GROUP, STAFF_GROUP
from ledger.models import Duty, Project, Suggestion, Topic
from placements.models import HostUnit, Placement


def make_id_number(born=datetime.date(1985, 3, 12), male=True, region="370212", serial=1) -> str:
    """A valid 18-character ID number for the given birth date and gender."""
    sequence = f"{serial % 100:02d}{2 * (serial % 5) + (1 if male else 0)}"
    first17 = f"{region}{born:%Y%m%d}{sequence}"
    return first17 + idnumbers.check_char(first17)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("code",)

    code = "SZ"
    name = "赴深圳体悟实训"
    city = "深圳"


class BatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Batch

    programme = factory.SubFactory(ProgrammeFactory)
    number = factory.Sequence(lambda n: n + 1)
    start_date = datetime.date(2020, 4, 15)


class CadreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cadre

    name = factory.Sequence(lambda n: f"张{'伟芳娜敏静丽强磊军洋'[n % 10]}{n}")
    id_number = factory.Sequence(
        lambda n: make_id_number(datetime.date(1980, 1, 1) + datetime.timedelta(days=n), serial=n)
    )


class HostUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HostUnit

    name = factory.Sequence(lambda n: f"深圳实训单位{n}有限公司")
    city = "深圳"
    kind = HostUnit.Kind.PRIVATE


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    cadre = factory.SubFactory(CadreFactory)
    batch = factory.SubFactory(BatchFactory)
    home_unit = "市委办公厅"
    position = "副处长"
    rank = "division_deputy"
    host_unit = factory.SubFactory(HostUnitFactory)
    role = "研究员"


class UserFactory(factory.django.DjangoModelFactory):
    """A user with password "password"; `group=` a role's group name, `batches=` batches led."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("password")

    @factory.post_generation
    def group(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))

    @factory.post_generation
    def batches(self, create, extracted, **kwargs):
        for batch in extracted or []:
            batch.leads.add(self)


def _join(group_name):
    @factory.post_generation
    def group(self, create, extracted, **kwargs):
        self.groups.add(Group.objects.get(name=extracted or group_name))

    return group


class LeadFactory(UserFactory):
    group = _join(LEAD_GROUP)


class StaffFactory(UserFactory):
    is_staff = True
    group = _join(STAFF_GROUP)


# Duties, topics and outcomes (ledger, issue 8)


class DutyFactory(factory.django.DjangoModelFactory):
    """A programme's daily duty by default; pass `batch=` (and programme=None) for a batch's."""

    class Meta:
        model = Duty

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"学习日志{n}")
    cadence = Duty.Cadence.DAILY
    target = 1


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    batch = factory.SubFactory(BatchFactory)
    title = factory.Sequence(lambda n: f"优化营商环境研究{n}")
    question = "青岛如何优化营商环境？"
    capacity = 3


class SuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Suggestion

    batch = factory.SubFactory(BatchFactory)
    title = factory.Sequence(lambda n: f"关于优化政务服务的建议{n}")
    submitted_on = datetime.date(2020, 6, 1)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    batch = factory.SubFactory(BatchFactory)
    name = factory.Sequence(lambda n: f"智能制造项目{n}")
    counterpart = "深圳科技投资有限公司"
    signed_on = datetime.date(2020, 6, 1)
    investment = "12.50"
