from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from accounts import roles


def navigation(request):
    """The navigation entries the current user's roles allow, for the base layout."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "nav_items": [],
            "user_roles": frozenset(),
            "failing_credentials": [],
            "contract_drifts": [],
            "partner_outages": [],
        }
    held = roles.user_roles(user)
    entries = [
        (_("Home"), "bookings:dashboard", roles.ALL_ROLES),
        (_("Book"), "bookings:start", (roles.OPERATIONS,)),
        (_("Bookings"), "bookings:list", (roles.OPERATIONS, roles.FINANCE)),
        (_("Patients"), "patients:list", (roles.OPERATIONS,)),
        (_("Enrollments"), "bookings:enrollment-history", (roles.OPERATIONS,)),
        (_("Settlements"), "bookings:settlements", (roles.FINANCE,)),
        (_("Partner health"), "bookings:partner-health", roles.ALL_ROLES),
        (_("Partner keys"), "admin:partners_credential_changelist", (roles.PARTNER_ADMINS,)),
    ]
    items = [
        {"label": label, "url": reverse(url_name)} for label, url_name, allowed in entries if held.intersection(allowed)
    ]
    if user.is_superuser:
        items.append({"label": _("Patient requests"), "url": reverse("privacy:find")})
    return {
        "nav_items": items,
        "user_roles": held,
        "failing_credentials": _failing_credentials(held),
        "contract_drifts": _contract_drifts(held),
        # Read only by a page that shows it (not by htmx fragments), and then from the cache.
        "partner_outages": SimpleLazyObject(_partner_outages),
    }


def _failing_credentials(held: frozenset[str]):
    if not held.intersection((roles.OPERATIONS, roles.PARTNER_ADMINS)):
        return []
    from partners.models import Credential

    return list(Credential.objects.filter(is_active=True, is_failing=True).select_related("partner"))


def _contract_drifts(held: frozenset[str]):
    """Credentials whose latest contract check breaks a flow: partner admins only, they talk to the partner."""
    if roles.PARTNER_ADMINS not in held:
        return []
    from partners.contract.runs import drifting_credentials

    return drifting_credentials()


def _partner_outages():
    from partners.outages import current_outages

    return current_outages()
