import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krets.settings")

app = Celery("krets")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
