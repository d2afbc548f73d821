import os

from celery import Celery

from . import broker

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krets.settings")

broker.register()
app = Celery("krets")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
