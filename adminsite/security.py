"""The personal-data access log, read-only for staff; API tokens, listed and revoked (issue 19);
django-otp's device admin is removed."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from cadreprog.records import ReadOnlyRecordAdmin
from cohorts.models import Cadre
from security.api_tokens import api_tokens_revoke
from security.models import AccessRecord, ApiToken

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


@admin.action(description=_("Revoke the selected API tokens"), permissions=["change"])
def revoke_tokens(modeladmin, request, queryset):
    count = api_tokens_revoke(tokens=queryset)
    message = ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count)
    modeladmin.message_user(request, message % {"count": count}, messages.SUCCESS)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made on the command line (`manage.py api_token`, which prints the key once);
    here they are listed with their last use and revoked, never edited or deleted (a revoked
    token stays listed, with when)."""

    list_display = ["prefix", "name", "user", "created_at", "expires_at", "last_used_at",
                    "revoked_at"]  # fmt: skip
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user"]
    actions = [revoke_tokens]
    fields = list_display

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
