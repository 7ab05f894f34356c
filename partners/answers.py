"""The raw answers a block of code received from partners, for the contract check to read.

``PartnerClient`` notes every answer here; nothing is kept unless ``observed()`` is open.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Answer:
    operation: str
    http_status: int
    body: bytes


_seen: ContextVar[list[Answer] | None] = ContextVar("partner_answers_seen", default=None)


@contextmanager
def observed() -> Iterator[list[Answer]]:
    answers: list[Answer] = []
    token = _seen.set(answers)
    try:
        yield answers
    finally:
        _seen.reset(token)


def note(operation: str, http_status: int, body: bytes) -> None:
    if (answers := _seen.get()) is not None:
        answers.append(Answer(operation, http_status, body))
