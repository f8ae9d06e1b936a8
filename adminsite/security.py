"""The personal-data access log, read-only for staff; django-otp's device admin is removed."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from cadreprog.records import ReadOnlyRecordAdmin
from cohorts.models import Cadre
from security.models import AccessRecord

# django-otp's own device admin speaks English only; a lost phone is reset from the shell
# instead (`manage.py reset_two_factor USERNAME`).
admin.site.unregister(TOTPDevice)


@admin.register(AccessRecord)
class AccessRecordAdmin(ReadOnlyRecordAdmin, admin.ModelAdmin):
    """Read-only: staff read the log; nobody adds, changes or deletes it from the app."""

    list_display = ["created_at", "who", "kind", "where", "cadre_count"]
    list_filter = ["kind"]
    search_fields = ["who", "where"]
    date_hierarchy = "created_at"
    fields = ["created_at", "who", "user", "kind", "where", "cadre_count", "cadre_list"]

    @admin.display(description=_("cadres"))
    def cadre_list(self, obj):
        # By name and id: a cadre deleted since is still listed by id.
        names = dict(Cadre.objects.filter(pk__in=obj.cadre_ids).values_list("pk", "name"))
        return "、".join(f"{names.get(pk, '?')}（{pk}）" for pk in obj.cadre_ids) or "-"
