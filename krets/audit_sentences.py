"""Reading the audit log: filters, names instead of ids, and each event as a Swedish sentence.

The log stores references and codes (`medlem:317`, `{"fields": ["phone"]}`), never copies of a
person's text (STYLE.md); this module turns them into what a person reads. A new kind of event
is one line in SENTENCES (and, where its detail changes the sentence, one line in VARIANTS).
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import Member, User

from .models import AuditEvent

Action = AuditEvent.Action

# {actor}: who did it; {target}: whom or what it concerned. One line per kind of event.
SENTENCES: dict[str, str] = {
    Action.LOGIN: gettext_lazy("{actor} loggade in."),
    Action.LOGIN_FAILED: gettext_lazy("Misslyckat inloggningsförsök som {actor}."),
    Action.LOGOUT: gettext_lazy("{actor} loggade ut."),
    Action.RIGHTS_GRANTED: gettext_lazy("{actor} gav ett styrelseuppdrag: {target}."),
    Action.RIGHTS_REVOKED: gettext_lazy("{actor} tog bort ett styrelseuppdrag: {target}."),
    Action.ACCOUNT_INVITED: gettext_lazy("{actor} bjöd in {target} till portalen."),
    Action.ACCOUNT_DEACTIVATED: gettext_lazy("{actor} avslutade kontot för {target}."),
    Action.MEMBER_VIEWED: gettext_lazy("{actor} läste uppgifterna om {target}."),
    Action.MEMBER_CHANGED: gettext_lazy("{actor} ändrade uppgifterna om {target}."),
    Action.MEMBERS_EXPORTED: gettext_lazy("{actor} exporterade {target}."),
    Action.MEMBERS_IMPORTED: gettext_lazy("{actor} importerade medlemmar."),
    Action.MEMBER_ANONYMISED: gettext_lazy("{actor} anonymiserade {target}."),
    Action.AUDIT_EXPORTED: gettext_lazy("{actor} exporterade loggen."),
    Action.COMMUNICATION_CHANGED: gettext_lazy("{actor} ändrade {target}."),
    Action.NEWSLETTER_CHANGED: gettext_lazy("{actor} ändrade nyhetsbrevet {target}."),
    Action.NEWSLETTER_SENT: gettext_lazy("{actor} skickade nyhetsbrevet {target}."),
    Action.DUES_CHANGED: gettext_lazy("{actor} ändrade avgifter och betalningar: {target}."),
    Action.PLAN_COPIED: gettext_lazy("{actor} kopierade verksamhetsplanen {target}."),
    Action.MEMBER_LOOKUP_FAILED: gettext_lazy(
        "{actor} försökte lägga till en deltagare i {target} som inte kunde läggas till."
    ),
    Action.SUPPRESSION_LIFTED: gettext_lazy(
        "{actor} hävde spärren för e-postadressen {target}: e-post går dit igen."
    ),
    Action.VISITOR_ACTION: gettext_lazy("{actor} ändrade {target} (öppna dörrar)."),
}
# Where one key of the detail makes it another sentence: (kind, key) -> sentence.
VARIANTS: dict[tuple[str, str], str] = {
    (Action.MEMBER_CHANGED, "new"): gettext_lazy("{actor} registrerade {target} som ny medlem."),
    (Action.MEMBER_CHANGED, "left_on"): gettext_lazy(
        "{actor} registrerade att {target} har lämnat partiet."
    ),
    (Action.MEMBER_CHANGED, "not_reached"): gettext_lazy(
        "{actor} nådde inte {target} och försöker igen senare."
    ),
    (Action.MEMBER_CHANGED, "task"): gettext_lazy("{actor} bockade av en kontakt med {target}."),
    (Action.MEMBER_CHANGED, "self_service_link"): gettext_lazy(
        "{actor} skickade en länk till ”Mina uppgifter” till {target}."
    ),
    (Action.MEMBER_VIEWED, "dues"): gettext_lazy("{actor} läste avgiften för {target}."),
    (Action.MEMBERS_EXPORTED, "kind"): gettext_lazy(
        "{actor} hämtade ett registerutdrag för {target}."
    ),
}
# Where the detail's step makes it another sentence: (kind, "step:" + step) -> sentence.
STEPS: dict[tuple[str, str], str] = {
    (Action.COMMUNICATION_CHANGED, "step:created"): gettext_lazy("{actor} lade till {target}."),
    (Action.COMMUNICATION_CHANGED, "step:followers"): gettext_lazy(
        "{actor} förde in antalet följare för {target}."
    ),
    (Action.COMMUNICATION_CHANGED, "step:advanced"): gettext_lazy(
        "{actor} flyttade fram {target}."
    ),
    (Action.COMMUNICATION_CHANGED, "step:published"): gettext_lazy("{actor} publicerade {target}."),
    (Action.COMMUNICATION_CHANGED, "step:returned"): gettext_lazy("{actor} returnerade {target}."),
    (Action.COMMUNICATION_CHANGED, "step:drawn"): gettext_lazy("{actor} drog vinnaren i {target}."),
    (Action.NEWSLETTER_CHANGED, "step:saved"): gettext_lazy(
        "{actor} sparade nyhetsbrevet {target}."
    ),
    (Action.NEWSLETTER_CHANGED, "step:scheduled"): gettext_lazy(
        "{actor} schemalade nyhetsbrevet {target}."
    ),
    (Action.NEWSLETTER_CHANGED, "step:unscheduled"): gettext_lazy(
        "{actor} gjorde nyhetsbrevet {target} till utkast igen."
    ),
    (Action.NEWSLETTER_SENT, "step:started"): gettext_lazy(
        "{actor} började skicka nyhetsbrevet {target}."
    ),
    (Action.NEWSLETTER_SENT, "step:paused"): gettext_lazy("{actor} pausade nyhetsbrevet {target}."),
    (Action.NEWSLETTER_SENT, "step:resumed"): gettext_lazy(
        "{actor} fortsatte skicka nyhetsbrevet {target}."
    ),
    (Action.NEWSLETTER_SENT, "step:cancelled"): gettext_lazy(
        "{actor} avbröt utskicket av nyhetsbrevet {target}."
    ),
    # Open doors (visitors/services.py); {actor} is "besökaren själv" for the public forms.
    (Action.VISITOR_ACTION, "step:signup_requested"): gettext_lazy(
        "{actor} anmälde sig till ett öppet möte: {target}."
    ),
    (Action.VISITOR_ACTION, "step:signup_confirmed"): gettext_lazy("{actor} bekräftade {target}."),
    (Action.VISITOR_ACTION, "step:attendance"): gettext_lazy(
        "{actor} förde in vilka anmälda som kom till {target}."
    ),
    (Action.VISITOR_ACTION, "step:contacts_invited"): gettext_lazy(
        "{actor} bjöd in kontakter till {target}."
    ),
    (Action.VISITOR_ACTION, "step:application_submitted"): gettext_lazy(
        "{actor} skickade in {target}."
    ),
    (Action.VISITOR_ACTION, "step:application_verified"): gettext_lazy(
        "{actor} bekräftade {target}."
    ),
    (Action.VISITOR_ACTION, "step:application_approved"): gettext_lazy(
        "{actor} godkände {target}."
    ),
    (Action.VISITOR_ACTION, "step:application_declined"): gettext_lazy("{actor} avslog {target}."),
    (Action.VISITOR_ACTION, "step:contact_erased"): gettext_lazy("{actor} raderade {target}."),
    (Action.VISITOR_ACTION, "step:invite_consent_withdrawn"): gettext_lazy(
        "{actor} återkallade samtycket till inbjudningar för {target}."
    ),
}
# Targets other than members are "<model name>:<id>" (the newsletter's is "nyhetsbrev").
TARGET_MODEL_ALIASES = {"nyhetsbrev": "newsletter"}
# The open doors' targets (visitors/services.py) name their model in Swedish; shown with the
# model's own noun ("kontakt ”Vera Visit”"), or as the bare reference once erased.
SWEDISH_TARGETS = {
    "anmalan": "signup",
    "kontakt": "contact",
    "ansokan": "application",
    "mote": "meeting",
}
# Who did it when nobody signed in did.
NO_ACTOR = gettext_lazy("Portalen")


def member_ids_in(events) -> set[int]:
    ids = set()
    for event in events:
        if event.target.startswith("medlem:") and event.target[7:].isdigit():
            ids.add(int(event.target[7:]))
    return ids


def field_label(name: str) -> str:
    try:
        return str(Member._meta.get_field(name).verbose_name)
    except Exception:  # a field that no longer exists: say its code rather than nothing
        return name


@dataclass
class Entry:
    event: AuditEvent
    actor: str
    target: str
    sentence: str
    details: list[str]


def _models_by_name() -> dict[str, type]:
    return {model._meta.model_name: model for model in apps.get_models()}


def _object_names(events) -> dict[str, str]:
    """ "contentitem:5" -> "”Höstkampanjen”", one query per kind of object on the page."""
    wanted: dict[str, set[int]] = {}
    for event in events:
        prefix, _sep, pk = event.target.partition(":")
        if pk.isdigit() and prefix != "medlem":
            wanted.setdefault(prefix, set()).add(int(pk))
    models = _models_by_name()
    names = {}
    for prefix, ids in wanted.items():
        model = models.get(TARGET_MODEL_ALIASES.get(prefix, SWEDISH_TARGETS.get(prefix, prefix)))
        if model is None:
            continue
        noun = str(model._meta.verbose_name)
        for pk, obj in model._default_manager.in_bulk(ids).items():
            names[f"{prefix}:{pk}"] = (
                f"{noun} ”{obj}”" if prefix not in TARGET_MODEL_ALIASES else f"”{obj}”"
            )
    return names


def _target(event: AuditEvent, members: dict[int, str], objects: dict[str, str]) -> str:
    target = event.target
    if target.startswith("medlem:") and target[7:].isdigit():
        return members.get(int(target[7:]), _("en borttagen medlem"))
    if target in objects:
        return objects[target]
    if target.startswith("avgifter:"):
        return _("avgifterna för %(year)s") % {"year": target[9:]}
    return target or "–"


def _details(event: AuditEvent) -> list[str]:
    detail: dict[str, Any] = event.detail or {}
    lines = []
    if detail.get("fields"):
        lines.append(
            _("Fält: %(fields)s") % {"fields": ", ".join(field_label(f) for f in detail["fields"])}
        )
    if detail.get("reason"):
        lines.append(_("Orsak: %(reason)s") % {"reason": detail["reason"]})
    if detail.get("left_on"):
        lines.append(_("Utträdd: %(day)s") % {"day": detail["left_on"]})
    if detail.get("recipients"):
        lines.append(_("%(n)s mottagare") % {"n": detail["recipients"]})
    if "rows" in detail:
        lines.append(_("%(rows)s rader") % {"rows": detail["rows"]})
    if detail.get("dues"):
        lines.append(_("Avgiftsår: %(year)s") % {"year": detail["dues"]})
    if detail.get("from") and detail.get("to"):
        lines.append(_("Period: %(from)s–%(to)s") % {"from": detail["from"], "to": detail["to"]})
    if detail.get("status"):
        lines.append(_("Urval: %(status)s") % {"status": detail["status"]})
    if detail.get("filters"):
        lines.append(_("Filter: %(filters)s") % {"filters": detail["filters"]})
    # Reads logged by krets.reads: the page, and the filter's parameter names (never values).
    if detail.get("read"):
        lines.append(_("Sida: %(page)s") % {"page": detail["read"]})
    if detail.get("filter"):
        lines.append(_("Filter: %(filters)s") % {"filters": ", ".join(detail["filter"])})
    if detail.get("attempts_today"):
        lines.append(_("Misslyckade försök i dag: %(n)s") % {"n": detail["attempts_today"]})
    return lines


def _actor(event: AuditEvent) -> str:
    if event.actor_id is not None and event.actor is not None:
        return event.actor.get_full_name() or event.actor.email
    return event.actor_label or str(NO_ACTOR)


def present(events) -> list[Entry]:
    """Sentences for a page of events; member names in one query."""
    events = list(events)
    ids = member_ids_in(events)
    found = Member.objects.filter(pk__in=ids).only("first_name", "last_name", "member_number")
    members = {member.pk: member.full_name or str(member.member_number or "") for member in found}
    objects = _object_names(events)
    entries = []
    for event in events:
        actor, target = _actor(event), _target(event, members, objects)
        sentence = SENTENCES.get(event.action, gettext_lazy("{actor}: {target}"))
        step = (event.detail or {}).get("step")
        if step and (event.action, f"step:{step}") in STEPS:
            sentence = STEPS[(event.action, f"step:{step}")]
        for key in event.detail or {}:
            if (event.action, key) in VARIANTS:
                sentence = VARIANTS[(event.action, key)]
                break
        entries.append(
            Entry(
                event=event,
                actor=actor,
                target=target,
                sentence=str(sentence).format(actor=actor, target=target),
                details=_details(event),
            )
        )
    return entries


@dataclass(frozen=True)
class Filters:
    actor: int | None = None
    member: str = ""
    action: str = ""
    start: datetime.date | None = None
    end: datetime.date | None = None

    def describe(self) -> str:
        parts = []
        if self.actor:
            parts.append(f"vem={self.actor}")
        if self.member:
            parts.append(f"om={self.member}")
        if self.action:
            parts.append(f"händelse={self.action}")
        if self.start:
            parts.append(f"från={self.start}")
        if self.end:
            parts.append(f"till={self.end}")
        return ", ".join(parts)


def audit_events(filters: Filters) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor")
    if filters.actor:
        events = events.filter(actor_id=filters.actor)
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.start:
        events = events.filter(at__date__gte=filters.start)
    if filters.end:
        events = events.filter(at__date__lte=filters.end)
    if filters.member:
        events = events.filter(target__in=_member_targets(filters.member))
    return events


def _member_targets(text: str) -> list[str]:
    """Members whose name or number matches, as the log names them ("medlem:317")."""
    query = Q()
    for word in text.split():
        query &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    if text.strip().isdigit():
        query = Q(member_number=int(text.strip())) | query
    ids = Member.objects.filter(query).values_list("pk", flat=True)[:500]
    return [f"medlem:{pk}" for pk in ids]


def audit_actors() -> list[tuple[int, str]]:
    """Everyone who appears in the log as the one who did something, for the filter."""
    ids = AuditEvent.objects.exclude(actor=None).values("actor_id").distinct()
    users = User.objects.filter(pk__in=ids).order_by("first_name", "last_name", "email")
    return [(user.pk, user.get_full_name() or user.email) for user in users]
