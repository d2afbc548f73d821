from allauth.account.admin import EmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.admin import AuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from krets.admin_audit import AuditedAdmin, AuditedUserAdminMixin
from krets.audit import Action, audit_record
from krets.forms import CleanTextMixin
from krets.reads import object_ref

from .models import (
    BoardAssignment,
    BodyAssignment,
    District,
    Member,
    PartyPosition,
    PoliticalBody,
    User,
)


@admin.register(User)
class UserAdmin(AuditedUserAdminMixin, AuditedAdmin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Namn", {"fields": ["first_name", "last_name"]}),
        ("Behörighet", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Datum", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(Member)
class MemberAdmin(AuditedAdmin):
    clean_text_fields = CleanTextMixin.clean_text_fields + CleanTextMixin.address_fields
    list_display = ["last_name", "first_name", "email", "district", "joined_on", "left_on"]
    list_filter = ["district", "left_on"]
    search_fields = ["first_name", "last_name", "email", "phone"]
    raw_id_fields = ["user"]
    list_select_related = ["district"]


class RightsAdmin(AuditedAdmin):
    """Changes of rights made in the admin land in the audit log too."""

    raw_id_fields = ["member"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        ref = object_ref(obj)
        audit_record(
            request, action=Action.RIGHTS_GRANTED, target=f"medlem:{obj.member_id}", detail=ref
        )

    def delete_model(self, request, obj):
        ref = object_ref(obj)
        audit_record(
            request, action=Action.RIGHTS_REVOKED, target=f"medlem:{obj.member_id}", detail=ref
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(BoardAssignment)
class BoardAssignmentAdmin(RightsAdmin):
    list_display = ["member", "function", "year"]
    list_filter = ["year", "function"]


@admin.register(BodyAssignment)
class BodyAssignmentAdmin(RightsAdmin):
    list_display = ["member", "body", "role", "starts_on", "ends_on"]
    list_filter = ["body", "role"]


@admin.register(PartyPosition)
class PartyPositionAdmin(RightsAdmin):
    list_display = ["member", "kind", "starts_on", "ends_on"]


admin.site.register(District)
admin.site.register(PoliticalBody)


# allauth's own admins show a person's login addresses and second factors: audited like ours.
for model, base in ((EmailAddress, EmailAddressAdmin), (Authenticator, AuthenticatorAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, type(f"Audited{base.__name__}", (AuditedAdmin, base), {}))
