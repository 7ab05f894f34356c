"""The booking flows' shared skeleton: which steps a partner product's flow has, in order.

Each flow module registers its steps with ``register``; resuming a draft, the step
breadcrumb and "go back to fix it" after a partner answer all read this registry.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise

from bookings.models import Booking


@dataclass(frozen=True)
class Step:
    key: str
    title: str | Promise
    url_name: str
    is_done: Callable[[Booking], bool]
    # Nothing to fill in: it shows what the step before chose, so it follows that step every time.
    shows_previous: bool = False


@dataclass(frozen=True)
class Flow:
    partner_code: str
    start_url_name: str
    steps: tuple[Step, ...]
    # Where staff go back to after a partner answer: {"slot_unavailable": step key, ...}, and
    # "partner_failure": where they choose another slot or provider once the retries gave up.
    recovery_steps: dict[str, str]

    def step(self, key: str) -> Step:
        return next(step for step in self.steps if step.key == key)

    def step_url(self, booking: Booking, key: str) -> str:
        return reverse(self.step(key).url_name, args=[booking.pk])

    def next_step_url(self, booking: Booking, *, after: str = "") -> str:
        """The first unfinished step (after the step ``after``, when given): a booking the partner
        sent back to one step continues past the steps that are still complete."""
        keys = [step.key for step in self.steps]
        following = self.steps[keys.index(after) + 1 :] if after else self.steps
        for position, step in enumerate(following):
            if not step.is_done(booking) or (after and position == 0 and step.shows_previous):
                return reverse(step.url_name, args=[booking.pk])
        return reverse(self.steps[-1].url_name, args=[booking.pk])

    def recovery_url(self, booking: Booking, outcome: str) -> str | None:
        key = self.recovery_steps.get(outcome)
        return self.step_url(booking, key) if key else None


_FLOWS: dict[str, Flow] = {}


def register(flow: Flow) -> Flow:
    _FLOWS[flow.partner_code] = flow
    return flow


def flow_for(booking_or_code) -> Flow | None:
    code = booking_or_code if isinstance(booking_or_code, str) else booking_or_code.partner.code
    return _FLOWS.get(code)
