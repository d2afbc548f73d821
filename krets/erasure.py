"""Erasing a person's traces outside their own rows (issue 13 item 4).

`members.services.member_anonymise` erases the member and the login; each app's `member_parts`
erases what it keeps by reference (`anonymise` hook); this module erases what the framework
keeps: audit entries, the Django admin's log, mail deliveries and suppressions, sessions. Last,
`sweep` looks through every text column of every table for the strings that identify the person
(full name, email addresses, phone) and replaces them: a free-text mention (a note, a booking's
title, an error message) must not keep a person the registry has forgotten. Payment facts
(amount, date, OCR, invoice) are numbers and references, never names: they stay.
"""

import json
from collections.abc import Iterable

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import connection, models, transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast

from .models import AuditEvent, Delivery, Suppression
from .sessions import session_end

ERASED = "[anonymiserad]"


def _scrub(value, secrets: list[str]):
    """`value` (JSON data) with every string that contains a secret replaced."""
    if isinstance(value, dict):
        return {key: _scrub(item, secrets) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item, secrets) for item in value]
    if isinstance(value, str) and any(secret in value.lower() for secret in secrets):
        return ERASED
    return value


def _text_matches(field: str, secrets: list[str]) -> Q:
    query = Q(pk__in=[])
    for secret in secrets:
        query |= Q(**{f"{field}__icontains": secret})
        escaped = json.dumps(secret)[1:-1]  # how SQLite's JSON text holds "å"
        if escaped != secret:
            query |= Q(**{f"{field}__icontains": escaped})
    return query


@transaction.atomic
def erase_traces(
    *,
    objects: Iterable[models.Model],
    user_id: int | None,
    member_id: int,
    target: str,
    secrets: Iterable[str],
) -> None:
    """Erase what the framework keeps about one person. `objects` are the rows that were the
    person (the member, the login): their admin log entries lose their text."""
    secrets = sorted({s.strip().lower() for s in secrets if s and len(s.strip()) >= 3})

    # The audit log: the rows stay (who did what, when), the words about the person go. The
    # database refuses any change to it unless this transaction holds the erasure permit
    # (migration 0008); the permit is gone again before the transaction ends.
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO krets_erasure_permit (id) VALUES (1)")
    try:
        _audit_erase(user_id=user_id, target=target, secrets=secrets)
        _rest_erase(objects=objects, member_id=member_id, secrets=secrets)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM krets_erasure_permit")


def _audit_erase(*, user_id, target, secrets):
    events = AuditEvent.objects.annotate(detail_text=Cast("detail", TextField())).filter(
        Q(target=target)
        | Q(actor_id=user_id)
        | _text_matches("detail_text", secrets)
        | _text_matches("actor_label", secrets)
        | _text_matches("target", secrets)
    )
    for event in events.iterator():
        label = event.actor_label
        if event.actor_id == user_id or any(s in label.lower() for s in secrets):
            label = ERASED
        # AuditEvent.save refuses changes on purpose; erasure is the one exception.
        AuditEvent.objects.filter(pk=event.pk).update(
            detail=_scrub(event.detail, secrets),
            actor_label=label,
            target=ERASED if any(s in event.target.lower() for s in secrets) else event.target,
        )


def _rest_erase(*, objects, member_id, secrets):
    # The admin's log names the object in object_repr and may quote values in change_message.
    for obj in objects:
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        ).update(object_repr=ERASED, change_message="")
    LogEntry.objects.filter(
        _text_matches("object_repr", secrets) | _text_matches("change_message", secrets)
    ).update(object_repr=ERASED, change_message="")

    # Mail: the rows stay for the send's counts; the address, name and rendered context go.
    deliveries = Delivery.objects.filter(
        Q(member_id=member_id) | Q(email__in=secrets) | _text_matches("email", secrets)
    )
    for delivery in deliveries.only("pk").iterator():
        Delivery.objects.filter(pk=delivery.pk).update(
            email=f"anonymiserad-{delivery.pk}@example.invalid", context={}, error=""
        )
    Delivery.objects.annotate(context_text=Cast("context", TextField())).filter(
        _text_matches("context_text", secrets) | _text_matches("error", secrets)
    ).update(context={}, error="")
    # An erased address has nobody left to protect from mail.
    Suppression.objects.filter(_text_matches("email", secrets)).delete()

    # Sessions: the person's own are ended by the caller; others (e.g. the medlemsansvarig's, a
    # form's saved state) lose any value that names the person.
    for session in Session.objects.iterator():
        data = session.get_decoded()
        if data and any(s in json.dumps(data, default=str).lower() for s in secrets):
            session_end(session.session_key)

    sweep(secrets)


def text_columns() -> list[tuple[str, str]]:
    """(table, column) for every text-like column in the database (introspected)."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                kind = connection.introspection.get_field_type(column.type_code, column)
                if kind in ("CharField", "TextField", "JSONField", "EmailField", "SlugField"):
                    found.append((table, column.name))
    return found


def sweep(secrets: Iterable[str]) -> int:
    """Replace each secret (full name, email, phone) wherever it still appears in a text column.
    Only strings that identify one person: a first or last name alone is left (it is someone
    else's name too). Returns the number of cells changed."""
    secrets = [s for s in secrets if s and len(s) >= 5]
    quote = connection.ops.quote_name
    changed = 0
    with connection.cursor() as cursor:
        for table, column in text_columns():
            for secret in secrets:
                cell = f"CAST({quote(column)} AS TEXT)"
                pattern = "%" + secret.replace("%", "").replace("_", "") + "%"
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quote(table)} WHERE LOWER({cell}) LIKE %s",
                    [pattern],
                )
                if not cursor.fetchone()[0]:
                    continue
                # Case-insensitive replace by rows in Python: SQL REPLACE is case-sensitive.
                cursor.execute(
                    f"SELECT {cell} FROM {quote(table)} WHERE LOWER({cell}) LIKE %s", [pattern]
                )
                for (value,) in cursor.fetchall():
                    new = _replace_ci(value, secret)
                    cursor.execute(
                        f"UPDATE {quote(table)} SET {quote(column)} = %s "
                        f"WHERE CAST({quote(column)} AS TEXT) = %s",
                        [_fit(new, table, column), value],
                    )
                    changed += cursor.rowcount
    return changed


def _replace_ci(value: str, secret: str) -> str:
    lower = value.lower()
    out, at = [], 0
    while (found := lower.find(secret, at)) != -1:
        out.append(value[at:found])
        out.append(ERASED)
        at = found + len(secret)
    out.append(value[at:])
    return "".join(out)


def _fit(value: str, table: str, column: str) -> str:
    """A varchar column keeps its limit."""
    for model in apps.get_models():
        if model._meta.db_table == table:
            for field in model._meta.local_fields:
                if field.column == column and getattr(field, "max_length", None):
                    return value[: field.max_length]
    return value
