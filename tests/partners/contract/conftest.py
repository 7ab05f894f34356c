import pytest

from partner_simulator import demo_keys
from partners.models import Credential, Partner


@pytest.fixture(autouse=True)
def contract_settings(settings, tmp_path):
    # The `db` fixture wraps each test in a transaction; the client refuses to call out in one.
    settings.PARTNER_FORBID_CALLS_IN_TRANSACTION = False
    settings.PARTNER_SAMPLES_DIR = tmp_path / "partner_samples"
    return settings


@pytest.fixture
def video_credential(partners, partner_simulator):
    return Credential.objects.create(
        partner=partners[Partner.Code.SANAR_VIDEO],
        environment=Credential.Environment.SANDBOX,
        base_url=partner_simulator.base_url("sanar_video"),
        auth_token=demo_keys.SANAR_TOKEN,
        cmt_secret=demo_keys.SANAR_CMT_SECRET,
    )


@pytest.fixture
def vaccination_credential(partners, partner_simulator):
    return Credential.objects.create(
        partner=partners[Partner.Code.SANAR_VACCINATION],
        environment=Credential.Environment.SANDBOX,
        base_url=partner_simulator.base_url("sanar_vaccination"),
        auth_token=demo_keys.SANAR_TOKEN,
        cmt_secret=demo_keys.SANAR_CMT_SECRET,
        product_code=demo_keys.SANAR_PRODUCT_CODE,
    )
