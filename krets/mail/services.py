"""Starting, running, pausing and reconciling sends. See the package docstring for the design."""

import logging
import smtplib
import uuid
from collections.abc import Iterable
from contextvars import ContextVar
from datetime import timedelta
from functools import partial
from itertools import islice

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from krets.audit import audit_log
from krets.models import AuditEvent

from ..celery import QueueUnavailable, enqueue
from . import kinds
from .kinds import Recipient
from .messages import build_message, render_kind
from .models import Delivery, MailSend, Suppression

log = logging.getLogger(__name__)

UNFINISHED = (Delivery.State.PENDING, Delivery.State.SENDING, Delivery.State.DEFERRED)
# Waits before the 2nd, 3rd, ... attempt of a mail the server answered with 4xx.
BACKOFF_SECONDS = (60, 5 * 60, 15 * 60, 60 * 60, 4 * 60 * 60)
# What a send waiting for the queue (not the mail server) shows as the answer it got.
QUEUE_REFUSED = "E-postkön (Redis) svarar inte"  # MailSend.waits_for_queue reads its first word
# Sends whose work the broker refused in this request (or task): the page says so, in Swedish,
# instead of an error page (krets.middleware.QueueRefusedMiddleware; a view may say it better).
_refused_sends: ContextVar[frozenset[int]] = ContextVar("krets_refused_sends", default=frozenset())


def refused_sends() -> frozenset[int]:
    return _refused_sends.get()


def forget_refused_sends() -> None:
    _refused_sends.set(frozenset())


def take_refused_sends() -> frozenset[int]:
    """For a view that tells the person itself: the refused sends, then forgotten."""
    refused = _refused_sends.get()
    forget_refused_sends()
    return refused


def mail_send_start(
    *,
    kind: str,
    key: str,
    recipients: Iterable[Recipient],
    params: dict | None = None,
    chunk_size: int | None = None,
    started_by=None,
    strict_queue: bool = False,
) -> MailSend:
    """Freeze the audience (one Delivery per address) and queue its chunks after commit.

    Idempotent: a second call with the same key returns the first send and writes nothing.
    `started_by` (a user) sees the send on their overview if the mail server fails.
    A broker that refuses the work loses nothing: the send waits like one whose mail server is
    down, and the reconciler queues it again (`refused_sends` tells the request). With
    `strict_queue` QueueUnavailable is raised too, after the commit, for a caller that would
    rather cancel (a link the person is waiting for).
    """
    kinds.get(kind)  # an unknown kind fails here, not in a worker
    chunk_size = chunk_size or settings.MAIL_CHUNK_SIZE
    with transaction.atomic():
        send, created = MailSend.objects.get_or_create(
            key=key,
            defaults={
                "kind": kind,
                "params": params or {},
                "state": MailSend.State.RUNNING,
                "chunk_size": chunk_size,
                "started_by": started_by,
            },
        )
        if not created:
            return send
        suppressed = set(Suppression.objects.values_list("email", flat=True))
        total = 0
        for batch in _batched(_unique(recipients), 2000):
            rows = []
            for recipient in batch:
                blocked = recipient.email.lower() in suppressed
                rows.append(
                    Delivery(
                        send=send,
                        chunk=total // chunk_size,
                        email=recipient.email,
                        member_id=recipient.member_id,
                        context=recipient.context,
                        state=Delivery.State.SKIPPED if blocked else Delivery.State.PENDING,
                        error="spärrad adress" if blocked else "",
                    )
                )
                total += 1
            Delivery.objects.bulk_create(rows)
        send.total = total
        send.progress_at = timezone.now()
        send.save(update_fields=["total", "progress_at"])
        _queue_chunks(send.pk, _chunks_with(send.pk, Delivery.State.PENDING), strict=strict_queue)
        _finish_if_done(send)
    return send


def mail_send_pause(*, send: MailSend) -> bool:
    """Stop claiming new mail; workers let go of what they hold at their next batch."""
    return bool(
        MailSend.objects.filter(
            pk=send.pk, state__in=[MailSend.State.RUNNING, MailSend.State.WAITING]
        ).update(state=MailSend.State.PAUSED, retry_at=None)
    )


@transaction.atomic
def mail_send_resume(*, send: MailSend) -> bool:
    resumed = MailSend.objects.filter(pk=send.pk, state=MailSend.State.PAUSED).update(
        state=MailSend.State.RUNNING, progress_at=timezone.now()
    )
    if resumed:
        _queue_chunks(send.pk, _chunks_with(send.pk, Delivery.State.PENDING))
        _finish_if_done(send)
    return bool(resumed)


@transaction.atomic
def mail_send_cancel(*, send: MailSend) -> bool:
    """Nothing more goes out; mail already handed to the server cannot be called back."""
    cancelled = MailSend.objects.filter(pk=send.pk, state__in=_ACTIVE).update(
        state=MailSend.State.CANCELLED, finished_at=timezone.now()
    )
    if cancelled:
        Delivery.objects.filter(
            send=send, state__in=[Delivery.State.PENDING, Delivery.State.DEFERRED]
        ).update(state=Delivery.State.CANCELLED, claim="")
    return bool(cancelled)


_ACTIVE = [MailSend.State.RUNNING, MailSend.State.PAUSED, MailSend.State.WAITING]


def mail_chunk_send(*, send_id: int, chunk: int) -> int:
    """Send what is pending in one chunk over one SMTP connection. Returns how many went out.

    Safe to run twice or concurrently: each row is claimed before it is sent.
    """
    send = MailSend.objects.filter(pk=send_id).first()
    if send is None or send.state != MailSend.State.RUNNING:
        return 0
    kind = kinds.get(send.kind)
    prepared = kind.prepare(send.params)
    transport = _Transport()
    sent = 0
    try:
        _relax_commits(True)
        # A paused or cancelled send claims nothing more: the loop ends at the next batch.
        while batch := _claim(send_id=send_id, chunk=chunk):
            went = _deliver(send, kind, prepared, batch, transport)
            sent += went
            progress = {"progress_at": timezone.now()}
            if went:  # the server works again: forget its earlier failures
                progress.update(relay_error="", relay_failures=0)
            MailSend.objects.filter(pk=send_id).update(**progress)
    finally:
        transport.close()
        _relax_commits(False)
    _finish_if_done(send)
    return sent


def _relax_commits(relax: bool) -> None:
    """On PostgreSQL, let this worker's state writes return before the WAL reaches the disk.

    Waiting for the disk on every mail's "sent" write made it the slowest step (an fsync per
    mail). A worker dying loses nothing by this: its writes are already in PostgreSQL. Only a
    crash of PostgreSQL itself can forget the last ~0.6 s of writes (3 × wal_writer_delay),
    and then those mails go a second time; never is a mail lost. MAIL_SYNCHRONOUS_COMMIT=1
    keeps every write durable instead.
    """
    if connection.vendor != "postgresql" or settings.MAIL_SYNCHRONOUS_COMMIT:
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off" if relax else "RESET synchronous_commit")


def mail_reconcile(*, now=None, stall_seconds: int | None = None) -> dict[str, int]:
    """The beat job: give stalled work to live workers, retry deferred mail, finish sends.

    Running it twice, or while workers run, is safe: it only queues chunk tasks, and those
    claim their rows before sending.
    """
    now = now or timezone.now()
    stall = timedelta(
        seconds=settings.MAIL_STALL_SECONDS if stall_seconds is None else stall_seconds
    )
    with transaction.atomic():
        # Claims older than the stall limit belong to a worker that died (or lost Redis).
        stalled = Delivery.objects.filter(state=Delivery.State.SENDING, claimed_at__lt=now - stall)
        chunks = set(stalled.values_list("send_id", "chunk").distinct())
        stalled_count = stalled.update(state=Delivery.State.PENDING, claim="", claimed_at=None)
        Delivery.objects.filter(
            state=Delivery.State.PENDING, send__state=MailSend.State.CANCELLED
        ).update(state=Delivery.State.CANCELLED)
        # Deferred mail whose wait is over.
        due = Delivery.objects.filter(
            state=Delivery.State.DEFERRED,
            next_attempt_at__lte=now,
            send__state=MailSend.State.RUNNING,
        )
        due_chunks = set(due.values_list("send_id", "chunk").distinct())
        due_count = due.update(state=Delivery.State.PENDING)
        chunks |= due_chunks
        # Sends that waited for the mail server: their wait is over, try again.
        waited = MailSend.objects.filter(state=MailSend.State.WAITING, retry_at__lte=now)
        waited_ids = list(waited.values_list("pk", flat=True))
        if waited_ids:
            MailSend.objects.filter(pk__in=waited_ids, state=MailSend.State.WAITING).update(
                state=MailSend.State.RUNNING, progress_at=now, retry_at=None
            )
            chunks |= set(
                Delivery.objects.filter(send_id__in=waited_ids, state=Delivery.State.PENDING)
                .values_list("send_id", "chunk")
                .distinct()
            )
        # Sends that stopped moving: their queued tasks are gone (a Redis restart, say).
        quiet = MailSend.objects.filter(state=MailSend.State.RUNNING).filter(
            Q(progress_at__lt=now - stall) | Q(progress_at__isnull=True)
        )
        quiet_ids = list(quiet.values_list("pk", flat=True))
        if quiet_ids:
            chunks |= set(
                Delivery.objects.filter(send_id__in=quiet_ids, state=Delivery.State.PENDING)
                .values_list("send_id", "chunk")
                .distinct()
            )
            MailSend.objects.filter(pk__in=quiet_ids).update(progress_at=now)
        for send_id, chunk in sorted(chunks):
            _queue_chunk(send_id, chunk)
        finished = sum(
            _finish_if_done(send) for send in MailSend.objects.filter(state=MailSend.State.RUNNING)
        )
    return {
        "resumed": len(waited_ids),
        "stalled": stalled_count,
        "retried": due_count,
        "requeued": len(chunks),
        "finished": finished,
    }


def suppression_add(*, email: str, reason: str, detail: str = "") -> bool:
    """Put an address on the suppression list (idempotent). True when it was new.

    Only for a refusal of this one address: a 5xx to its RCPT TO, or a bounce or complaint
    reported for it. A failure of the server itself never lands here (see `_relay_failed`)."""
    _, created = Suppression.objects.get_or_create(
        email=email.strip().lower(), defaults={"reason": reason, "detail": detail[:300]}
    )
    return created


@transaction.atomic
def suppression_lift(*, actor, suppression: Suppression, ip: str | None = None) -> None:
    """Mail may go to this address again (the member fixed their mailbox). Audited; the
    address is logged, not the reason text (it may quote the server's words about a person)."""
    email = suppression.email
    reason = suppression.reason
    Suppression.objects.filter(pk=suppression.pk).delete()
    audit_log(
        actor=actor,
        action=AuditEvent.Action.SUPPRESSION_LIFTED,
        target=email,
        detail={"reason": reason},
        ip=ip,
    )


# --- the work of one chunk ------------------------------------------------------------------


def _claim(*, send_id: int, chunk: int) -> list[Delivery]:
    """Take up to MAIL_CLAIM_BATCH pending rows that no other worker holds."""
    token = uuid.uuid4().hex
    with transaction.atomic():
        candidates = Delivery.objects.filter(
            send_id=send_id,
            chunk=chunk,
            state=Delivery.State.PENDING,
            send__state=MailSend.State.RUNNING,
        ).order_by("pk")
        if connection.features.has_select_for_update_skip_locked:
            # Lock the delivery rows only: locking the joined send row too would make a second
            # worker skip every row of the send while the first one claims.
            candidates = candidates.select_for_update(skip_locked=True, of=("self",))
        ids = list(candidates.values_list("pk", flat=True)[: settings.MAIL_CLAIM_BATCH])
        if not ids:
            return []
        # Conditional: a row another worker took in the meantime (SQLite) is not taken twice.
        Delivery.objects.filter(pk__in=ids, state=Delivery.State.PENDING).update(
            state=Delivery.State.SENDING, claim=token, claimed_at=timezone.now()
        )
    return list(Delivery.objects.filter(pk__in=ids, claim=token).order_by("pk"))


def _release(deliveries: list[Delivery]) -> None:
    Delivery.objects.filter(pk__in=[d.pk for d in deliveries], state=Delivery.State.SENDING).update(
        state=Delivery.State.PENDING, claim="", claimed_at=None
    )


def _deliver(send: MailSend, kind: kinds.Kind, prepared, batch, transport) -> int:
    member_ids = [d.member_id for d in batch if d.member_id is not None]
    wanted = set(kind.still_wanted(member_ids, send.params)) if member_ids else set()
    suppressed = set(
        Suppression.objects.filter(email__in=[d.email.lower() for d in batch]).values_list(
            "email", flat=True
        )
    )
    # Let go of the rest before the reconciler could think this worker dead.
    deadline = batch[0].claimed_at + timedelta(seconds=settings.MAIL_STALL_SECONDS / 2)
    sent = 0
    for index, delivery in enumerate(batch):
        if timezone.now() > deadline:
            _release(batch[index:])
            break
        if delivery.email.lower() in suppressed:
            _record(delivery, Delivery.State.SKIPPED, error="spärrad adress")
            continue
        if delivery.member_id is not None and delivery.member_id not in wanted:
            _record(delivery, Delivery.State.SKIPPED, error="vill inte längre ha utskicket")
            continue
        try:
            rendered = render_kind(
                kind, prepared, Recipient(delivery.email, delivery.member_id, delivery.context)
            )
            message = build_message(
                send_id=send.pk, delivery_id=delivery.pk, email=delivery.email, rendered=rendered
            )
        except Exception as exc:  # a bug in one renderer must not stop the chunk
            log.exception("mail %s: rendering delivery %s failed", send.kind, delivery.pk)
            _record(delivery, Delivery.State.FAILED, error=f"kunde inte skapas: {exc}")
            continue
        try:
            transport.send(message)
        except Exception as exc:
            verdict, detail = _classify(exc)
            transport.reset_if_broken(exc)
            if verdict == REFUSED:  # this one address, for good
                _record(delivery, Delivery.State.FAILED, error=detail, attempted=True)
                suppression_add(
                    email=delivery.email, reason=Suppression.Reason.BOUNCE, detail=detail
                )
            elif verdict == LATER:  # this one address, for now
                _defer(delivery, detail)
            else:  # the server, for everyone: stop, wait, suppress nobody
                _release(batch[index:])
                _relay_failed(send.pk, detail)
                break
            continue
        # The one write between the server's acceptance and safety: see the duplicate bound.
        _record_sent(delivery.pk)
        sent += 1
    return sent


def _record(delivery: Delivery, state: str, *, error: str = "", attempted: bool = False) -> None:
    changes = {"state": state, "claim": "", "error": error[:300]}
    if attempted:
        changes["attempts"] = F("attempts") + 1
    Delivery.objects.filter(pk=delivery.pk).update(**changes)


def _record_sent(delivery_id: int) -> None:
    """`_record(SENT)` in plain SQL: it runs once per mail, and the ORM's query building was a
    noticeable share of a worker's time per mail."""
    table = connection.ops.quote_name(Delivery._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET state = %s, claim = '', error = '', attempts = attempts + 1, "
            "sent_at = %s WHERE id = %s",
            [Delivery.State.SENT.value, timezone.now(), delivery_id],
        )


def _defer(delivery: Delivery, detail: str) -> None:
    attempts = delivery.attempts + 1
    if attempts >= settings.MAIL_MAX_ATTEMPTS:
        _record(delivery, Delivery.State.FAILED, error=f"gav upp: {detail}", attempted=True)
        return
    wait = BACKOFF_SECONDS[min(attempts, len(BACKOFF_SECONDS)) - 1]
    Delivery.objects.filter(pk=delivery.pk).update(
        state=Delivery.State.DEFERRED,
        claim="",
        attempts=attempts,
        next_attempt_at=timezone.now() + timedelta(seconds=wait),
        error=detail[:300],
    )


REFUSED, LATER, RELAY = "refused", "later", "relay"


def _classify(exc: Exception) -> tuple[str, str]:
    """(verdict, what the server said).

    Only an answer about the recipient is about the recipient: the RCPT TO reply (5xx:
    REFUSED for good, 4xx: LATER) or an email service refusing the address. Everything else
    (no connection, a 5xx banner, TLS, AUTH, MAIL FROM, DATA, a timeout) is RELAY: the
    server failed for everyone, and an address must not pay for it."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused) and exc.recipients:
        code, text = next(iter(exc.recipients.values()))
        return (REFUSED if 500 <= code < 600 else LATER), _said(code, text)
    if type(exc).__name__ == "AnymailRecipientsRefused":  # the service refused the address
        return REFUSED, str(exc)[:300]
    if isinstance(exc, smtplib.SMTPResponseException):
        return RELAY, _said(exc.smtp_code, exc.smtp_error)
    return RELAY, f"{type(exc).__name__}: {exc}"[:300]


def _said(code: int, text) -> str:
    if isinstance(text, bytes):
        text = text.decode(errors="replace")
    return f"{code} {text}"[:300]


def _relay_failed(send_id: int, detail: str) -> None:
    """Put the whole send to wait with back-off; the reconciler resumes it at retry_at."""
    with transaction.atomic():
        send = MailSend.objects.select_for_update().filter(pk=send_id).first()
        if send is None or send.state != MailSend.State.RUNNING:
            return
        failures = send.relay_failures + 1
        wait = BACKOFF_SECONDS[min(failures, len(BACKOFF_SECONDS)) - 1]
        send.state = MailSend.State.WAITING
        send.relay_failures = failures
        send.relay_error = detail[:300]
        send.retry_at = timezone.now() + timedelta(seconds=wait)
        send.save(update_fields=["state", "relay_failures", "relay_error", "retry_at"])
    log.warning(
        "mail send %s waits for the mail server until %s: %s", send_id, send.retry_at, detail
    )


class _Transport:
    """One connection for the whole chunk, opened when the first mail goes out."""

    def __init__(self):
        self.backend = None

    def send(self, message: EmailMultiAlternatives) -> None:
        if self.backend is None:
            self.backend = get_connection(fail_silently=False)
            self.backend.open()
        message.connection = self.backend
        self.backend.send_messages([message])

    def reset_if_broken(self, exc: Exception) -> None:
        # After a refused recipient the SMTP session is still good (smtplib sent RSET); after
        # anything else, the next attempt starts on a fresh connection.
        if not isinstance(exc, smtplib.SMTPRecipientsRefused):
            self.close()

    def close(self) -> None:
        if self.backend is not None:
            try:
                self.backend.close()
            except Exception:  # the connection is gone anyway
                log.warning("closing the mail connection failed", exc_info=True)
            self.backend = None


# --- helpers --------------------------------------------------------------------------------


def _unique(recipients: Iterable[Recipient]) -> Iterable[Recipient]:
    seen: set[str] = set()
    for recipient in recipients:
        address = recipient.email.strip()
        if not address or address.lower() in seen:
            continue
        seen.add(address.lower())
        yield Recipient(address, recipient.member_id, recipient.context)


def _batched(iterable, size):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def _chunks_with(send_id: int, state: str) -> list[int]:
    return list(
        Delivery.objects.filter(send_id=send_id, state=state)
        .values_list("chunk", flat=True)
        .distinct()
        .order_by("chunk")
    )


def _queue_chunks(send_id: int, chunks: Iterable[int], *, strict: bool = False) -> None:
    for chunk in chunks:
        _queue_chunk(send_id, chunk, strict=strict)


def _queue_chunk(send_id: int, chunk: int, *, strict: bool = False) -> None:
    # Queued after the commit: a worker must find the rows.
    transaction.on_commit(partial(_enqueue_chunk, send_id, chunk, strict=strict))


def _enqueue_chunk(send_id: int, chunk: int, *, strict: bool = False) -> None:
    """Hand one chunk to the broker. A broker that is down loses nothing: the rows stay
    pending and the send waits (as for a mail server that is down) until the reconciler queues
    it again at retry_at. Not raising matters: this runs after the commit, and code after the
    caller's transaction (an audit entry, the next send) must still run."""
    from .tasks import send_chunk

    # Its first chunk was refused a moment ago and it still waits: the reconciler queues them
    # all. (Checked in the database too: a worker thread lives on, and a resumed send must go.)
    if (
        send_id in _refused_sends.get()
        and MailSend.objects.filter(pk=send_id, state=MailSend.State.WAITING).exists()
    ):
        return
    try:
        enqueue(
            send_chunk,
            args=(send_id, chunk),
            task_id=f"mail-{send_id}-{chunk}-{uuid.uuid4().hex[:8]}",
        )
    except QueueUnavailable:
        _refused_sends.set(_refused_sends.get() | {send_id})
        _relay_failed(send_id, QUEUE_REFUSED)
        if strict:
            raise


def _finish_if_done(send: MailSend) -> bool:
    """Mark a running send done when no row is left to send; tell its kind once."""
    if Delivery.objects.filter(send_id=send.pk, state__in=UNFINISHED).exists():
        return False
    done = MailSend.objects.filter(pk=send.pk, state=MailSend.State.RUNNING).update(
        state=MailSend.State.DONE, finished_at=timezone.now()
    )
    if done:
        finished = kinds.get(send.kind).finished
        transaction.on_commit(partial(finished, send.pk))
    return bool(done)
