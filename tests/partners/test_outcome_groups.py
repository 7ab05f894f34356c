"""Every call outcome is on exactly one side: OK, the partner's, the request's or the credential's."""

import pytest

from partners import errors
from partners.models import UpstreamCall
from partners.models.upstream_call import CREDENTIAL_PROBLEMS, PARTNER_FAILURES, REQUEST_ANSWERS, side_of
from partners.responses import SANAR_ERRORS, SANDICARE_ERRORS

Outcome = UpstreamCall.Outcome


def test_every_outcome_is_in_exactly_one_group():
    groups = [(Outcome.OK,), PARTNER_FAILURES, REQUEST_ANSWERS, CREDENTIAL_PROBLEMS]
    placed = [outcome for group in groups for outcome in group]
    assert sorted(placed) == sorted(Outcome.values)


@pytest.mark.parametrize(
    "error_class, group",
    [
        (SANAR_ERRORS["5000"], PARTNER_FAILURES),
        (SANDICARE_ERRORS[503], PARTNER_FAILURES),
        (errors.TimeoutBeforeSend, PARTNER_FAILURES),
        (errors.TimeoutAfterSend, PARTNER_FAILURES),
        (errors.ConnectionFailed, PARTNER_FAILURES),
        (errors.BadResponse, PARTNER_FAILURES),
        (SANAR_ERRORS["1001"], REQUEST_ANSWERS),
        (SANAR_ERRORS["1004"], REQUEST_ANSWERS),
        (SANAR_ERRORS["1005"], REQUEST_ANSWERS),
        (SANDICARE_ERRORS[400], REQUEST_ANSWERS),
        (SANDICARE_ERRORS[404], REQUEST_ANSWERS),
        (SANAR_ERRORS["1002"], CREDENTIAL_PROBLEMS),
        (SANAR_ERRORS["1003"], CREDENTIAL_PROBLEMS),
        (SANDICARE_ERRORS[401], CREDENTIAL_PROBLEMS),
    ],
)
def test_partner_answers_land_on_their_side(error_class, group):
    assert error_class.outcome in group


def test_side_of_names_the_group():
    assert side_of(Outcome.OK) == "ok"
    assert side_of(Outcome.NOT_FOUND) == "request_answer"
    assert side_of(Outcome.SIGNATURE_MISMATCH) == "credential_problem"
    assert {side_of(outcome) for outcome in PARTNER_FAILURES} == {"partner_failure"}
