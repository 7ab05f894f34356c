"""``await_demo`` (``make run``): the demo logins last, in a box, and what did not answer."""

import io

from django.core.management import call_command

from partner_simulator.management.commands.seed_demo import DEMO_LOGINS


def test_prints_every_login_in_a_box_and_names_what_did_not_answer():
    out = io.StringIO()
    call_command("await_demo", web="http://127.0.0.1:9", timeout=0, stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert lines[0].startswith("┌") and lines[-1].startswith("└")
    assert len({len(line) for line in lines}) == 1, "every line of the box is as wide"
    text = out.getvalue()
    for username, password, _role in DEMO_LOGINS:
        assert username in text and password in text
    assert "Not answering after 0 s: web server (/readyz), partner simulator, Celery worker" in text
