"""pytest plugin: the ``partner_simulator`` fixture (the partner simulator on a free loopback port).

The fixture yields a ``PartnerSimulator`` already serving from a background thread, fresh for
each test: ``.url``, ``.base_url(code)`` (``sanar_video``, ``sanar_vaccination``,
``sandicare`` = sandbox, ``sandicare_production``), ``.inject(operation, fault, times=1,
sleep_s=None)``, ``.set_latency(ms)``, ``.set_read_timeout_sleep(seconds)``,
``.received(operation=None)``, ``.successful_creates(operation)``, ``.creates(operation=None)``,
``.faults()``, ``.reset()``.

``read_timeout_after_accept`` sleeps 5 s by default; stopping the server at the end of the test
wakes the sleeping thread, so a test that gave up earlier (its read timeout) does not wait.
"""

import pytest

from partner_simulator.server import PartnerSimulator


@pytest.fixture
def partner_simulator():
    simulator = PartnerSimulator("127.0.0.1", 0).start()
    try:
        yield simulator
    finally:
        simulator.stop()
