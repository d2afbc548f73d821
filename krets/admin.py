from django.contrib import admin

from .admin_audit import AuditedAdmin
from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(AuditedAdmin):
    """Read-only: the log is append-only, in the admin as everywhere. It names who read whom,
    so reading it is logged like any read of member data."""

    list_display = ["at", "actor_label", "action", "target", "ip"]
    list_filter = ["action"]
    search_fields = ["actor_label", "target"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
