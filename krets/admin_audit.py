"""The Django admin writes to the audit log like the portal does (issue 13 item 3): every list
and change page of a model with personal data is a read, every save and delete a change, and a
user's rights (is_staff, is_superuser, groups) and deactivation are logged as such. Rows are named
by content type + id only, never by their text (an object's str() is often a name)."""

from django.contrib import admin
from django.contrib.admin.utils import unquote

from .audit import Action, audit_record
from .forms import CleanTextMixin
from .reads import log_read, note_object, note_rows, object_ref
from .rights import login_only

RIGHTS_FIELDS = ("is_staff", "is_superuser", "groups")


class AuditedAdmin(admin.ModelAdmin):
    """Base for every ModelAdmin of a model holding personal data. Its forms strip control and
    bidirectional-override characters from names and titles like the portal's (CleanTextMixin;
    `clean_text_fields` says which)."""

    clean_text_fields = CleanTextMixin.clean_text_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(
            form.__name__, (CleanTextMixin, form), {"clean_text_fields": self.clean_text_fields}
        )

    def _read_name(self) -> str:
        return f"admin:{self.model._meta.label_lower}"

    # login_only: these methods live in our package, so AccessMiddleware asks for declared rights;
    # the admin site itself lets only staff in (admin_site.admin_view).
    @login_only
    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None) or {}
        if response.status_code == 200 and "cl" in context:
            note_rows(request, len(context["cl"].result_list))
            log_read(request, self._read_name())
        return response

    @login_only
    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            obj = self.get_object(request, unquote(object_id))
            if obj is not None:
                note_object(request, obj)
                log_read(request, self._read_name())
        return response

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        fields = sorted(name for name in form.changed_data if name not in ("password",))
        audit_record(
            request,
            action=Action.MEMBER_CHANGED,
            target=f"{obj._meta.label_lower}:{obj.pk}",
            detail={"admin": "changed" if change else "added", "fields": fields, **object_ref(obj)},
        )

    def delete_model(self, request, obj):
        ref = object_ref(obj)
        super().delete_model(request, obj)
        audit_record(
            request,
            action=Action.MEMBER_CHANGED,
            target=f"{ref['model']}:{ref['id']}",
            detail={"admin": "deleted", **ref},
        )

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class AuditedUserAdminMixin:
    """For the user admin: rights and deactivation get their own audit actions."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = set(form.changed_data)
        ref = object_ref(obj)
        target = f"{ref['model']}:{ref['id']}"
        rights = {
            name: getattr(obj, name) for name in ("is_staff", "is_superuser") if name in changed
        }
        if rights:
            granted = any(rights.values())
            audit_record(
                request,
                action=Action.RIGHTS_GRANTED if granted else Action.RIGHTS_REVOKED,
                target=target,
                detail={"admin": "rights", "rights": rights, **ref},
            )
        if "is_active" in changed and not obj.is_active:
            audit_record(
                request,
                action=Action.ACCOUNT_DEACTIVATED,
                target=target,
                detail={"admin": "deactivated", **ref},
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if "groups" in form.changed_data:
            obj = form.instance
            ref = object_ref(obj)
            audit_record(
                request,
                action=Action.RIGHTS_GRANTED,
                target=f"{ref['model']}:{ref['id']}",
                detail={"admin": "groups", "groups": sorted(g.pk for g in obj.groups.all()), **ref},
            )
