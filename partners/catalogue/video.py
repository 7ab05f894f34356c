"""Mirror Sanar video consultation specialities and doctors into the database.

Partner I/O goes through the adapter only, and never inside a transaction: each answer is
fetched first, then stored in its own short transaction. A speciality whose doctors could
not be fetched keeps its previous doctors; rows Sanar no longer lists are marked inactive.
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from partners.adapters import sanar_video
from partners.catalogue.base import SyncReport, sync_catalogue
from partners.errors import NotFound, PartnerError
from partners.models import Doctor, Partner, Speciality

PARTNER_CODE = Partner.Code.SANAR_VIDEO


def sync_video_catalogue(credential=None) -> SyncReport:
    """Fetch every speciality and its doctors from Sanar and upsert them."""
    return sync_catalogue(
        PARTNER_CODE,
        credential,
        fetch=sanar_video.specialities,
        store=lambda _credential, specialities, report: _store_specialities(specialities, report),
        each=lambda credential, speciality, report: _sync_doctors(credential, speciality.id, report),
    )


def sync_video_doctors(*, speciality_id: str, credential=None) -> SyncReport:
    """Refresh one speciality's doctors (after Sanar said a doctor is no longer known)."""
    report = SyncReport(PARTNER_CODE)
    credential = report.credential(credential)
    if credential:
        _sync_doctors(credential, speciality_id, report)
    return report


def last_synced_at():
    """When the video catalogue last came from Sanar (None: never)."""
    return Speciality.objects.order_by("-synced_at").values_list("synced_at", flat=True).first()


def _store_specialities(specialities, report: SyncReport) -> None:
    now = timezone.now()
    with transaction.atomic():
        for item in specialities:
            _, created = Speciality.objects.update_or_create(
                speciality_id=item.id,
                defaults={"name": item.name, "raw": item.raw or {}, "is_active": True, "synced_at": now},
            )
            report.count(created)
        delisted = Speciality.objects.filter(is_active=True).exclude(
            speciality_id__in=[item.id for item in specialities]
        )
        report.deactivated += Doctor.objects.filter(speciality__in=delisted, is_active=True).update(is_active=False)
        report.deactivated += delisted.update(is_active=False)


def _sync_doctors(credential, speciality_id: str, report: SyncReport) -> None:
    try:
        doctors = sanar_video.doctors(credential, spec_id=speciality_id)
    except NotFound:
        # Sanar no longer knows the speciality: stop offering it and its doctors.
        with transaction.atomic():
            report.deactivated += Speciality.objects.filter(speciality_id=speciality_id, is_active=True).update(
                is_active=False
            )
            report.deactivated += Doctor.objects.filter(speciality__speciality_id=speciality_id, is_active=True).update(
                is_active=False
            )
        return
    except PartnerError as error:
        report.errors.append(f"doctors of {speciality_id}: {error.partner_message}")
        return
    now = timezone.now()
    with transaction.atomic():
        speciality = Speciality.objects.filter(speciality_id=speciality_id).first()
        if speciality is None:
            return
        for item in doctors:
            _, created = Doctor.objects.update_or_create(
                doctor_id=item.doctor_id, defaults=_doctor_columns(item, speciality, now)
            )
            report.count(created)
        listed = [item.doctor_id for item in doctors]
        report.deactivated += (
            speciality.doctors.filter(is_active=True).exclude(doctor_id__in=listed).update(is_active=False)
        )
        Speciality.objects.filter(pk=speciality.pk).update(synced_at=now)


def _doctor_columns(item, speciality: Speciality, now) -> dict:
    """One adapter ``Doctor`` → the promoted columns staff sort and filter on."""
    return {
        "speciality": speciality,
        "name": item.name or " ".join(filter(None, [item.title, item.first_name, item.last_name])),
        "title": item.title or "",
        "first_name": item.first_name or "",
        "last_name": item.last_name or "",
        "img": item.img or "",
        "gender": item.gender or "",
        "rating": _decimal(item.rating),
        "classification": item.classification or "",
        "sub_speciality": item.sub_speciality or "",
        "languages": list(item.languages or []),
        "experience": item.experience or "",
        "available_slot": item.available_slot or "",
        "price_amount": item.price.amount if item.price else None,
        "price_currency": item.price.currency if item.price else "",
        "license_number": item.license_number or "",
        "qualifications": list(item.qualifications or []),
        "raw": item.raw or {},
        "is_active": True,
        "synced_at": now,
    }


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None
