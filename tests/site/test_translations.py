"""Chinese first: every label a user reads in the admin has a Chinese translation."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import translation

from cohorts.terms import TermStatus

CJK = re.compile(r"[\u4e00-\u9fff]")
MODELS = [
    m for m in apps.get_models() if m._meta.app_label in ("cohorts", "placements", "notifications")
]


def labels():
    for model in MODELS:
        yield f"{model.__name__}", model._meta.verbose_name
        yield f"{model.__name__} (plural)", model._meta.verbose_name_plural
        for field in model._meta.get_fields():
            if not hasattr(field, "verbose_name") or field.auto_created:
                continue
            if field.name.startswith("history_"):
                continue  # django-simple-history's bookkeeping; pages show it in their own words
            yield f"{model.__name__}.{field.name}", field.verbose_name
            for value, label in field.flatchoices if field.choices else []:
                yield f"{model.__name__}.{field.name}={value}", label
    for value, label in TermStatus.choices:
        yield f"TermStatus={value}", label
    for app in ("cohorts", "placements", "notifications"):
        yield app, apps.get_app_config(app).verbose_name


@pytest.mark.parametrize(("where", "label"), list(labels()), ids=lambda v: str(v))
def test_label_is_translated_to_chinese(where, label):
    with translation.override("zh-hans"):
        assert CJK.search(str(label)), f"{where}: {label!s} has no Chinese translation"


def test_a_cadre_has_a_personal_name_not_a_unit_name():
    from cohorts.models import Cadre

    with translation.override("zh-hans"):
        assert str(Cadre._meta.get_field("name").verbose_name) == "姓名"


def test_english_is_available():
    from cohorts.models import Cadre

    with translation.override("en"):
        assert str(Cadre._meta.verbose_name) == "cadre"


def read_po(path):
    """{msgid (with "context\\x04" before it): (msgstr, fuzzy)} from a .po file.

    A plural entry appears as (msgid, 0) …, one key per plural form, as gettext's catalogue
    holds it (Chinese has one form).
    """
    entries, entry, field, fuzzy = {}, {}, None, False

    def close():
        if entry.get("msgid"):
            key = (
                f"{entry['msgctxt']}\x04{entry['msgid']}" if "msgctxt" in entry else entry["msgid"]
            )
            forms = sorted(f for f in entry if f.startswith("msgstr["))
            if "msgid_plural" in entry:
                for form in forms:
                    entries[(key, int(form[7:-1]))] = (entry[form], fuzzy)
            else:
                entries[key] = (entry.get("msgstr", ""), fuzzy)

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            close()
            entry, field, fuzzy = {}, None, False
        elif line.startswith("#,"):
            fuzzy = "fuzzy" in line
        elif line.startswith(("msgctxt ", "msgid ", "msgid_plural ", "msgstr ", "msgstr[")):
            field, _sep, value = line.partition(" ")
            entry[field] = ast.literal_eval(value)
        elif line.startswith('"') and field:
            entry[field] += ast.literal_eval(line)
    return entries


LOCALE = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_every_message_has_a_chinese_translation():
    untranslated = [
        k for k, (text, fuzzy) in read_po(LOCALE / "django.po").items() if fuzzy or not text
    ]
    assert untranslated == []


def test_the_committed_mo_file_is_compiled_from_the_po_file():
    with open(LOCALE / "django.mo", "rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog
    expected = {k: text for k, (text, _fuzzy) in read_po(LOCALE / "django.po").items()}
    compiled = {k: v for k, v in catalog.items() if k}
    assert compiled == expected, "run `make messages` and commit the .mo file"


def test_admin_template_messages_django_leaves_untranslated_are_chinese():
    from adminsite.site import ADMIN_MESSAGES_MISSING_IN_DJANGO

    with translation.override("zh-hans"):
        for message in ADMIN_MESSAGES_MISSING_IN_DJANGO:
            assert CJK.search(translation.gettext(message)), message
