"""Fee categories and households, for the kassör (before: only in the Django admin).

The three categories are fixed (invoices_create_by_category knows them: the family fee goes to
a household's payer); what the kassör names and prices each year is the category's Fee."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from krets.audit import client_ip
from krets.errors import DomainError
from krets.reads import note_object, note_rows, reads_personal_data
from krets.rights import Perm, requires
from members.selectors import current_year
from members.services import member_numbers_assign

from . import services
from .forms import FeeForm, HouseholdForm, MemberCategoryForm
from .models import Fee, FeeCategory, Household, MemberCategory

PAGE_SIZE = 50


@requires(Perm.DUES_CHANGE)
@reads_personal_data("dues_categories")
def categories(request):
    """Each category's fee per year (name, amount, due date; edited on the fee's own page),
    a new fee for a category, and the members whose category is not ordinary."""
    which = request.POST.get("form", "")
    fee_form = FeeForm(
        request.POST if which == "fee" else None,
        initial={"year": current_year(), "category": request.GET.get("kategori", "")},
    )
    member_form = MemberCategoryForm(request.POST if which == "member" else None)
    if which == "fee" and fee_form.is_valid():
        services.fee_create(actor=request.user, data=fee_form.cleaned_data, ip=client_ip(request))
        messages.success(request, _("Avgiften är sparad."))
        return redirect("dues:categories")
    if which == "member" and member_form.is_valid():
        member = member_form.cleaned_data["number"]
        services.member_category_set(
            actor=request.user,
            member=member,
            category=member_form.cleaned_data["category"],
            ip=client_ip(request),
        )
        messages.success(
            request,
            _("%(name)s har kategorin %(category)s.")
            % {
                "name": member.full_name,
                "category": FeeCategory(member_form.cleaned_data["category"]).label,
            },
        )
        return redirect("dues:categories")
    fees = list(Fee.objects.order_by("-year", "category", "-is_default", "name"))
    years = []
    for fee in fees:
        if not years or years[-1]["year"] != fee.year:
            years.append({"year": fee.year, "rows": {c: [] for c in FeeCategory.values}})
        years[-1]["rows"][fee.category].append(fee)
    set_categories = (
        MemberCategory.objects.exclude(category=FeeCategory.ORDINARY)
        .filter(member__left_on__isnull=True)
        .select_related("member")
        .order_by("category", "member__last_name", "member__first_name", "member_id")
    )
    page = Paginator(set_categories, PAGE_SIZE).get_page(request.GET.get("sida"))
    note_rows(request, len(page))
    counts = dict(
        MemberCategory.objects.filter(member__left_on__isnull=True)
        .values_list("category")
        .annotate(n=Count("pk"))
    )
    return render(
        request,
        "dues/categories.html",
        {
            "years": [
                {
                    "year": y["year"],
                    "rows": [(c, FeeCategory(c).label, y["rows"][c]) for c in FeeCategory.values],
                }
                for y in years
            ],
            "categories": [(c.value, c.label, counts.get(c.value, 0)) for c in FeeCategory],
            "households": Household.objects.count(),
            "fee_form": fee_form,
            "member_form": member_form,
            "page": page,
        },
    )


@requires(Perm.DUES_CHANGE)
@reads_personal_data("dues_households")
def households(request):
    listed = (
        Household.objects.select_related("payer").prefetch_related("members").order_by("name", "id")
    )
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("sida"))
    note_rows(request, len(page))
    return render(request, "dues/households.html", {"page": page})


def _household_form_page(request, *, household: Household | None):
    household_pk = household.pk if household is not None else None
    if household is None:
        initial = {}
    else:
        # The form names members by number; a household made in the admin may hold members
        # from before the registry, without one. Giving them theirs (idempotent) lets the form
        # show them; invoicing would give the same numbers anyway.
        if any(m.member_number is None for m in household.members.all()):
            member_numbers_assign(members=household.members.all())
            household = Household.objects.select_related("payer").prefetch_related("members")
            household = household.get(pk=household_pk)
        others = [m for m in household.members.all() if m.pk != household.payer_id]
        initial = {
            "name": household.name,
            "payer": household.payer.member_number or "",
            "members": ", ".join(str(m.member_number) for m in others),
        }
    form = HouseholdForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if household is None:
                household = services.household_create(
                    actor=request.user,
                    name=data["name"],
                    payer=data["payer"],
                    members=data["members"],
                    ip=client_ip(request),
                )
            else:
                services.household_update(
                    actor=request.user,
                    household=household,
                    name=data["name"],
                    payer=data["payer"],
                    members=data["members"],
                    ip=client_ip(request),
                )
        except DomainError as error:
            form.add_error("members", str(error))
        else:
            messages.success(request, _("Hushållet är sparat."))
            return redirect("dues:households")
    return render(request, "dues/household_form.html", {"form": form, "household": household})


@requires(Perm.DUES_CHANGE)
def household_create(request):
    return _household_form_page(request, household=None)


@requires(Perm.DUES_CHANGE)
@reads_personal_data("dues_household")
def household_edit(request, pk: int):
    household = get_object_or_404(
        Household.objects.select_related("payer").prefetch_related("members"), pk=pk
    )
    note_object(request, household)  # the read names the row, as every other read does
    return _household_form_page(request, household=household)
