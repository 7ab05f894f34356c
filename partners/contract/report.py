"""What the contract check found, per endpoint, and whether a flow would break."""

from dataclasses import dataclass, field

from django.utils.translation import gettext

from partners.contract.shapes import Difference


@dataclass
class EndpointReport:
    operation: str  # the call log's name: "specialities", "slots", ...
    statuses: list[str] = field(default_factory=list)  # "HTTP 200, status 1000"
    differences: set[Difference] = field(default_factory=set)
    failure: str = ""  # the call failed or the adapter could not read it: the flow stops here

    @property
    def breaking(self) -> bool:
        return bool(self.failure) or any(difference.breaking for difference in self.differences)

    def of_kind(self, kind: str) -> list[Difference]:
        return sorted((d for d in self.differences if d.kind == kind), key=lambda d: d.path)

    def as_dict(self) -> dict:
        return {
            "operation": self.operation,
            "statuses": self.statuses,
            "failure": self.failure,
            "breaking": self.breaking,
            "differences": [
                {"kind": d.kind, "path": d.path, "breaking": d.breaking, "detail": d.detail}
                for d in sorted(self.differences, key=lambda d: (d.kind, d.path))
            ],
        }


@dataclass
class ContractReport:
    partner: str
    environment: str
    endpoints: dict[str, EndpointReport] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what was not checked, and why
    samples: list[str] = field(default_factory=list)  # files written under var/

    def endpoint(self, operation: str) -> EndpointReport:
        return self.endpoints.setdefault(operation, EndpointReport(operation))

    @property
    def breaking(self) -> bool:
        return any(endpoint.breaking for endpoint in self.endpoints.values())

    def as_dict(self) -> dict:
        return {
            "partner": self.partner,
            "environment": self.environment,
            "breaking": self.breaking,
            "endpoints": [endpoint.as_dict() for endpoint in self.endpoints.values()],
            "notes": self.notes,
            "samples": self.samples,
        }


def lines(report: dict) -> list[str]:
    """The report in plain words, one line each, for the command and the admin page."""
    verdict = gettext("BREAKS A FLOW") if report["breaking"] else gettext("the portal copes")
    out = [
        gettext("Contract check of %(partner)s (%(environment)s): %(verdict)s")
        % {"partner": report["partner"], "environment": report["environment"], "verdict": verdict}
    ]
    for endpoint in report["endpoints"]:
        mark = gettext("breaks the flow") if endpoint["breaking"] else gettext("ok")
        statuses = ", ".join(dict.fromkeys(endpoint["statuses"])) or gettext("no answer")
        out.append(f"/{endpoint['operation']}: {mark} ({statuses})")
        if endpoint["failure"]:
            out.append("  " + gettext("stopped: %(failure)s") % {"failure": endpoint["failure"]})
        for difference in endpoint["differences"]:
            out.append("  " + _difference_line(difference))
    out.extend(report["notes"])
    return out


def _difference_line(difference: dict) -> str:
    effect = gettext("breaks the flow") if difference["breaking"] else gettext("harmless")
    words = {
        "missing": gettext("field missing"),
        "added": gettext("field added"),
        "type": gettext("type differs"),
    }[difference["kind"]]
    detail = f" ({difference['detail']})" if difference["detail"] else ""
    return f"{words}: {difference['path']}{detail}, {effect}"
