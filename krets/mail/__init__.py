"""The mail engine: every mail the portal sends to members goes through here.

Newsletters, dues reminders, welcome mails and meeting invitations are "kinds" that their apps
register (`krets.mail.kinds.register`) with a renderer and a still-wanted check. A send
(`krets.mail.services.mail_send_start`) writes one Delivery row per recipient, which freezes
the audience, and queues one Celery task per chunk of recipients. Each task claims its rows
with a conditional update (`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL), sends them over one
SMTP connection and writes each result as soon as the server has answered. A beat job
(`mail_reconcile`) puts back work whose worker died, retries deferred mail and finishes sends.

Duplicate bound: a recipient gets a second copy only when a worker process dies after the SMTP
server accepted their message and before the row was marked sent (one UPDATE, right after the
server's answer). A process has at most one message in flight, so a killed worker process costs
at most one duplicate, and never a lost mail: rows it had claimed go back to pending once their
claim is older than MAIL_STALL_SECONDS.

This package is part of the core floor: it imports no app. Members are only ids here.
"""
