"""Inputs, selects and their options written in Python, not through the template engine.

Django renders each input, and each <option> of a select and each box of a checkbox list,
through two or three template includes, some 0.1 ms apiece: a page with a batch's 150 cadres
and host units in three forms spent most of its time there (ledger's outcomes page), an admin
list of 80 editable rows too. These write the same HTML, byte for byte (tests/cadreprog/
test_widgets.py compares them with Django's templates), from the same context (`get_context`,
`optgroups`, `create_option`), so what widgets change there still applies. `PlainRenderer`
is the site's form renderer; `option_html` serves widgets of their own templates (the cadre
picker of ledger/forms.py).
"""

import html

from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

SELECT_OPTION = "django/forms/widgets/select_option.html"
CHECKBOX_OPTION = "django/forms/widgets/checkbox_option.html"


def escaped(value) -> str:
    """conditional_escape without its lazy-string wrapper (a third of this module's time)."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def attrs_html(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: ` name="value"` each, ` name` for True, none for False."""
    return mark_safe(
        "".join(
            f" {escaped(name)}" if value is True else f' {escaped(name)}="{escaped(value)}"'
            for name, value in attrs.items()
            if value is not False
        )
    )


def option_html(option: dict) -> str:
    """One option as its template (select_option.html or checkbox_option.html) writes it."""
    attrs = attrs_html(option["attrs"])
    if option["template_name"] == SELECT_OPTION:
        value, label = escaped(option["value"]), escaped(option["label"])
        return mark_safe(f'<option value="{value}"{attrs}>{label}</option>\n')
    if option["template_name"] != CHECKBOX_OPTION:
        raise ValueError(f"no plain rendering of {option['template_name']}")
    value = "" if option["value"] is None else f' value="{escaped(option["value"])}"'
    kind, name = escaped(option["type"]), escaped(option["name"])
    box = f'<input type="{kind}" name="{name}"{value}{attrs}>\n'
    if not option["wrap_label"]:
        return mark_safe(f"{box}\n\n")
    label_id = option["attrs"].get("id")
    label_for = f' for="{escaped(label_id)}"' if label_id else ""
    return mark_safe(f"<label{label_for}>{box} {escaped(option['label'])}</label>\n\n")


def input_html(widget: dict) -> str:
    """django/forms/widgets/input.html, and the templates that only include it."""
    value = "" if widget["value"] is None else f' value="{escaped(widget["value"])}"'
    kind, name, attrs = (
        escaped(widget["type"]),
        escaped(widget["name"]),
        attrs_html(widget["attrs"]),
    )
    return mark_safe(f'<input type="{kind}" name="{name}"{value}{attrs}>')


def select_html(widget: dict) -> str:
    """django/forms/widgets/select.html."""
    parts = [f'<select name="{escaped(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{escaped(group_name)}">')
        parts.extend(f"\n  {option_html(option)}" for option in options)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))


INPUTS = ["input", "text", "hidden", "number", "date", "datetime", "time", "email", "url",
          "password", "search", "tel", "color", "checkbox"]  # fmt: skip
WRITERS = {f"django/forms/widgets/{name}.html": input_html for name in INPUTS} | {
    "django/forms/widgets/select.html": select_html
}


class PlainRenderer(DjangoTemplates):
    """The site's form renderer (settings.FORM_RENDERER): Django's, but inputs and selects
    are written by the functions above. Any other widget's template renders as before."""

    def render(self, template_name, context, request=None):
        write = WRITERS.get(template_name)
        if write is None:
            return super().render(template_name, context, request)
        return write(context["widget"])
