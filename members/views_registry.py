"""The member registry for the medlemsansvarig: list, member page, create, edit, leave."""

import base64
import datetime
from urllib.parse import urlsplit

from django.contrib import messages
from django.core import signing
from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krets.audit import client_ip
from krets.celery import QueueUnavailable
from krets.errors import DomainError
from krets.reads import note_object, note_rows, reads_personal_data
from krets.rights import Perm, requires
from krets.templatetags.krets_format import sv_date
from krets.versioned import paginator

from . import parts, services
from .forms import (
    ContactFilterForm,
    ImportForm,
    LeaveForm,
    MemberFilterForm,
    MemberForm,
    TaskDoneForm,
)
from .importing import HEADINGS, ImportFileError, import_check
from .models import Member, MemberTask
from .selectors import (
    contact_tasks,
    get_member_for_user,
    get_open_task_for_user,
    member_data_export,
    member_history,
    member_list,
    open_tasks,
)

PAGE_SIZES = (25, 50, 100, 200)
IMPORT_SALT = "krets.members.import"


@requires(Perm.WELCOME_VIEW)
@reads_personal_data("member_list")
def member_list_view(request):
    # The menu's "Medlemmar" reaches the whole board; without the registry right you get the
    # welcome and contact tasks, which show names only.
    if not request.rights.has(Perm.MEMBERS_VIEW):
        return redirect("members:tasks")
    form = MemberFilterForm(request.GET or None)
    try:
        per_page = int(request.GET.get("per", 50))
    except ValueError:
        per_page = 50
    per_page = per_page if per_page in PAGE_SIZES else 50
    districts = {pk: name for pk, name in form.fields["kommundel"].choices if pk}
    members = member_list(**form.filters(), districts=districts)
    page = paginator(members, per_page).get_page(request.GET.get("sida"))
    note_rows(request, len(page))
    return render(
        request,
        "members/list.html",
        {"form": form, "page": page, "per_page": per_page, "page_sizes": PAGE_SIZES},
    )


@requires(Perm.MEMBERS_VIEW)
@reads_personal_data("member_detail")
def member_detail(request, pk: int):
    member = get_member_for_user(request, pk)
    note_object(request, member, target=services.member_target(member))
    return render(
        request,
        "members/detail.html",
        {"member": member, "age": member.age_on(timezone.localdate()), **member_history(member)},
    )


@requires(Perm.MEMBERS_CHANGE)
def member_create(request):
    form = MemberForm(request.POST or None, initial={"joined_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        member = services.member_create(
            actor=request.user, data=form.member_data(), ip=client_ip(request)
        )
        messages.success(
            request,
            _("%(name)s är registrerad som medlem nr %(number)s. En välkomstuppgift är skapad.")
            % {"name": member.full_name, "number": member.member_number},
        )
        return redirect("members:detail", pk=member.pk)
    return render(request, "members/form.html", {"form": form, "member": None})


@requires(Perm.MEMBERS_CHANGE)
@reads_personal_data("member_edit")  # the form shows the whole record
def member_edit(request, pk: int):
    member = get_member_for_user(request, pk, write=True)
    note_object(request, member, target=services.member_target(member))
    form = MemberForm(request.POST or None, instance=Member.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        services.member_update(
            actor=request.user, member=member, data=form.member_data(), ip=client_ip(request)
        )
        messages.success(request, _("Uppgifterna är sparade."))
        return redirect("members:detail", pk=member.pk)
    return render(request, "members/form.html", {"form": form, "member": member})


@requires(Perm.MEMBERS_CHANGE)
def member_leave(request, pk: int):
    member = get_member_for_user(request, pk, write=True)
    form = LeaveForm(request.POST or None, initial={"left_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.member_leave(
            actor=request.user,
            member=member,
            left_on=form.cleaned_data["left_on"],
            reason=form.cleaned_data["reason"],
            ip=client_ip(request),
        )
        messages.success(request, _("Utträdet är registrerat."))
        return redirect("members:detail", pk=member.pk)
    return render(request, "members/leave.html", {"form": form, "member": member})


@requires(Perm.MEMBERS_CHANGE)
@require_POST
def member_send_link(request, pk: int):
    member = get_member_for_user(request, pk, write=True)
    try:
        services.self_service_link_send(actor=request.user, member=member, ip=client_ip(request))
    except DomainError as error:
        messages.error(request, str(error))
    except QueueUnavailable:
        messages.error(
            request,
            _("Länken kunde inte skickas: e-postkön svarar inte just nu. Försök igen senare."),
        )
    else:
        messages.success(
            request,
            _("En länk till Mina uppgifter skickas till %(email)s.") % {"email": member.email},
        )
    return redirect("members:detail", pk=member.pk)


@requires(Perm.MEMBERS_CHANGE)
@reads_personal_data("register_extract", export=True)
def member_extract(request, pk: int):
    """A register extract: everything stored about one member, as JSON."""
    member = get_member_for_user(request, pk, write=True)
    note_object(request, member, target=services.member_target(member))
    response = JsonResponse(
        member_data_export(member), encoder=DjangoJSONEncoder, json_dumps_params={"indent": 2}
    )
    response["Content-Disposition"] = (
        f'attachment; filename="registerutdrag-{member.member_number}.json"'
    )
    return response


@requires(Perm.WELCOME_VIEW)
@reads_personal_data("contact_list")
def task_list(request):
    """Whom to welcome and whom to contact about dues. Contact details and the amount owed
    only with the registry right: the sekreterare and other board members see names.

    The contact list is searched, filtered and paged (CONTACTS_PER_PAGE); one row more than a
    page is fetched to know whether there is a next page, so no count query is needed, and the
    amount owed comes from the parts (dues) for the whole page in one query."""
    today = timezone.localdate()
    others = list(open_tasks().exclude(kind=MemberTask.Kind.DUES_CONTACT))
    form = ContactFilterForm(request.GET or None)
    districts = {pk: name for pk, name in form.fields["kommundel"].choices if pk}
    number = _page_number(request)
    start = (number - 1) * CONTACTS_PER_PAGE
    contact = list(
        contact_tasks(**form.filters(), today=today, districts=districts)[
            start : start + CONTACTS_PER_PAGE + 1
        ]
    )
    has_next, contact = len(contact) > CONTACTS_PER_PAGE, contact[:CONTACTS_PER_PAGE]
    show_contact = request.rights.has(Perm.MEMBERS_VIEW)
    if show_contact:
        owed = parts.amounts_owed([(t.member_id, t.year) for t in contact])
        for task in contact:
            task.owed = owed.get((task.member_id, task.year))
    note_rows(request, len(others) + len(contact))
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "members/tasks.html",
        {
            "welcome": [t for t in others if t.kind == MemberTask.Kind.WELCOME],
            "contact": contact,
            "goodbye": [t for t in others if t.kind == MemberTask.Kind.GOODBYE],
            "show_contact": show_contact,
            "form": TaskDoneForm(),
            "contact_filter": form,
            "filtered": any(form.filters().values()),
            "contact_page": number,
            "previous_page": number - 1 if number > 1 else None,
            "next_page": number + 1 if has_next else None,
            "query": query.urlencode(),
            "today": today,
        },
    )


CONTACTS_PER_PAGE = 25


def _page_number(request) -> int:
    value = request.GET.get("sida", "")
    return min(int(value), 10_000) if value.isdigit() and int(value) > 0 else 1


def _back_to_tasks(request):
    """Back to the task page the form was on, with its search and page (same site only)."""
    back = request.META.get("HTTP_REFERER", "")
    tasks = reverse("members:tasks")
    if (
        url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure())
        and urlsplit(back).path == tasks
    ):
        return redirect(back)
    return redirect(tasks)


@requires(Perm.WELCOME_CHANGE)
@require_POST
def task_done(request, pk: int):
    task = get_open_task_for_user(request, pk)
    form = TaskDoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Välj hur kontakten togs."))
    else:
        services.member_task_done(
            actor=request.user, task=task, ip=client_ip(request), **form.cleaned_data
        )
        messages.success(request, _("Klart: %(name)s.") % {"name": task.member.full_name})
    return _back_to_tasks(request)


@requires(Perm.WELCOME_CHANGE)
@require_POST
def task_not_reached(request, pk: int):
    """ "Nådde inte": the task stays open with a new date (default: in three days)."""
    task = get_open_task_for_user(request, pk)
    try:
        retry_on = datetime.date.fromisoformat(request.POST.get("retry_on", ""))
    except ValueError:
        retry_on = timezone.localdate() + datetime.timedelta(days=3)
    try:
        services.member_task_not_reached(
            actor=request.user, task=task, retry_on=retry_on, ip=client_ip(request)
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.info(
            request,
            _("Nådde inte %(name)s: ny dag %(day)s.")
            % {"name": task.member.full_name, "day": sv_date(retry_on)},
        )
    return _back_to_tasks(request)


@requires(Perm.MEMBERS_CHANGE)
def member_import(request):
    """Upload → a preview with each row's errors → confirm: all rows or none."""
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "headings": HEADINGS}
    if request.method != "POST":
        return render(request, "members/import.html", context)
    if "payload" in request.POST:
        try:
            name, content = signing.loads(request.POST["payload"], salt=IMPORT_SALT, max_age=3600)
            content = base64.b64decode(content)
        except (signing.BadSignature, ValueError):
            messages.error(request, _("Förhandsgranskningen har gått ut. Ladda upp filen igen."))
            return redirect("members:import")
    elif form.is_valid():
        upload = form.cleaned_data["file"]
        name, content = upload.name, upload.read()
    else:
        return render(request, "members/import.html", context)
    try:
        rows = import_check(name, content)
    except ImportFileError as error:
        form.add_error(None, str(error))
        return render(request, "members/import.html", context)
    has_errors = any(row.errors for row in rows)
    if "payload" in request.POST and not has_errors:
        count = services.members_import(
            actor=request.user, rows=[row.data for row in rows], ip=client_ip(request)
        )
        messages.success(request, _("%(n)s medlemmar är importerade.") % {"n": count})
        return redirect("members:list")
    payload = signing.dumps(
        (name, base64.b64encode(content).decode()), salt=IMPORT_SALT, compress=True
    )
    return render(
        request,
        "members/import.html",
        {
            **context,
            "rows": rows,
            "has_errors": has_errors,
            "error_count": sum(1 for row in rows if row.errors),
            "payload": "" if has_errors else payload,
        },
    )
