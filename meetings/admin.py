from django.contrib import admin

from krets.admin_audit import AuditedAdmin

from .models import CouncilMeeting, KitBooking, Matter, Meeting


@admin.register(Meeting)
class MeetingAdmin(AuditedAdmin):  # names the organiser
    list_display = ["title", "kind", "starts_at", "district", "status"]
    list_filter = ["kind", "status", "district"]
    search_fields = ["title"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["organiser"]


@admin.register(KitBooking)
class KitBookingAdmin(AuditedAdmin):  # names the member who booked
    list_display = ["starts_at", "ends_at", "booked_by", "meeting"]
    raw_id_fields = ["booked_by", "meeting"]


@admin.register(CouncilMeeting)
class CouncilMeetingAdmin(admin.ModelAdmin):
    list_display = ["starts_at", "group_meeting"]


@admin.register(Matter)
class MatterAdmin(admin.ModelAdmin):
    list_display = ["title", "body", "status", "outcome"]
    readonly_fields = ["outcome", "outcome_reason", "outcome_text", "closed_at"]
