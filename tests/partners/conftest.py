"""Fixtures of the partner tests: the mocked HTTP of the partners."""

import pytest
import responses


@pytest.fixture
def mock_http():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps
