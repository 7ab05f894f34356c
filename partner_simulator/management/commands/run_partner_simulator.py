"""``manage.py run_partner_simulator``: the three partner APIs on one local port, until killed."""

import contextlib
import signal

from django.core.management.base import BaseCommand, CommandError

from partner_simulator import routes
from partner_simulator.server import PartnerSimulator
from partner_simulator.state import DEFAULT_READ_TIMEOUT_SLEEP_S, DEFAULT_RECEIPT_DELAY_S


class Command(BaseCommand):
    help = (
        "Serve the Sanar and Sandicare partner APIs and Unifonic's SMS/WhatsApp API locally, "
        "with fault switches under /_sim."
    )
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8100)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--latency-ms", type=int, default=0, help="Delay added to every partner request.")
        parser.add_argument(
            "--read-timeout-sleep",
            type=float,
            default=DEFAULT_READ_TIMEOUT_SLEEP_S,
            help="Seconds the read_timeout_after_accept fault waits before answering.",
        )
        parser.add_argument("--sms-receipt-url", default="", help="Where SMS delivery receipts are posted.")
        parser.add_argument("--whatsapp-receipt-url", default="", help="Where WhatsApp delivery receipts are posted.")
        parser.add_argument(
            "--receipt-delay", type=float, default=DEFAULT_RECEIPT_DELAY_S, help="Seconds before a receipt is posted."
        )

    def handle(self, *args, **options):
        try:
            simulator = PartnerSimulator(
                options["host"],
                options["port"],
                latency_ms=options["latency_ms"],
                read_timeout_sleep_s=options["read_timeout_sleep"],
                log_line=self._log,
                receipt_urls={"sms": options["sms_receipt_url"], "whatsapp": options["whatsapp_receipt_url"]},
                receipt_delay_s=options["receipt_delay"],
            )
        except OSError as exc:
            raise CommandError(f"cannot listen on {options['host']}:{options['port']}: {exc}") from exc
        signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop as on Ctrl-C
        self._log(f"Partner simulator listening on {simulator.url}")
        for code, path in routes.BASE_PATHS.items():
            self._log(f"  {code:<22} {simulator.url}{path}")
        self._log(f"  unifonic SMS/WhatsApp  {simulator.url} (/rest/SMS/messages, /v1/messages)")
        self._log(f"  SMS/WhatsApp received  {simulator.url}/_sim/outbox.html")
        self._log(f"  control endpoints      {simulator.url}/_sim/ (faults, latency, reset, received, creates, outbox)")
        with contextlib.suppress(KeyboardInterrupt):
            simulator.serve_forever()
        self._log("Partner simulator stopped")

    def _log(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()
