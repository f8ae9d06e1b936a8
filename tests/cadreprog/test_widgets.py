"""The plain widgets write Django's own HTML (cadreprog/widgets.py)."""

from django import forms

from cadreprog.widgets import PlainSelect, option_html

CHOICES = [("", "---------"), (1, 'A "quoted" <name>'), (2, "深圳")]
GROUPED = [("城市", [(1, "深圳"), (2, "上海")]), (3, "其他")]


def test_a_select_is_djangos(chinese):
    for choices, value in ((CHOICES, 2), (CHOICES, None), (GROUPED, 1)):
        attrs = {"id": "id_unit", "required": True, "data-x": 'a"b'}
        ours = PlainSelect(choices=choices).render("unit", value, attrs)
        assert ours == forms.Select(choices=choices).render("unit", value, attrs)


def test_a_multiple_select_is_djangos(chinese):
    class Multiple(PlainSelect):
        allow_multiple_selected = True

    ours = Multiple(choices=CHOICES).render("units", [1, 2], {"id": "id_units"})
    assert ours == forms.SelectMultiple(choices=CHOICES).render("units", [1, 2], {"id": "id_units"})


def test_a_checkbox_is_djangos():
    widget = forms.CheckboxSelectMultiple(choices=CHOICES[1:])
    for attrs in ({"id": "id_cadres"}, {}):
        for _group, options, _index in widget.get_context("cadres", [2], attrs)["widget"][
            "optgroups"
        ]:
            for option in options:
                # What {% include option.template_name %} writes, but for the final newlines.
                django_html = widget._render(option["template_name"], {"widget": option})
                assert option_html(option) == django_html + "\n\n"
