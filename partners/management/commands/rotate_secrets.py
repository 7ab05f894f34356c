"""Re-encrypt every stored credential secret with the newest key of FIELD_ENCRYPTION_KEYS.

Run after prepending a new key; once it has run, the old keys can be removed. All rows
are rewritten in one transaction: a secret no key can decrypt stops the command and
changes nothing.
"""

from cryptography.fernet import InvalidToken
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from partners.fields import EncryptedTextField, rotate
from partners.models import Credential


class Command(BaseCommand):
    help = "Re-encrypt every credential secret with the newest key of FIELD_ENCRYPTION_KEYS."

    def handle(self, *args, **options):
        table = connection.ops.quote_name(Credential._meta.db_table)
        columns = [f.column for f in Credential._meta.concrete_fields if isinstance(f, EncryptedTextField) and f.column]
        quoted = [connection.ops.quote_name(column) for column in columns]
        # Raw SQL on purpose: the ORM would decrypt on read and treat the value as clear text on write.
        select = f"SELECT id, {', '.join(quoted)} FROM {table} ORDER BY id"  # noqa: S608 - names from the model
        rotated_values = rotated_rows = 0
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.features.has_select_for_update:
                select += " FOR UPDATE"
            cursor.execute(select)
            rows = cursor.fetchall()
            for pk, *tokens in rows:
                updates = {}
                for column, token in zip(columns, tokens, strict=True):
                    if not token:
                        continue
                    try:
                        updates[column] = rotate(token)
                    except InvalidToken:
                        raise CommandError(
                            f"Credential {pk}: {column} cannot be decrypted with any key in FIELD_ENCRYPTION_KEYS; "
                            "nothing was changed."
                        ) from None
                if not updates:
                    continue
                assignments = ", ".join(f"{connection.ops.quote_name(column)} = %s" for column in updates)
                cursor.execute(f"UPDATE {table} SET {assignments} WHERE id = %s", [*updates.values(), pk])  # noqa: S608
                rotated_values += len(updates)
                rotated_rows += 1
        self.stdout.write(
            self.style.SUCCESS(f"Rotated {rotated_values} secrets in {rotated_rows} of {len(rows)} credentials.")
        )
