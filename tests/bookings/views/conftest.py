"""Fixtures of the Sanar flows' view tests. A module (or a parametrized ``flow``) says which flow."""

import pytest

from tests.bookings.views.flow_cases import MAX_RETRIES


@pytest.fixture
def catalogue(flow, request):
    """The flow's catalogue as a sync would have stored it; the partner itself is mocked."""
    if flow.catalogue_credential:
        request.getfixturevalue(flow.catalogue_credential)
    flow.make_catalogue()


@pytest.fixture
def complete_draft(flow, operations_user, catalogue):
    return flow.draft(operations_user, through=flow.stages[-1])


@pytest.fixture
def fake_read(flow, monkeypatch, request):
    """The slot page's partner read (``slots``, ``browse``) answered by the flow's fake; records calls."""
    request.getfixturevalue(flow.read_credential)
    fake = flow.fake_read()
    monkeypatch.setattr(flow.adapter, flow.read, fake)
    return fake


@pytest.fixture
def simulator_credential(flow, partners, partner_simulator, settings):
    """The flow's credential on the partner simulator, with short timeouts and retries."""
    settings.PARTNER_FORBID_CALLS_IN_TRANSACTION = False
    settings.PARTNER_READ_TIMEOUT = 1.0
    settings.PARTNER_MAX_RETRIES = MAX_RETRIES
    return flow.simulator_credential(partner_simulator)


@pytest.fixture
def synced_catalogue(flow, simulator_credential):
    """The flow's catalogue as synced from the simulator."""
    report = flow.sync_catalogue()
    assert report.ok, report.errors
