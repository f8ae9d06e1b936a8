"""The admin's list rows as Django would render them, at less cost (adminsite/site.py)."""

import pytest
from django.contrib import admin as django_admin
from django.contrib.admin.sites import site

from placements.models import Placement

from ..factories import PlacementFactory

pytestmark = pytest.mark.django_db


def test_action_checkbox_is_djangos_html(sz3):
    PlacementFactory(batch=sz3, cadre__name='王"<浩>')
    placement = Placement.objects.get()
    model_admin = site._registry[Placement]
    django_html = django_admin.ModelAdmin.action_checkbox(model_admin, placement)
    assert model_admin.action_checkbox(placement) == django_html
