"""For a demo: the login code of a demo user, as their authenticator app would show it now."""

import time

from django.core.management.base import BaseCommand, CommandError

from partner_simulator.demo_second_factor import DEMO_TOTP_KEYS, STEP_SECONDS, base32_key, code_for_key


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo user (finance, partneradmin, admin)."

    def add_arguments(self, parser):
        parser.add_argument("username", choices=sorted(DEMO_TOTP_KEYS))

    def handle(self, *args, username, **options):
        key = DEMO_TOTP_KEYS.get(username)
        if key is None:
            raise CommandError(f"{username} is not a demo user.")
        left = STEP_SECONDS - int(time.time()) % STEP_SECONDS
        self.stdout.write(f"{code_for_key(key)}  (for {left} more s; authenticator key {base32_key(key)})")
