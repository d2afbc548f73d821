"""The audit log refuses changes in the database itself, not only in Python.

PostgreSQL (production) refuses UPDATE and DELETE of a row; TRUNCATE, which only a database
owner's `manage.py flush` issues, still works. SQLite (the embedded development default)
refuses UPDATE; it flushes with DELETE, so there the model alone refuses deletes.
"""

from django.db import migrations

POSTGRES_UP = """
CREATE FUNCTION krets_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'krets_auditevent is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER krets_auditevent_append_only
    BEFORE UPDATE OR DELETE ON krets_auditevent
    FOR EACH ROW EXECUTE FUNCTION krets_auditevent_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER krets_auditevent_append_only ON krets_auditevent;
DROP FUNCTION krets_auditevent_append_only();
"""
SQLITE_UP = [
    """CREATE TRIGGER krets_auditevent_no_update BEFORE UPDATE ON krets_auditevent
       BEGIN SELECT RAISE(ABORT, 'krets_auditevent is append-only'); END;""",
]
SQLITE_DOWN = ["DROP TRIGGER krets_auditevent_no_update;"]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)
    elif vendor == "sqlite":
        for statement in SQLITE_UP:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)
    elif vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("krets", "0002_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
