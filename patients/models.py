from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bookings.models import Booking


class Patient(models.Model):
    """A person the clinic books for, kept so a returning patient is chosen, not typed again.

    Written only by ``patients.services``; each change leaves a ``PatientChange``.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")
        WHATSAPP = "whatsapp", _("WhatsApp")

    full_name = models.CharField(_("full name"), max_length=150)
    mobile = models.CharField(_("mobile"), max_length=20, blank=True, help_text=_("E.164, e.g. +966501234567"))
    email = models.EmailField(_("email"), blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Booking.Gender.choices, blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the patient's slip and messages."),
    )
    preferred_channel = models.CharField(
        _("preferred channel"), max_length=16, choices=Channel.choices, default=Channel.SMS
    )
    consents_to_messages = models.BooleanField(
        _("agrees to receive messages"),
        default=False,
        help_text=_("Only a patient who agreed is sent links and reminders."),
    )
    consent_changed_at = models.DateTimeField(_("consent recorded at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("patient")
        verbose_name_plural = _("patients")
        ordering = ["full_name", "id"]
        indexes = [
            models.Index(fields=["mobile"], name="patient_mobile"),
            models.Index(fields=["email"], name="patient_email"),
        ]

    def __str__(self):
        return self.full_name


class PatientChange(models.Model):
    """One edit of a patient: who, when, and each field's value before and after."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="changes", verbose_name=_("patient"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    # {"field name": [before, after]}, values as strings.
    fields = models.JSONField(_("changed fields"), default=dict)

    class Meta:
        verbose_name = _("patient change")
        verbose_name_plural = _("patient changes")
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.patient} · {self.changed_at:%Y-%m-%d %H:%M}"
