"""No two bookings of the same kit overlap, enforced by PostgreSQL itself.

An exclusion constraint over (kit, [starts_at, ends_at)) needs btree_gist for the equality on
kit_id. Other databases (SQLite in development) rely on the booking service's locked check.
The kit itself is created here too, so that every installation has it.
"""

from django.db import migrations

POSTGRES_UP = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE meetings_kitbooking ADD CONSTRAINT kit_booking_no_overlap
    EXCLUDE USING gist (kit_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&);
"""
POSTGRES_DOWN = "ALTER TABLE meetings_kitbooking DROP CONSTRAINT kit_booking_no_overlap;"
KIT_NAME = "Konferensutrustningen (kamera, högtalare, mikrofon)"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)
    apps.get_model("meetings", "Kit").objects.get_or_create(name=KIT_NAME)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
