import pytest

from tests.bookings.views import vaccination_support, video_support


@pytest.fixture(autouse=True)
def contract_settings(settings, tmp_path):
    # The `db` fixture wraps each test in a transaction; the client refuses to call out in one.
    settings.PARTNER_FORBID_CALLS_IN_TRANSACTION = False
    settings.PARTNER_SAMPLES_DIR = tmp_path / "partner_samples"
    return settings


@pytest.fixture
def video_credential(partners, partner_simulator):
    return video_support.simulator_credential(partner_simulator)


@pytest.fixture
def vaccination_credential(partners, partner_simulator):
    return vaccination_support.simulator_credential(partner_simulator)
