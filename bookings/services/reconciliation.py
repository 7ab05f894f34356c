"""Finance's writes: settlement imports (validate → report → confirm) and manual reconciliation."""

import hashlib
from dataclasses import asdict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from bookings.models import Booking, SettlementImport, SettlementLine
from bookings.reconciliation.matching import build_report
from bookings.reconciliation.parsing import parse_settlement_csv, read_upload
from bookings.services.transitions import booking_transition, lock_booking
from bookings.states import RECONCILABLE, Status
from partners.models import Partner

NOTHING_TO_CONFIRM = gettext_lazy("Nothing in this file matched a booking: there is nothing to confirm.")


def settlement_import_create(*, partner: Partner, uploaded_file, actor) -> tuple[SettlementImport, bool]:
    """Validate a partner's settlement file and store it with its report; ``(import, created)``.

    Raises ``SettlementFileError`` (every bad line listed) before anything is written. The
    same file uploaded again for the same partner returns the first import unchanged.
    """
    return _import_content(
        partner=partner, content=read_upload(uploaded_file), file_name=getattr(uploaded_file, "name", ""), actor=actor
    )


def settlement_import_recheck(*, import_id: int, partner: Partner, actor) -> tuple[SettlementImport, bool]:
    """The file of an earlier import, checked against another partner; ``(import, created)``.

    For a report that matched nothing because the wrong partner was chosen: finance need not
    find and upload the file again.
    """
    earlier = SettlementImport.objects.get(pk=import_id)
    return _import_content(partner=partner, content=bytes(earlier.content), file_name=earlier.file_name, actor=actor)


def _import_content(*, partner: Partner, content: bytes, file_name: str | None, actor) -> tuple[SettlementImport, bool]:
    digest = hashlib.sha256(content).hexdigest()
    if existing := _existing_import(partner, digest):
        return existing, False
    rows = parse_settlement_csv(content)
    report = build_report(partner=partner, rows=rows)
    try:
        with transaction.atomic():
            settlement = SettlementImport.objects.create(
                partner=partner,
                file_name=(file_name or "settlement.csv")[:255],
                content=content,
                sha256=digest,
                row_count=len(rows),
                summary=report.summary,
                uploaded_by=actor,
            )
            SettlementLine.objects.bulk_create(
                # A report line holds exactly the columns of a stored line.
                [SettlementLine(settlement_import=settlement, **asdict(line)) for line in report.lines],
                batch_size=2000,
            )
    except IntegrityError:
        # The same file uploaded twice at the same moment: the first upload is the import.
        if existing := _existing_import(partner, digest):
            return existing, False
        raise
    return settlement, True


def _existing_import(partner: Partner, digest: str) -> SettlementImport | None:
    return SettlementImport.objects.defer("content").filter(partner=partner, sha256=digest).first()


def settlement_import_confirm(*, import_id: int, actor) -> SettlementImport:
    """Reconcile the import's matched bookings; confirming twice changes nothing.

    A matched booking that changed since the report (another import reconciled it, its
    amount was corrected) is skipped and listed in ``summary["confirmation"]["skipped"]``.
    """
    with transaction.atomic():
        settlement = SettlementImport.objects.select_for_update().defer("content").get(pk=import_id)
        if settlement.is_confirmed:
            return settlement
        if not settlement.matched_count:
            raise ValidationError(NOTHING_TO_CONFIRM, code="nothing_matched")
        matched = (
            settlement.lines.filter(category=SettlementLine.Category.MATCHED, booking__isnull=False)
            .order_by("booking_id")  # a stable lock order
            .values_list("booking_id", "line_number", "amount", "currency")
        )
        reconciled, skipped = 0, []
        for booking_id, line_number, amount, currency in matched:
            booking = lock_booking(booking_id)
            if booking.status not in RECONCILABLE or booking.currency != currency or booking.amount != amount:
                skipped.append(
                    {
                        "line": line_number,
                        "booking": str(booking),
                        # Read by the report in the reader's language (``templates/.../settlement_report.html``).
                        "status": booking.status,
                        "amount": str(booking.amount) if booking.amount is not None else "",
                        "currency": booking.currency,
                    }
                )
                continue
            booking.settlement_import = settlement
            booking_transition(
                booking=booking,
                to=Status.RECONCILED,
                actor=actor,
                reason=gettext_noop("Settlement import #%(import)s, line %(line)s"),
                reason_params={"import": settlement.pk, "line": line_number},
                update_fields=("settlement_import",),
            )
            reconciled += 1
        settlement.state = SettlementImport.State.CONFIRMED
        settlement.confirmed_by = actor
        settlement.confirmed_at = timezone.now()
        settlement.summary = {**settlement.summary, "confirmation": {"reconciled": reconciled, "skipped": skipped}}
        settlement.save(update_fields=["state", "confirmed_by", "confirmed_at", "summary"])
    return settlement


def settlement_line_resolve(*, line_id: int, resolution: str, note: str, actor) -> SettlementLine:
    """Finance marks a line that did not match as disputed with the partner, or explains it.

    An explanation needs a note; a dispute may carry one. Deciding again replaces the decision
    (who and when are those of the latest); an empty ``resolution`` reopens the line.
    """
    note = note.strip()
    if resolution and resolution not in SettlementLine.Resolution.values:
        raise ValidationError({"resolution": _("Choose disputed or explained.")})
    if resolution == SettlementLine.Resolution.EXPLAINED and not note:
        raise ValidationError(
            {"note": _("Say what explains the difference, e.g. a credit note or the partner's answer.")}
        )
    with transaction.atomic():
        line = SettlementLine.objects.select_for_update(of=("self",)).get(pk=line_id)
        if line.category == SettlementLine.Category.MATCHED:
            raise ValidationError(_("A matched line needs no decision."), code="matched")
        line.resolution = resolution
        line.resolution_note = note if resolution else ""
        line.resolved_by = actor if resolution else None
        line.resolved_at = timezone.now() if resolution else None
        line.save(update_fields=["resolution", "resolution_note", "resolved_by", "resolved_at"])
    return line


def booking_mark_reconciled(*, booking_id: int, actor, reason: str) -> Booking:
    """Finance checked a payment by hand (no settlement file): awaiting payment / enrolled → reconciled."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say how the payment was checked, e.g. the bank transfer reference.")})
    with transaction.atomic():
        booking = lock_booking(booking_id)
        return booking_transition(
            booking=booking,
            to=Status.RECONCILED,
            actor=actor,
            reason=gettext_noop("Marked reconciled: %(note)s"),
            reason_params={"note": reason.strip()},
        )
