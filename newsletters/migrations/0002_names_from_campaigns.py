"""What named the newsletter after campaigns now names it after its own app: its content type
(so admin history and permissions stay attached), the beat jobs' task names and the mail
kinds of sends already in the engine (a paused send must still find its kind)."""

from django.db import migrations

TASKS = {
    "campaigns.newsletters_dispatch_due": "newsletters.dispatch_due",
    "campaigns.newsletter_monthly_reminder": "newsletters.monthly_reminder",
}
KINDS = {
    "campaigns.newsletter": "newsletters.newsletter",
    "campaigns.newsletter_reminder": "newsletters.reminder",
}


def _rename(apps, old_to_new: dict[str, str], *, old_app: str, new_app: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new_app, model="newsletter").exists():
        ContentType.objects.filter(app_label=old_app, model="newsletter").update(app_label=new_app)
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    MailSend = apps.get_model("krets", "MailSend")
    for old, new in old_to_new.items():
        PeriodicTask.objects.filter(task=old).update(task=new)
        MailSend.objects.filter(kind=old).update(kind=new)


def forwards(apps, schema_editor):
    _rename(apps, {**TASKS, **KINDS}, old_app="campaigns", new_app="newsletters")


def backwards(apps, schema_editor):
    reverse = {new: old for old, new in {**TASKS, **KINDS}.items()}
    _rename(apps, reverse, old_app="newsletters", new_app="campaigns")


class Migration(migrations.Migration):
    dependencies = [
        ("newsletters", "0001_initial"),
        ("campaigns", "0003_newsletter_schedules"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("krets", "0005_mail_reconcile_schedule"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
