"""Dues: the year's fees, each member's invoice with its OCR reference, payments, bank files
and the reminders that chase unpaid dues. One floor above members.

The tables keep the names they had while these models lived in `members` (db_table), so the
move (migrations dues 0001 / members 0006) changed no table and no row.
"""

import datetime
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import Member, User


class FeeCategory(models.TextChoices):
    ORDINARY = "ordinarie", _("Ordinarie")
    YOUTH = "ungdom", _("Ungdom/student")
    FAMILY = "familj", _("Familj")


class Fee(models.Model):
    """One line of a year's fee schedule, e.g. ordinary, youth, family."""

    year = models.PositiveSmallIntegerField(_("år"))
    name = models.CharField(_("avgift"), max_length=100)
    amount = models.DecimalField(_("belopp"), max_digits=8, decimal_places=2)
    due_on = models.DateField(_("förfallodag"))
    is_default = models.BooleanField(_("standard"), default=False)
    # Which members pay it; a family fee is invoiced once per household, to its payer. The
    # name and the amount are the kassör's to choose each year.
    category = models.CharField(
        _("kategori"), max_length=10, choices=FeeCategory.choices, default=FeeCategory.ORDINARY
    )

    class Meta:
        db_table = "members_fee"
        ordering = ["-year", "-is_default", "name"]
        verbose_name = _("avgift")
        verbose_name_plural = _("avgifter")
        constraints = [models.UniqueConstraint(fields=["year", "name"], name="unique_fee_name")]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"


class PaymentMethod(models.TextChoices):
    SWISH = "swish", _("Swish")
    BANKGIRO = "bankgiro", _("Bankgiro")
    CASH = "kontant", _("Kontant")
    OTHER = "annat", _("Annat")


class DuesStatus(models.TextChoices):
    PAID = "betald", _("Betald")
    PART_PAID = "delbetald", _("Delbetald")
    UNPAID = "obetald", _("Obetald")
    OVERDUE = "forfallen", _("Förfallen")
    WRITTEN_OFF = "avskriven", _("Avskriven")


def dues_status(*, amount, paid, due_on: datetime.date, today: datetime.date) -> str:
    """Paid in full, else overdue once the due date has passed, else part paid or unpaid."""
    if paid >= amount:
        return DuesStatus.PAID
    if due_on < today:
        return DuesStatus.OVERDUE
    return DuesStatus.PART_PAID if paid > 0 else DuesStatus.UNPAID


class DuesInvoice(models.Model):
    """What one member owes for one year, with its OCR reference."""

    member = models.ForeignKey(
        Member, verbose_name=_("medlem"), on_delete=models.PROTECT, related_name="invoices"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    fee = models.ForeignKey(
        Fee, verbose_name=_("avgift"), on_delete=models.PROTECT, related_name="invoices"
    )
    amount = models.DecimalField(_("belopp"), max_digits=8, decimal_places=2)
    ocr = models.CharField(_("OCR-nummer"), max_length=25, unique=True)
    due_on = models.DateField(_("förfallodag"))
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    # When the invoice was handed to the mail engine (or printed): reminders chase only what was
    # sent, and the fee can no longer be edited once one invoice of its year is sent.
    sent_at = models.DateTimeField(_("skickad"), null=True, blank=True)
    # What has been paid, kept by payment_register/payment_reverse in the same transaction as
    # the payment (checked against the payments in tests): one index answers the reminder
    # selection and the unpaid filter without summing payments per invoice.
    paid_amount = models.DecimalField(
        _("betalt"), max_digits=10, decimal_places=2, default=Decimal("0.00")
    )
    # A debt given up (with a reason): the invoice counts as settled, its payments stay.
    written_off_on = models.DateField(_("avskriven"), null=True, blank=True)
    write_off_reason = models.CharField(_("orsak till avskrivning"), max_length=200, blank=True)
    # An overpayment the kassör has dealt with: refunded (recorded) or kept as a gift.
    # The household this invoice covers (family fee): its members count as paid when it is.
    household = models.ForeignKey(
        "Household",
        verbose_name=_("hushåll"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    overpayment_settled = models.CharField(
        _("överbetalning"),
        max_length=10,
        blank=True,
        choices=[("aterbetald", _("Återbetald")), ("gava", _("Behållen som gåva"))],
    )

    class Meta:
        db_table = "members_duesinvoice"
        ordering = ["-year", "member__last_name", "member__first_name", "id"]
        verbose_name = _("avgiftsavi")
        verbose_name_plural = _("avgiftsavier")
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="one_invoice_per_member_year")
        ]
        indexes = [
            models.Index(fields=["year", "due_on"]),
            # The invoices still owed, and only those (a third of a year's at most): reminder
            # selection and the registry's "obetald" filter read this index instead of the
            # year's every invoice. Its condition is the filters' own, `paid_amount < amount`
            # included, so PostgreSQL sees that the index answers them.
            # The columns those read are included, so the index alone answers them.
            models.Index(
                fields=["year", "due_on"],
                name="dues_inv_owed_by_due",
                include=["id", "member", "amount", "paid_amount", "sent_at"],
                condition=models.Q(paid_amount__lt=models.F("amount"), written_off_on__isnull=True),
            ),
            # The year's figures (counts per status, sums) from the index alone.
            models.Index(
                fields=["year"],
                name="dues_inv_year_figures",
                include=["amount", "paid_amount", "due_on", "written_off_on"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.year} ({self.ocr})"

    def status(self, *, paid, today: datetime.date) -> str:
        if self.written_off_on is not None and paid < self.amount:
            return DuesStatus.WRITTEN_OFF
        return dues_status(amount=self.amount, paid=paid, due_on=self.due_on, today=today)

    @property
    def left_to_pay(self) -> Decimal:
        """What a reminder asks for: the fee minus what is paid, never below zero."""
        return max(self.amount - self.paid_amount, Decimal("0.00"))


class Payment(models.Model):
    """Money received against an invoice; part payments add up."""

    invoice = models.ForeignKey(
        DuesInvoice, verbose_name=_("avi"), on_delete=models.PROTECT, related_name="payments"
    )
    paid_on = models.DateField(_("betald"))
    amount = models.DecimalField(_("belopp"), max_digits=8, decimal_places=2)
    method = models.CharField(_("sätt"), max_length=10, choices=PaymentMethod.choices)
    reference = models.CharField(_("referens"), max_length=100, blank=True)
    registered_by = models.ForeignKey(
        User,
        verbose_name=_("registrerad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("registrerad"), auto_now_add=True)
    # A payment is never deleted: it is reversed by a counter-entry of the opposite amount
    # (a bank's return, or a payment registered by mistake), so every sum stays a plain sum.
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("rättar"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
    )
    reason = models.CharField(_("orsak"), max_length=200, blank=True)

    class Meta:
        db_table = "members_payment"
        ordering = ["paid_on", "id"]
        verbose_name = _("betalning")
        verbose_name_plural = _("betalningar")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reverses__isnull=True, amount__gt=0)
                | models.Q(reverses__isnull=False, amount__lt=0),
                name="payment_positive_or_reversal_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.paid_on}"


class BankFile(models.Model):
    """An uploaded camt.054/camt.053 file."""

    name = models.CharField(_("fil"), max_length=200)
    kind = models.CharField(_("typ"), max_length=10)
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("uppladdad"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the file held that is not an entry: transactions read before (by bank reference)
    # and transactions refused on their own (another currency, 0 kr, absurd), with the reasons.
    already = models.PositiveIntegerField(_("redan inlästa"), default=0)
    refused = models.JSONField(_("avvisade"), default=list, blank=True)

    class Meta:
        db_table = "members_bankfile"
        ordering = ["-uploaded_at"]
        verbose_name = _("bankfil")
        verbose_name_plural = _("bankfiler")

    def __str__(self) -> str:
        return self.name


class BankEntry(models.Model):
    """One incoming credit from a bank file; booked when its reference matches an OCR."""

    file = models.ForeignKey(BankFile, on_delete=models.CASCADE, related_name="entries")
    # The bank's own reference for the transaction: a file imported twice books nothing twice.
    bank_ref = models.CharField(_("bankens referens"), max_length=200, unique=True)
    booked_on = models.DateField(_("bokföringsdag"))
    amount = models.DecimalField(_("belopp"), max_digits=10, decimal_places=2)
    reference = models.CharField(_("referens"), max_length=140, blank=True)
    payer = models.CharField(_("betalare"), max_length=140, blank=True)
    payment = models.OneToOneField(
        Payment, null=True, blank=True, on_delete=models.SET_NULL, related_name="bank_entry"
    )
    dismissed = models.BooleanField(_("avfärdad"), default=False)

    class Meta:
        db_table = "members_bankentry"
        ordering = ["booked_on", "id"]
        verbose_name = _("bankpost")
        verbose_name_plural = _("bankposter")

    def __str__(self) -> str:
        return f"{self.booked_on} {self.amount} {self.reference}"


class DuesReminder(models.Model):
    """One step of chasing unpaid dues. The unique constraint makes each step happen once."""

    class Step(models.IntegerChoices):
        FIRST = 1, _("Påminnelse 1")
        SECOND = 2, _("Påminnelse 2")
        CONTACT = 3, _("Personlig kontakt")

    invoice = models.ForeignKey(
        DuesInvoice, verbose_name=_("avi"), on_delete=models.CASCADE, related_name="reminders"
    )
    step = models.PositiveSmallIntegerField(_("steg"), choices=Step.choices)
    created_on = models.DateField(_("datum"))
    sent_at = models.DateTimeField(_("skickad"), null=True, blank=True)

    class Meta:
        db_table = "members_duesreminder"
        ordering = ["invoice", "step"]
        verbose_name = _("påminnelse")
        verbose_name_plural = _("påminnelser")
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "step"], name="one_reminder_step_per_invoice"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()}: {self.invoice}"


class CreditNote(models.Model):
    """A correction of an invoice already sent (kreditering): the invoice's amount is lowered
    by it in the same transaction, and the note says by how much, why and who; nothing is
    deleted or rewritten silently."""

    invoice = models.ForeignKey(
        DuesInvoice, verbose_name=_("avi"), on_delete=models.PROTECT, related_name="credit_notes"
    )
    amount = models.DecimalField(_("krediterat belopp"), max_digits=8, decimal_places=2)
    reason = models.CharField(_("orsak"), max_length=200)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("kreditering")
        verbose_name_plural = _("krediteringar")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="credit_note_positive")
        ]

    def __str__(self) -> str:
        return f"-{self.amount} {self.invoice}"


class Household(models.Model):
    """Members who pay one family fee together, invoiced to one payer."""

    name = models.CharField(_("hushåll"), max_length=100)
    payer = models.ForeignKey(
        Member, verbose_name=_("betalare"), on_delete=models.PROTECT, related_name="+"
    )
    members = models.ManyToManyField(
        Member, verbose_name=_("medlemmar"), related_name="households", blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("hushåll")
        verbose_name_plural = _("hushåll")

    def __str__(self) -> str:
        return self.name


class MemberCategory(models.Model):
    """A member's fee category (ordinary unless set); a household's members pay the family
    fee through the household instead."""

    member = models.OneToOneField(
        Member, primary_key=True, on_delete=models.CASCADE, related_name="dues_category"
    )
    category = models.CharField(_("kategori"), max_length=10, choices=FeeCategory.choices)

    class Meta:
        verbose_name = _("avgiftskategori")
        verbose_name_plural = _("avgiftskategorier")

    def __str__(self) -> str:
        return f"{self.member_id}: {self.category}"
