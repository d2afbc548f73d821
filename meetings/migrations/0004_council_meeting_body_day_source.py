"""Council meetings keyed by body and day (and the imported calendar's UID), not by the exact
start: a new time for the same sitting moves it instead of adding a second one."""

from zoneinfo import ZoneInfo

from django.db import migrations, models
from django.db.models import Q

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def fill_day(apps, schema_editor):
    CouncilMeeting = apps.get_model("meetings", "CouncilMeeting")
    for council in CouncilMeeting.objects.all():
        council.day = council.starts_at.astimezone(STOCKHOLM).date()
        council.save(update_fields=["day"])


class Migration(migrations.Migration):
    dependencies = [("meetings", "0003_reminder_schedule")]

    operations = [
        migrations.AddField(
            model_name="councilmeeting",
            name="body",
            field=models.CharField(default="Kommunfullmäktige", max_length=100, verbose_name="organ"),
        ),
        migrations.AddField(
            model_name="councilmeeting",
            name="day",
            field=models.DateField(null=True, verbose_name="dag"),
        ),
        migrations.AddField(
            model_name="councilmeeting",
            name="source_uid",
            field=models.CharField(
                blank=True, max_length=255, verbose_name="UID i kommunens kalender"
            ),
        ),
        migrations.RunPython(fill_day, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="councilmeeting",
            name="day",
            field=models.DateField(verbose_name="dag"),
        ),
        migrations.AlterField(
            model_name="councilmeeting",
            name="starts_at",
            field=models.DateTimeField(verbose_name="börjar"),
        ),
        migrations.AddConstraint(
            model_name="councilmeeting",
            constraint=models.UniqueConstraint(
                fields=("body", "day"), name="one_council_meeting_a_day"
            ),
        ),
        migrations.AddConstraint(
            model_name="councilmeeting",
            constraint=models.UniqueConstraint(
                condition=~Q(source_uid=""),
                fields=("source_uid",),
                name="one_council_meeting_per_source_uid",
            ),
        ),
    ]
