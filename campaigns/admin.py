from django.contrib import admin

from krets.admin_audit import AuditedAdmin
from krets.money import MONEY_FORMFIELDS

from .models import Campaign, Channel, Competition, ContentItem, LivePanel, PaidMarketing


class MoneyAdmin(admin.ModelAdmin):
    formfield_overrides = MONEY_FORMFIELDS


admin.site.register([Campaign, PaidMarketing], MoneyAdmin)
admin.site.register([Channel, Competition])
# An owner, panellists: people.
admin.site.register([ContentItem, LivePanel], AuditedAdmin)
