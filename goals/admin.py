from django.contrib import admin

from krets.admin_audit import AuditedAdmin

from .models import (
    Activity,
    AnnualReport,
    Goal,
    LogEntry,
    ProfileIssue,
    ProgrammeLink,
    ProgrammePoint,
    Target,
    ThemeDocument,
    ThemeGroup,
)


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["year", "number", "title"]
    list_filter = ["year"]
    inlines = [TargetInline]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "responsible"]
    list_filter = ["year", "responsible"]
    filter_horizontal = ["goals"]


@admin.register(LogEntry)
class LogEntryAdmin(AuditedAdmin):  # who logged it, and "vem"
    list_display = ["happened_on", "activity", "what", "who"]
    date_hierarchy = "happened_on"


@admin.register(ThemeGroup)
class ThemeGroupAdmin(AuditedAdmin):  # the leader and the members
    list_display = ["topic", "leader"]
    raw_id_fields = ["leader", "members"]


@admin.register(ThemeDocument)
class ThemeDocumentAdmin(AuditedAdmin):
    list_display = ["title", "group", "status", "published_on"]
    list_filter = ["status"]


class ProgrammeLinkInline(admin.TabularInline):
    model = ProgrammeLink
    extra = 0


@admin.register(ProgrammePoint)
class ProgrammePointAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "status"]
    inlines = [ProgrammeLinkInline]


admin.site.register(ProfileIssue)
admin.site.register(AnnualReport, AuditedAdmin)  # names who last changed it
