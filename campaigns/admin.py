from django.contrib import admin

from .models import Campaign, Channel, Competition, ContentItem, LivePanel, PaidMarketing

admin.site.register([Campaign, Channel, PaidMarketing, ContentItem, LivePanel, Competition])
