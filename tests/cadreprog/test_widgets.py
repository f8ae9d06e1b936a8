"""The site's form renderer writes Django's own HTML (cadreprog/widgets.py)."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from cadreprog.widgets import PlainRenderer, option_html

CHOICES = [("", "---------"), (1, 'A "quoted" <name>'), (2, "深圳")]
GROUPED = [("城市", [(1, "深圳"), (2, "上海")]), (3, "其他")]
ATTRS = {"id": "id_x", "required": True, "disabled": False, "data-x": 'a"b<', "class": "vText"}

WIDGETS = [
    (forms.TextInput(), "王浩 & <b>"),
    (forms.TextInput(), None),
    (forms.TextInput(), ""),
    (forms.HiddenInput(), 3),
    (forms.NumberInput(), 0),
    (forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), datetime.date(2020, 4, 1)),
    (forms.EmailInput(), "a@b.cn"),
    (forms.PasswordInput(render_value=True), "secret"),
    (forms.CheckboxInput(), True),
    (forms.CheckboxInput(), False),
    (forms.Select(choices=CHOICES), 2),
    (forms.Select(choices=CHOICES), None),
    (forms.Select(choices=GROUPED), 1),
    (forms.SelectMultiple(choices=CHOICES), [1, 2]),
    (forms.NullBooleanSelect(), True),
]


@pytest.mark.parametrize(("widget", "value"), WIDGETS)
def test_a_widget_is_written_as_djangos_template_writes_it(chinese, widget, value):
    ours = widget.render("x", value, ATTRS, renderer=PlainRenderer())
    assert ours == widget.render("x", value, ATTRS, renderer=DjangoTemplates())


def test_a_checkbox_option_is_djangos():
    widget = forms.CheckboxSelectMultiple(choices=CHOICES[1:])
    for attrs in ({"id": "id_cadres"}, {}):
        for _group, options, _index in widget.get_context("cadres", [2], attrs)["widget"][
            "optgroups"
        ]:
            for option in options:
                # What {% include option.template_name %} writes, but for the final newlines.
                django_html = widget._render(option["template_name"], {"widget": option})
                assert option_html(option) == django_html + "\n\n"
