"""Demo users (one per role), the three partners and sandbox credentials for the simulator."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import roles
from accounts.second_factor import second_factor_required
from partner_simulator import demo_keys
from partner_simulator.demo_second_factor import base32_key, demo_device
from partners.models import Credential, Partner

DEMO_USERS = [
    ("operations", "operations-demo-pass", roles.OPERATIONS),
    ("finance", "finance-demo-pass", roles.FINANCE),
    ("partneradmin", "partneradmin-demo-pass", roles.PARTNER_ADMINS),
]
DEMO_SUPERUSER = ("admin", "admin-demo-pass", "superuser")
DEMO_LOGINS = [*DEMO_USERS, DEMO_SUPERUSER]  # (username, password, role)
SECOND_FACTOR_HINT = "finance, partneradmin, admin: then the code of .venv/bin/python manage.py demo_code <username>"


class Command(BaseCommand):
    help = "Create demo users per role and sandbox credentials pointing at the partner simulator. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--simulator-url", default=settings.PARTNER_SIMULATOR_URL)

    @transaction.atomic
    def handle(self, *args, **options):
        base = options["simulator_url"].rstrip("/")
        User = get_user_model()
        for username, password, role in DEMO_USERS:
            user, created = User.objects.get_or_create(username=username, defaults={"email": f"{username}@example.org"})
            if created:
                user.set_password(password)
                user.save()
            user.groups.add(Group.objects.get(name=role))
        admin_username, admin_password, _ = DEMO_SUPERUSER
        admin, created = User.objects.get_or_create(
            username=admin_username, defaults={"is_staff": True, "is_superuser": True, "email": "admin@example.org"}
        )
        if created:
            admin.set_password(admin_password)
            admin.save()
        User.objects.filter(username="partneradmin").update(is_staff=True)
        second_factor_users = [
            user
            for user in User.objects.filter(username__in=[login[0] for login in DEMO_LOGINS])
            if second_factor_required(user)
        ]
        for user in second_factor_users:
            demo_device(user)

        self._credential(
            Partner.Code.SANAR_VIDEO,
            base_url=base + demo_keys.SANAR_VIDEO_PATH,
            auth_token=demo_keys.SANAR_TOKEN,
            cmt_secret=demo_keys.SANAR_CMT_SECRET,
        )
        self._credential(
            Partner.Code.SANAR_VACCINATION,
            base_url=base + demo_keys.SANAR_VACCINATION_PATH,
            auth_token=demo_keys.SANAR_TOKEN,
            cmt_secret=demo_keys.SANAR_CMT_SECRET,
            product_code=demo_keys.SANAR_PRODUCT_CODE,
        )
        self._credential(
            Partner.Code.SANDICARE,
            base_url=base + demo_keys.SANDICARE_SANDBOX_PATH,
            api_key=demo_keys.SANDICARE_SANDBOX_KEY,
            program_ids=",".join(demo_keys.SANDICARE_PROGRAM_IDS),
        )

        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS("Demo data ready. Log in with:"))
            for username, password, role in DEMO_LOGINS:
                self.stdout.write(f"  {role:<15} {username:<13} {password}")
            self.stdout.write(SECOND_FACTOR_HINT)
            for user in second_factor_users:
                self.stdout.write(f"  {user.get_username():<13} authenticator key {base32_key(demo_device(user).key)}")

    def _credential(self, code, **values):
        partner = Partner.objects.get(code=code)
        credential = Credential.objects.filter(
            partner=partner, environment=Credential.Environment.SANDBOX, is_active=True
        ).first() or Credential(partner=partner, environment=Credential.Environment.SANDBOX, label="Partner simulator")
        for name, value in values.items():
            setattr(credential, name, value)
        credential.full_clean()
        credential.save()
