"""Deterministic demo data served by the simulator.

Sanar video: specialities DP34 Family Medicine, DP12 Pediatrics, DP21 Dermatology,
DP45 Internal Medicine, DP50 Psychiatry; doctors ``EMP86190`` (Dr. Prince George, DP34,
"SAR 90") and more, one (``EMP86240``) without ``img``. Every doctor has slots ``S-HHMM``
every 30 minutes on each of the next 30 days (today in Riyadh included); about one in four is
``available: false``, decided by a hash of doctor id + date + slot id, so it never changes.

Sanar kids vaccination (``prd_id`` = ``demo_keys.SANAR_PRODUCT_CODE``): services
``VAC-HEPB``, ``VAC-MMR``, ``VAC-DTAP``, ``VAC-FLU`` and ``VAC-CONS`` (the one without
``age_group``); providers in Riyadh, Jeddah and Dammam (``PRV-RUH-01`` …), with slots
built the same way as the doctors'.

Sandicare (both environments, tenant of the demo keys): programs ``1001`` (general_medicine,
nutrition, psychology) and ``1002`` (all four services); program ``2001`` belongs to another
tenant. Demo patients:

- ``patient@example.org``, born ``1990-05-17``: active subscriptions to 1001 and 1002;
- ``nutrition.only@example.org``, born ``2001-02-03``: active subscription to 1002 only;
- ``expired@example.org``, born ``1985-11-02``: subscription to 1001, expired.
"""

import datetime
import hashlib
import math
from zoneinfo import ZoneInfo

BOOKING_HORIZON_DAYS = 30
PARTNER_TIMEZONE = ZoneInfo("Asia/Riyadh")  # Sanar's "today", the same as the portal's default TIME_ZONE


def partner_today() -> datetime.date:
    return datetime.datetime.now(PARTNER_TIMEZONE).date()


SPECIALITIES = [
    {"id": "DP34", "name": "Family Medicine"},
    {"id": "DP12", "name": "Pediatrics"},
    {"id": "DP21", "name": "Dermatology"},
    {"id": "DP45", "name": "Internal Medicine"},
    {"id": "DP50", "name": "Psychiatry"},
]
SPECIALITY_NAMES = {s["id"]: s["name"] for s in SPECIALITIES}

# doctor_id, spec_id, title, first, last, gender, rating, price, years, first slot hour, img
_DOCTOR_ROWS = [
    ("EMP86190", "DP34", "Dr.", "Prince", "George", "Male", 4.8, 90, 10, 9, True),
    ("EMP86205", "DP34", "Dr.", "Noura", "Al Harbi", "Female", 4.6, 90, 7, 13, True),
    ("EMP86212", "DP12", "Dr.", "Layla", "Haddad", "Female", 4.9, 120, 12, 9, True),
    ("EMP86227", "DP12", "Dr.", "Omar", "Saleh", "Male", 4.3, 110, 5, 16, True),
    ("EMP86233", "DP21", "Dr.", "Sara", "Qahtani", "Female", 4.7, 150, 9, 10, True),
    ("EMP86240", "DP21", "Dr.", "Yousef", "Mansour", "Male", 4.1, 140, 4, 14, False),
    ("EMP86258", "DP45", "Prof.", "Khalid", "Otaibi", "Male", 4.9, 200, 22, 8, True),
    ("EMP86263", "DP50", "Dr.", "Hana", "Shammari", "Female", 4.5, 180, 11, 11, True),
]
SLOTS_PER_DAY = 10  # every 30 minutes from the doctor's first hour


def _doctor(row) -> dict:
    doctor_id, spec_id, title, first, last, gender, rating, price, years, hour, has_img = row
    number = doctor_id[3:]
    return {
        "doctor_id": doctor_id,
        "spec_id": spec_id,
        "speciality": SPECIALITY_NAMES[spec_id],
        "rating": rating,
        "classification": "Consultant" if years >= 10 else "Specialist",
        "first_name": first,
        "last_name": last,
        "img": f"https://cdn.sanar.example/doctors/{doctor_id}.jpg" if has_img else None,
        "gender": gender,
        "title": title,
        "available_slot": f"{hour:02d}:00",
        "lang_spoken": "Arabic, English",
        "sub_speciality": "General" if spec_id == "DP34" else SPECIALITY_NAMES[spec_id],
        "name": f"{title} {first} {last}",
        "license_number": f"SCFHS-{number}",
        "national_id": f"10{number}0421",
        "qualifications": ["MBBS", f"Saudi Board of {SPECIALITY_NAMES[spec_id]}"],
        "pay_amount": f"SAR {price}",
        "total_experience": f"{years} years of experience",
    }


DOCTORS = {row[0]: _doctor(row) for row in _DOCTOR_ROWS}
DOCTOR_FIRST_HOUR = {row[0]: row[9] for row in _DOCTOR_ROWS}

PRODUCT_SERVICES = {
    "VAC-HEPB": {
        "name": "Hepatitis B (birth dose)",
        "price": "120.00",
        "age_group": "0-2 years",
        "description": "Hepatitis B vaccine for newborns and infants, given by a pediatric nurse.",
    },
    "VAC-MMR": {
        "name": "MMR (measles, mumps, rubella)",
        "price": "150.00",
        "age_group": "1-6 years",
        "description": "Combined measles, mumps and rubella vaccine, first or second dose.",
    },
    "VAC-DTAP": {
        "name": "DTaP-IPV booster",
        "price": "180.00",
        "age_group": "4-6 years",
        "description": "Diphtheria, tetanus, pertussis and polio pre-school booster.",
    },
    "VAC-FLU": {
        "name": "Seasonal influenza",
        "price": "95.00",
        "age_group": "6 months-18 years",
        "description": "This season's influenza vaccine.",
    },
    "VAC-CONS": {
        "name": "Vaccination record review",
        "price": "60.00",
        "age_group": None,
        "description": "A nurse reviews the child's vaccination card and plans the missing doses.",
    },
}
CURRENCY = "SAR"


def service_summary(service_id: str) -> dict:
    service = PRODUCT_SERVICES[service_id]
    summary = {"id": service_id, "name": service["name"], "price": service["price"], "currency": CURRENCY}
    if service["age_group"]:
        summary["age_group"] = service["age_group"]
    return summary


def service_details(service_id: str) -> dict:
    service = PRODUCT_SERVICES[service_id]
    return {
        "id": service_id,
        "name": service["name"],
        "description": service["description"],
        "inclusions": ["Vaccine dose", "Nurse visit", "Entry in the child's vaccination record"],
        "instructions": [
            "Bring the child's vaccination card.",
            "Tell the nurse about any fever or allergy before the dose.",
            "Stay 15 minutes after the dose for observation.",
        ],
        "price": service["price"],
        "currency": CURRENCY,
    }


CITY_CENTRES = {"riyadh": (24.7136, 46.6753), "jeddah": (21.4858, 39.1925), "dammam": (26.4207, 50.0888)}
ALL_SERVICES = frozenset(PRODUCT_SERVICES)
# provider_id, name, address, city, lat, lng, services offered, first slot hour
PROVIDERS = {
    row[0]: {
        "provider_id": row[0],
        "name": row[1],
        "address": row[2],
        "city": row[3],
        "lat": row[4],
        "lng": row[5],
        "services": row[6],
        "first_hour": row[7],
    }
    for row in [
        ("PRV-RUH-01", "Olaya Kids Clinic", "Olaya St, Al Olaya, Riyadh", "Riyadh", 24.6950, 46.6850, ALL_SERVICES, 8),
        (
            "PRV-RUH-02",
            "Malqa Family Vaccination Centre",
            "Anas Ibn Malik Rd, Al Malqa, Riyadh",
            "Riyadh",
            24.8070,
            46.6100,
            ALL_SERVICES - {"VAC-DTAP"},
            9,
        ),
        (
            "PRV-JED-01",
            "Rawdah Pediatric Clinic",
            "Prince Sultan St, Al Rawdah, Jeddah",
            "Jeddah",
            21.5600,
            39.1600,
            ALL_SERVICES,
            8,
        ),
        (
            "PRV-JED-02",
            "Andalus Child Health Centre",
            "Al Andalus, Jeddah",
            "Jeddah",
            21.5100,
            39.2200,
            ALL_SERVICES,
            10,
        ),
        ("PRV-DMM-01", "Shati Kids Clinic", "Al Shati, Dammam", "Dammam", 26.4340, 50.1030, ALL_SERVICES, 9),
        (
            "PRV-DMM-02",
            "Faisaliyah Vaccination Point",
            "Al Faisaliyah, Dammam",
            "Dammam",
            26.3920,
            50.0200,
            ALL_SERVICES - {"VAC-HEPB"},
            12,
        ),
    ]
}
NEARBY_KM = 75.0


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def in_horizon(day: datetime.date, today: datetime.date) -> bool:
    return today <= day < today + datetime.timedelta(days=BOOKING_HORIZON_DAYS)


def schedule(owner_id: str, day: datetime.date, first_hour: int, today: datetime.date) -> list[dict]:
    """The day's slots of a doctor or provider, before bookings: ``[]`` outside the horizon."""
    if not in_horizon(day, today):
        return []
    slots = []
    for index in range(SLOTS_PER_DAY):
        minutes = first_hour * 60 + 30 * index
        time = f"{minutes // 60:02d}:{minutes % 60:02d}"
        slot_id = "S-" + time.replace(":", "")
        digest = hashlib.sha256(f"{owner_id}|{day.isoformat()}|{slot_id}".encode()).digest()
        slots.append({"slot_id": slot_id, "time": time, "available": digest[0] % 4 != 0})
    return slots


# --- Sandicare -------------------------------------------------------------------------
DEMO_TENANT = "tenant-clinic-demo"
SANDICARE_SERVICES = ("general_medicine", "nutrition", "psychology", "internal_medicine")
SANDICARE_PROGRAMS = {
    "1001": {"tenant": DEMO_TENANT, "services": ("general_medicine", "nutrition", "psychology")},
    "1002": {"tenant": DEMO_TENANT, "services": SANDICARE_SERVICES},
    "2001": {"tenant": "tenant-other", "services": SANDICARE_SERVICES},
}
# email → date of birth and {program id: subscription valid until}
SANDICARE_PATIENTS = {
    "patient@example.org": {
        "date_of_birth": "1990-05-17",
        "subscriptions": {"1001": datetime.date(2099, 12, 31), "1002": datetime.date(2099, 12, 31)},
    },
    "nutrition.only@example.org": {
        "date_of_birth": "2001-02-03",
        "subscriptions": {"1002": datetime.date(2099, 12, 31)},
    },
    "expired@example.org": {
        "date_of_birth": "1985-11-02",
        "subscriptions": {"1001": datetime.date(2024, 1, 31)},
    },
    # International addresses (RFC 6531, IDN), registered in NFC as a Mexican patient types them.
    "josé.núñez@example.mx": {
        "date_of_birth": "1978-03-09",
        "subscriptions": {"1001": datetime.date(2099, 12, 31), "1002": datetime.date(2099, 12, 31)},
    },
    "maría@clínica.mx": {
        "date_of_birth": "1992-07-21",
        "subscriptions": {"1002": datetime.date(2099, 12, 31)},
    },
}
SERVICE_LINKS = {
    "nutrition": "https://care.sandicare.example/programs/{program}/nutrition",
    "psychology": "https://care.sandicare.example/programs/{program}/psychology",
    "internal_medicine": "https://care.sandicare.example/programs/{program}/internal-medicine",
}
NIMBO_WAITING_ROOM = "https://nimbo.example/waiting-room/{room}"
