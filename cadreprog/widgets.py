"""Choice widgets whose options are written in Python, not through the template engine.

Django renders each <option> of a select and each box of a checkbox list through two or three
template includes, some 0.1 ms apiece: a page with a batch's 150 cadres and host units in three
forms spent most of its time there (ledger's outcomes page). These write the same HTML, byte
for byte (tests/cadreprog/test_widgets.py compares them with Django's), from the same context
(`get_context`, `optgroups`, `create_option`), so what subclasses change there still applies.
"""

import html

from django import forms
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


class PlainSelect(forms.Select):
    """forms.Select, its options written in Python (django/forms/widgets/select.html)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{escaped(widget["name"])}"{attrs_html(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{escaped(group_name)}">')
            parts.extend(f"\n  {option_html(option)}" for option in options)
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))
