"""Every contract outcome, for every operation of both Sanar adapters (CONTRACT.md §1).

What one adapter's answers hold (parsed fields, payload shapes) is tested in
test_sanar_video_adapter.py and test_sanar_vaccination_adapter.py.
"""

import pytest

from partner_simulator import demo_keys
from partners.errors import SignatureMismatch
from partners.models import Credential, UpstreamCall
from partners.signing import cmt_signature
from tests.partners.sanar_adapter_cases import SANAR_ADAPTERS
from tests.partners.test_client import SANAR_FAULTS, envelope

pytestmark = pytest.mark.django_db


def per_operation(names) -> list:
    """Parameters ``adapter, operation`` for each adapter and each of ``names(adapter)``."""
    return [
        pytest.param(adapter, name, id=f"{adapter}-{name}") for adapter in SANAR_ADAPTERS for name in names(adapter)
    ]


@pytest.fixture
def credential(adapter, request):
    return request.getfixturevalue(adapter.credential_fixture)


@pytest.fixture
def booking(adapter, credential):
    return adapter.make_booking(credential)


@pytest.mark.parametrize("adapter", SANAR_ADAPTERS, ids=str)
def test_unsigned_catalogue_calls_carry_no_auth_headers(mock_http, adapter, credential):
    for operation in adapter.unsigned:
        adapter.mock(mock_http, operation, json=adapter.fixture(adapter.operations[operation].answer))
        adapter.run(operation, credential, None)
    assert len(mock_http.calls) == len(adapter.unsigned)
    for call in mock_http.calls:
        assert "Authorization" not in call.request.headers and "Cmt" not in call.request.headers


@pytest.mark.parametrize("adapter, operation", per_operation(lambda adapter: adapter.operations))
@pytest.mark.parametrize("status", [1000, "1000"])
def test_success_status_as_integer_or_string(mock_http, adapter, credential, booking, operation, status):
    adapter.mock(mock_http, operation, json=adapter.success_body(operation, status))
    assert adapter.run(operation, credential, booking)
    assert UpstreamCall.objects.get().outcome == "ok"


@pytest.mark.parametrize("adapter, operation", per_operation(lambda adapter: adapter.operations))
@pytest.mark.parametrize("answer, error_class, outcome, retry_safe", SANAR_FAULTS)
def test_every_fault(mock_http, adapter, credential, booking, operation, answer, error_class, outcome, retry_safe):
    adapter.mock(mock_http, operation, **answer)

    with pytest.raises(error_class) as excinfo:
        adapter.run(operation, credential, booking)

    call = UpstreamCall.objects.get()
    assert excinfo.value.call == call
    assert (call.outcome, call.operation, call.attempt) == (outcome, operation, 1)
    assert excinfo.value.retry_safe is retry_safe
    assert call.booking == (booking if operation == "book" else None)


@pytest.mark.parametrize("adapter, operation", per_operation(lambda adapter: adapter.signed))
def test_signature_mismatch_once_is_resigned_and_sent_again(mock_http, adapter, credential, booking, operation):
    adapter.mock(mock_http, operation, json=envelope(1003, "Signature mismatch"))
    adapter.mock(mock_http, operation, json=adapter.success_body(operation, 1000))
    # An admin corrects the secret between the two attempts: the second Cmt uses the stored one.
    new_secret = "corrected-cmt-secret-0042"
    stored = Credential.objects.get(pk=credential.pk)
    stored.cmt_secret = new_secret
    stored.save()

    assert adapter.run(operation, credential, booking)

    calls = list(UpstreamCall.objects.order_by("attempt"))
    assert [(c.attempt, c.outcome) for c in calls] == [(1, "signature_mismatch"), (2, "ok")]
    first, second = (c.request for c in mock_http.calls)
    assert (first.url, first.body) == (second.url, second.body)
    payload = adapter.signed_payload(operation)
    assert first.headers["Cmt"] == cmt_signature(payload, secret=demo_keys.SANAR_CMT_SECRET)
    assert second.headers["Cmt"] == cmt_signature(payload, secret=new_secret)
    assert first.headers["Cmt"] != second.headers["Cmt"]


@pytest.mark.parametrize("adapter, operation", per_operation(lambda adapter: adapter.signed))
def test_signature_mismatch_once_with_the_same_secret_recomputes_the_same_cmt(
    mock_http, adapter, credential, booking, operation
):
    adapter.mock(mock_http, operation, json=envelope("1003"))
    adapter.mock(mock_http, operation, json=adapter.success_body(operation, "1000"))

    adapter.run(operation, credential, booking)

    expected = cmt_signature(adapter.signed_payload(operation), secret=demo_keys.SANAR_CMT_SECRET)
    assert [c.request.headers["Cmt"] for c in mock_http.calls] == [expected, expected]
    assert UpstreamCall.objects.count() == 2


@pytest.mark.parametrize("adapter, operation", per_operation(lambda adapter: adapter.signed))
@pytest.mark.parametrize("status", [1003, "1003"])
def test_signature_mismatch_twice_is_a_credential_problem(mock_http, adapter, credential, booking, operation, status):
    adapter.mock(mock_http, operation, json=envelope(status, "Signature mismatch"))

    with pytest.raises(SignatureMismatch) as excinfo:
        adapter.run(operation, credential, booking)

    calls = list(UpstreamCall.objects.order_by("attempt"))
    assert [(c.attempt, c.outcome) for c in calls] == [(1, "signature_mismatch"), (2, "signature_mismatch")]
    assert excinfo.value.call == calls[-1]
    assert Credential.objects.get(pk=credential.pk).is_failing


@pytest.mark.parametrize("adapter, operation", per_operation(lambda adapter: adapter.unsigned))
def test_signature_mismatch_on_an_unsigned_call_is_not_resent(mock_http, adapter, credential, operation):
    adapter.mock(mock_http, operation, json=envelope(1003))
    with pytest.raises(SignatureMismatch):
        adapter.run(operation, credential, None)
    assert UpstreamCall.objects.count() == 1
