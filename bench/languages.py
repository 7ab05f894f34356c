"""P8: the same page in Arabic and in English, alternating request by request; ratio of medians.

The page is the bookings list as finance opens it (50 rows of dates, amounts, statuses and the
filter form), through the full URL and middleware stack (test ``Client``, logged in); the
language is chosen by the language cookie, as the menu sets it. Both clients are the same
user with no saved preference, so only the language differs.
"""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from bench.report import Result, median, ms, percentile
from partner_simulator.demo_second_factor import give_second_factor

GOAL = 1.10


def _client(language: str) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    user = get_user_model().objects.get(username="finance")
    client.force_login(user)
    give_second_factor(client, user)  # finance signs in with a code too
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def run(*, samples: int, size: int) -> Result:
    url = reverse("bookings:list")
    clients = {"en": _client("en"), "ar": _client("ar")}
    times: dict[str, list[float]] = {language: [] for language in clients}

    def get(language: str) -> bytes:
        response = clients[language].get(url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} in {language} answered {response.status_code}")
        return response.content

    for _ in range(3):
        for language in clients:
            get(language)
    if b'lang="ar"' not in get("ar") or b'lang="en"' not in get("en"):
        raise RuntimeError("the language cookie did not choose the page's language")
    for index in range(samples):
        order = ("en", "ar") if index % 2 == 0 else ("ar", "en")
        for language in order:
            started = time.perf_counter()
            get(language)
            times[language].append(time.perf_counter() - started)
    ratio = median(times["ar"]) / median(times["en"])
    return Result(
        id="P8",
        measure="bookings list page in Arabic ÷ the same page in English",
        value=f"{ratio:.3f} ({ms(median(times['ar']))} vs {ms(median(times['en']))})",
        goal=f"≤ {GOAL:.2f}",
        holds=ratio <= GOAL,
        details=[
            f"`{url}` (50 rows) as the demo finance user at {size:,} bookings, language cookie `ar` or `en`; "
            f"{samples} alternating pairs after 3 warm-ups; ratio of medians.",
            f"Arabic: p50 {ms(median(times['ar']))}, p95 {ms(percentile(times['ar'], 0.95))}; "
            f"English: p50 {ms(median(times['en']))}, p95 {ms(percentile(times['en'], 0.95))}.",
        ],
    )
