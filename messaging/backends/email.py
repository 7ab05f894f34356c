"""Email through Django's email backend (SMTP from the environment, or django-anymail)."""

from messaging.backends.base import Delivery, MessageBackend
from messaging.email import link_email
from messaging.errors import SendFailed


class EmailBackend(MessageBackend):
    provider = "email"

    def send(self, message, *, to: str, attempt: int) -> Delivery:
        reminder = message.template == message.Template.REMINDER
        email = link_email(message.booking, language=message.language, reminder=reminder)
        try:
            email.send()
        except (OSError, TimeoutError) as error:  # smtplib's errors are OSErrors
            raise SendFailed(type(error).__name__, retry=True) from error
        return Delivery(provider_id=email.extra_headers["Message-ID"])
