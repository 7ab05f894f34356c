"""Fixtures of the Sanar booking tests that run a real Celery worker; a module (or a
parametrized ``flow``) says which flow."""

import pytest
from django.contrib.auth.models import Group

from accounts import roles


@pytest.fixture
def sim_credential(flow, transactional_db, partner_simulator):
    """The flow's credential on the simulator, its catalogue synced from there."""
    credential = flow.simulator_credential(partner_simulator)
    assert flow.sync_catalogue().ok
    return credential


@pytest.fixture
def staff(transactional_db, django_user_model):
    user = django_user_model.objects.create_user(username="ops-sanar", password="x")
    user.groups.add(Group.objects.get_or_create(name=roles.OPERATIONS)[0])
    return user


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client
