"""Each create call × each fault the simulator can inject, through a real Celery worker.

For every cell: the end state CONTRACT.md §5 defines, every attempt stored with its status,
at most one create at the partner, and nothing staff entered lost. The table is printed at
the end of the run (conftest).
"""

import contextlib

import pytest

from partners.models import Partner
from tests.reliability import report
from tests.reliability.faults import ROWS
from tests.reliability.infra import closed_port, unreachable_port

pytestmark = pytest.mark.worker
PARTNERS = (Partner.Code.SANAR_VIDEO, Partner.Code.SANAR_VACCINATION, Partner.Code.SANDICARE)


@contextlib.contextmanager
def connection_fault(portal, kind):
    """Point the credentials at a loopback port that times out or refuses; the simulator otherwise."""
    if kind is None:
        yield
        return
    with contextlib.ExitStack() as stack:
        port = stack.enter_context(unreachable_port()) if kind == "unreachable" else closed_port()
        portal.point_at(port)
        stack.callback(portal.point_at, None)
        yield


@pytest.mark.parametrize("row", ROWS, ids=[row.label for row in ROWS])
def test_fault_matrix(celery_worker_process, portal, row):
    cases = [portal.draft(code, row) for code in PARTNERS if row.applies_to(code)]
    with connection_fault(portal, row.connection):
        for case in cases:  # all cells of the row run at once
            portal.submit(case)
        portal.settle(cases, timeout=60)
    failures = {}
    for case in cases:
        if problems := portal.check(case):
            failures[f"{row.label} × {case.partner_code}"] = problems
        report.record_cell(row, case, creates=portal.router.creates[case.reference])
    assert not failures, f"{failures}\n{celery_worker_process.log()[-3000:]}"
