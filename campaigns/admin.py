from django.contrib import admin

from krets.money import MONEY_FORMFIELDS

from .models import Campaign, Channel, Competition, ContentItem, LivePanel, PaidMarketing


class MoneyAdmin(admin.ModelAdmin):
    formfield_overrides = MONEY_FORMFIELDS


admin.site.register([Campaign, PaidMarketing], MoneyAdmin)
admin.site.register([Channel, ContentItem, LivePanel, Competition])
