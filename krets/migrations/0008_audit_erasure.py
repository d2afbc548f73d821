"""The audit log stays append-only, with one exception: erasure (issue 13 item 4) may rewrite an
entry's words about a person (detail, actor_label, target), and only while the erasing
transaction holds a row in `krets_erasure_permit`. Who, when, which action and from where never
change; nothing is ever deleted."""

from django.db import migrations

POSTGRES_UP = """
CREATE TABLE krets_erasure_permit (id integer PRIMARY KEY);
CREATE OR REPLACE FUNCTION krets_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM krets_erasure_permit)
       AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.action = OLD.action
       AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
       AND NEW.ip IS NOT DISTINCT FROM OLD.ip THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'krets_auditevent is append-only';
END;
$$ LANGUAGE plpgsql;
"""
POSTGRES_DOWN = """
CREATE OR REPLACE FUNCTION krets_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'krets_auditevent is append-only';
END;
$$ LANGUAGE plpgsql;
DROP TABLE krets_erasure_permit;
"""
SQLITE_UP = [
    "CREATE TABLE krets_erasure_permit (id integer PRIMARY KEY);",
    "DROP TRIGGER krets_auditevent_no_update;",
    """CREATE TRIGGER krets_auditevent_no_update BEFORE UPDATE ON krets_auditevent
       WHEN NOT EXISTS (SELECT 1 FROM krets_erasure_permit)
         OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.action IS NOT OLD.action
         OR NEW.actor_id IS NOT OLD.actor_id OR NEW.ip IS NOT OLD.ip
       BEGIN SELECT RAISE(ABORT, 'krets_auditevent is append-only'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER krets_auditevent_no_update;",
    """CREATE TRIGGER krets_auditevent_no_update BEFORE UPDATE ON krets_auditevent
       BEGIN SELECT RAISE(ABORT, 'krets_auditevent is append-only'); END;""",
    "DROP TABLE krets_erasure_permit;",
]


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
    dependencies = [("krets", "0007_audit_exported")]
    operations = [migrations.RunPython(forwards, backwards)]
