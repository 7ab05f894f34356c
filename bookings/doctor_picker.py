"""The video consultation's doctor picker: filters by name, gender and spoken language over the
stored catalogue (no partner call), and the rating count where Sanar sends one."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import QueryDict

from partners.models import Doctor

# CONTRACT.md §2 lists a bare ``rating``; a count, if Sanar adds one, is read under these names.
RATING_COUNT_KEYS = ("rating_count", "ratings_count", "reviews_count", "review_count")


@dataclass(frozen=True)
class DoctorFilters:
    name: str = ""
    gender: str = ""
    language: str = ""

    @classmethod
    def from_query(cls, query: QueryDict) -> "DoctorFilters":
        return cls(*(query.get(key, "").strip()[:100] for key in ("name", "gender", "language")))

    @property
    def active(self) -> bool:
        return bool(self.name or self.gender or self.language)

    def apply(self, doctors: QuerySet[Doctor]) -> QuerySet[Doctor]:
        if self.name:
            doctors = doctors.filter(name__icontains=self.name)
        if self.gender:
            doctors = doctors.filter(gender__iexact=self.gender)
        if self.language:
            doctors = doctors.filter(languages__contains=[self.language])
        return doctors


def filter_choices(doctors: QuerySet[Doctor]) -> dict[str, list[str]]:
    """The genders and languages the listed doctors have, for the filter menus."""
    genders, languages = set(), set()
    for gender, spoken in doctors.values_list("gender", "languages"):
        if gender:
            genders.add(gender)
        languages.update(language for language in spoken or [] if isinstance(language, str) and language)
    return {"genders": sorted(genders), "languages": sorted(languages)}


def rating_count(raw: dict) -> int | None:
    for key in RATING_COUNT_KEYS:
        value = raw.get(key) if isinstance(raw, dict) else None
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            return int(value)
    return None
