"""P1: one upstream step through the portal's client ÷ a plain ``requests`` call to the same endpoint.

The step is Sanar video ``GET /slots`` (signed): through ``sanar_video.slots`` it is signed,
sent on the pooled session, logged (a JSON log line and an ``UpstreamCall`` row) and parsed
into dataclasses. The plain call sends the same request, with headers signed once beforehand,
on its own keep-alive ``requests.Session`` and decodes the JSON. The two alternate, so both
see the same machine noise; the ratio is of the medians.
"""

import datetime
import time

import requests
from django.conf import settings
from django.utils import timezone

from bench.report import Result, median, ms
from partners import credentials
from partners.adapters import sanar_video
from partners.models import Partner, UpstreamCall
from partners.signing import cmt_signature, query_payload

DOCTOR = "EMP86190"
GOAL = 1.05


def run(*, samples: int, latency_ms: int) -> Result:
    credential = credentials.active_credential(Partner.Code.SANAR_VIDEO)
    day = timezone.localdate() + datetime.timedelta(days=1)
    payload = query_payload({"doctor_id": DOCTOR, "date": day.isoformat()})
    url = credential.base_url.rstrip("/") + "/slots"
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "User-Agent": settings.PARTNER_USER_AGENT,
        "Authorization": f"{credential.auth_prefix}{credential.auth_token.strip()}",
        "Cmt": cmt_signature(
            payload,
            secret=credential.cmt_secret,
            algorithm=credential.cmt_algorithm,
            encoding=credential.cmt_encoding,
        ),
    }
    plain_session = requests.Session()

    def portal() -> None:
        result = sanar_video.slots(credential, doctor_id=DOCTOR, date=day)
        assert result.slots, "the simulator answered no slots"

    def plain() -> None:
        response = plain_session.get(url, params=payload, headers=headers, timeout=(3.05, 15))
        body = response.json()
        assert str(body["status"]) == "1000", body

    calls_before = UpstreamCall.objects.count()
    for _ in range(5):  # warm up both connections and the code paths
        portal()
        plain()
    portal_times, plain_times = [], []
    for index in range(samples):
        pair = ((portal, portal_times), (plain, plain_times))
        for step, times in pair if index % 2 == 0 else reversed(pair):
            started = time.perf_counter()
            step()
            times.append(time.perf_counter() - started)
    rows = UpstreamCall.objects.count() - calls_before
    ratio = median(portal_times) / median(plain_times)
    return Result(
        id="P1",
        measure=f"upstream step via portal client ÷ plain requests (simulator {latency_ms} ms)",
        value=f"{ratio:.3f} ({ms(median(portal_times))} vs {ms(median(plain_times))})",
        goal=f"≤ {GOAL:.2f}",
        holds=ratio <= GOAL,
        details=[
            f"{samples} alternating pairs of signed GET /slots after 5 warm-up pairs; medians.",
            f"portal client: median {ms(median(portal_times))}, min {ms(min(portal_times))}, "
            f"max {ms(max(portal_times))}; plain requests: median {ms(median(plain_times))}, "
            f"min {ms(min(plain_times))}, max {ms(max(plain_times))}.",
            f"overhead of the portal client: {ms(median(portal_times) - median(plain_times))} per step "
            f"(signing, UpstreamCall row, JSON log line, parsing); {rows} UpstreamCall rows written.",
        ],
    )
