"""Trigram indexes for the registry's search (PostgreSQL only; skipped where pg_trgm cannot be
created, for example without the right to create extensions: search then scans the table)."""

from django.db import migrations, transaction

COLUMNS = [
    ("members_member_first_name_trgm", 'UPPER("first_name"::text)'),
    ("members_member_last_name_trgm", 'UPPER("last_name"::text)'),
    ("members_member_email_trgm", 'UPPER("email"::text)'),
    ("members_member_phone_trgm", '"phone"'),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception:  # noqa: BLE001 - no right to create extensions: no trigram indexes
        return
    for name, expression in COLUMNS:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON "members_member" '
            f"USING gin (({expression}) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _ in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("members", "0004_beat_jobs")]

    operations = [migrations.RunPython(create, drop)]
