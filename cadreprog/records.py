"""Records in the admin: logs the app writes (the access log, imports, message deliveries) that
staff read and nobody adds, changes or deletes."""


class ReadOnlyRecordAdmin:
    """A ModelAdmin mixin: every field shown read-only; no adding, changing or deleting."""

    def get_readonly_fields(self, request, obj=None):
        return [name for item in self.get_fields(request, obj)
                for name in (item if isinstance(item, tuple) else [item])]  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
