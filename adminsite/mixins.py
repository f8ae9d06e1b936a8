"""What the site's model admins share: scope (`ScopedAdminMixin`: an admin shows what
`visible_to` allows, whoever reaches it), autocomplete widgets that survive a posted value that
is no key, and the term's dates and progress as change pages show them."""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cohorts.terms import Term


class DropsWhatIsNoKey:
    """Django's autocomplete widgets, minus their 500 when a posted id is not an id
    (host_unit=abc, credited=abc): such a value is dropped from the redisplayed form, whose
    error already says it is wrong."""

    def optgroups(self, name, value, attr=None):
        pk = self.field.remote_field.model._meta.pk
        return super().optgroups(name, [v for v in value if _is_key(pk, v)], attr)


class SafeAutocompleteSelect(DropsWhatIsNoKey, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(DropsWhatIsNoKey, AutocompleteSelectMultiple):
    pass


def _is_key(pk, value) -> bool:
    try:
        pk.to_python(value)
    except ValidationError:
        return False
    return True


class SafeAutocompleteMixin:
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using")),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                SafeAutocompleteSelectMultiple(
                    db_field, self.admin_site, using=kwargs.get("using")
                ),
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedChoicesMixin(SafeAutocompleteMixin):
    """Foreign keys to a batch or cadre offer, and accept, only what the user may see."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        choices = db_field.related_model._default_manager.all()
        if hasattr(choices, "visible_to"):
            kwargs["queryset"] = choices.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedAdminMixin(ScopedChoicesMixin):
    """Defense in depth: the admin shows what `visible_to` allows, whoever reaches it.

    Lists, change pages, autocomplete results (which use the target admin's queryset) and the
    choices of foreign keys to scoped models are limited; another batch's object is a 404.
    """

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj


def term_progress(term: Term):
    """A progress bar with 第N天，共100天 (or the term's status) beside it."""
    return format_html(
        '<span class="term-progress"><progress max="100" value="{}"></progress> {}</span>',
        term.progress_percent(),
        term.describe(),
    )


def term_summary(term: Term):
    """The term's dates and progress, for change pages."""
    if term.start is None:
        return _("Not scheduled")
    return format_html(
        "{} – {}　{}", date_format(term.start), date_format(term.end), term_progress(term)
    )
