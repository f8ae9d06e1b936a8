"""Chinese first: every label a user reads in the admin has a Chinese translation."""

import re

import pytest
from django.apps import apps
from django.utils import translation

from cohorts.terms import TermStatus

CJK = re.compile(r"[\u4e00-\u9fff]")
MODELS = [m for m in apps.get_models() if m._meta.app_label in ("cohorts", "placements")]


def labels():
    for model in MODELS:
        yield f"{model.__name__}", model._meta.verbose_name
        yield f"{model.__name__} (plural)", model._meta.verbose_name_plural
        for field in model._meta.get_fields():
            if not hasattr(field, "verbose_name") or field.auto_created:
                continue
            yield f"{model.__name__}.{field.name}", field.verbose_name
            for value, label in field.flatchoices if field.choices else []:
                yield f"{model.__name__}.{field.name}={value}", label
    for value, label in TermStatus.choices:
        yield f"TermStatus={value}", label
    for app in ("cohorts", "placements"):
        yield app, apps.get_app_config(app).verbose_name


@pytest.mark.parametrize(("where", "label"), list(labels()), ids=lambda v: str(v))
def test_label_is_translated_to_chinese(where, label):
    with translation.override("zh-hans"):
        assert CJK.search(str(label)), f"{where}: {label!s} has no Chinese translation"


def test_english_is_available():
    from cohorts.models import Cadre

    with translation.override("en"):
        assert str(Cadre._meta.verbose_name) == "cadre"
