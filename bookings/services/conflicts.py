"""Deadlocks and serialization failures: PostgreSQL aborts one of the transactions involved.

The lock order (``transitions``) makes them rare; what remains is retried here. A service
decorated with ``on_conflict`` runs its transactions again from the start, which is safe
because each booking write checks the state it finds under the lock (a second run finds the
work done). Inside an outer transaction nothing can be retried: the error goes up.
"""

import functools
import logging
import time

from django.db import DatabaseError, InterfaceError, OperationalError, connection

logger = logging.getLogger(__name__)

# deadlock_detected, serialization_failure
CONFLICT_SQLSTATES = frozenset({"40P01", "40001"})


def is_conflict(error: BaseException) -> bool:
    cause = error.__cause__
    return isinstance(error, OperationalError) and getattr(cause, "sqlstate", None) in CONFLICT_SQLSTATES


def on_conflict(*, attempts: int, pause_s: float = 0.05, connection_lost: bool = False):
    """Run the service up to ``attempts`` times while it fails on a deadlock or serialization
    failure (and, with ``connection_lost``, on any other operational error such as a lost
    connection, which is closed so the next run opens a new one); the pause doubles."""

    def decorate(service):
        @functools.wraps(service)
        def run(*args, **kwargs):
            for attempt in range(1, attempts + 1):
                try:
                    return service(*args, **kwargs)
                except DatabaseError as error:
                    retryable = is_conflict(error) or (
                        connection_lost and isinstance(error, InterfaceError | OperationalError)
                    )
                    if not retryable or attempt == attempts or connection.in_atomic_block:
                        raise
                    logger.warning(
                        "%s: %s (attempt %s of %s), running it again", service.__name__, error, attempt, attempts
                    )
                    if not is_conflict(error):
                        connection.close()
                    time.sleep(pause_s * 2 ** (attempt - 1))
            raise AssertionError("unreachable")

        return run

    return decorate
