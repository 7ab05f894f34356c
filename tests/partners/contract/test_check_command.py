"""``check_partner_contract`` against the simulator: its own shapes, then a partner whose shapes differ."""

import json

import pytest
from django.core.management import CommandError, call_command

from partners.models import ContractRun


def run(partner, capsys):
    call_command("check_partner_contract", partner=partner, as_json=True)
    return json.loads(capsys.readouterr().out)


def endpoint(report, operation):
    return next(e for e in report["endpoints"] if e["operation"] == operation)


def no_create_reached(partner_simulator):
    creates = {op: partner_simulator.successful_creates(op) for op in ("sanar_video.book", "sanar_vaccination.book")}
    assert creates == {"sanar_video.book": 0, "sanar_vaccination.book": 0}
    assert not partner_simulator.received("sanar_video.book")
    assert not partner_simulator.received("sanar_vaccination.book")


def test_video_walks_the_flow_and_passes_on_the_simulator(video_credential, partner_simulator, capsys, settings):
    report = run("sanar_video", capsys)

    assert not report["breaking"]
    assert [e["operation"] for e in report["endpoints"]] == ["specialities", "doctors", "slots"]
    assert endpoint(report, "slots")["statuses"][0].startswith("HTTP 200, status ")
    no_create_reached(partner_simulator)
    assert ContractRun.objects.get().breaking is False
    sample = settings.PARTNER_SAMPLES_DIR / "sanar_video" / "doctors_response.json"
    assert json.loads(sample.read_text())["data"]["info"]["doctor"]


def test_vaccination_walks_services_details_browse(vaccination_credential, partner_simulator, capsys):
    report = run("sanar_vaccination", capsys)

    assert not report["breaking"]
    assert [e["operation"] for e in report["endpoints"]] == ["services", "details", "browse"]
    no_create_reached(partner_simulator)


def test_harmless_shapes_are_named_and_pass(video_credential, partner_simulator, capsys):
    for operation in ("sanar_video.specialities", "sanar_video.doctors", "sanar_video.slots"):
        partner_simulator.inject(operation, "harmless_shape", times=-1)

    report = run("sanar_video", capsys)

    assert not report["breaking"]
    doctors = {(d["kind"], d["path"]) for d in endpoint(report, "doctors")["differences"]}
    assert ("added", "trace_id") in doctors and ("added", "doctor[].fee") in doctors
    assert ("missing", "doctor[].pay_amount") in doctors
    assert ("type", "doctor[].rating") in doctors
    assert 'status "1000"' in endpoint(report, "specialities")["statuses"][0]
    specialities = {(d["kind"], d["path"], d["breaking"]) for d in endpoint(report, "specialities")["differences"]}
    assert ("type", "status", False) in specialities  # a string status, read as the integer the contract assumes


def test_renamed_ids_break_the_flow_and_exit_non_zero(vaccination_credential, partner_simulator, capsys):
    partner_simulator.inject("sanar_vaccination.services", "breaking_shape", times=-1)

    with pytest.raises(CommandError, match="breaks a flow"):
        call_command("check_partner_contract", partner="sanar_vaccination")

    out = capsys.readouterr().out
    assert "BREAKS A FLOW" in out
    assert "field missing: services[].id, breaks the flow" in out
    assert "field added: services[].service_id, harmless" in out
    assert ContractRun.objects.get().breaking is True
    no_create_reached(partner_simulator)


def test_a_partner_error_stops_the_walk_and_breaks(video_credential, partner_simulator, capsys):
    partner_simulator.inject("sanar_video.doctors", "5000", times=-1)

    with pytest.raises(CommandError):
        call_command("check_partner_contract", partner="sanar_video")

    out = capsys.readouterr().out
    assert "/doctors: breaks the flow" in out and "stopped: ServerError" in out
    assert "/slots" not in out


def test_sandicare_says_what_it_can_check_without_enrolling(partners, partner_simulator, capsys):
    from partner_simulator import demo_keys
    from partners.models import Credential, Partner

    Credential.objects.create(
        partner=partners[Partner.Code.SANDICARE],
        environment=Credential.Environment.SANDBOX,
        base_url=partner_simulator.base_url("sandicare"),
        api_key=demo_keys.SANDICARE_SANDBOX_KEY,
        program_ids=",".join(demo_keys.SANDICARE_PROGRAM_IDS),
    )

    call_command("check_partner_contract", partner="sandicare")

    out = capsys.readouterr().out
    assert "no read-only endpoint" in out
    assert partner_simulator.successful_creates("sandicare.enroll") == 0


def test_no_active_credential_is_an_error(db):
    with pytest.raises(CommandError, match="No active"):
        call_command("check_partner_contract", partner="sanar_video", environment="production")
