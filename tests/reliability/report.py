"""Results the reliability tests collect, printed as tables at the end of the run (conftest)."""

from dataclasses import dataclass

from partners.models import Partner
from tests.reliability.faults import COLUMNS, ROWS

MATRIX: dict[tuple[str, str], str] = {}  # (row label, partner code) → cell text
RUNS: list[str] = []  # one summary line per randomized / crash / restart run


@dataclass
class Cell:
    status: str
    attempts: int
    creates: int
    problems: list[str]

    def text(self, prefix: str = "") -> str:
        verdict = "ok" if not self.problems else "FAIL"
        return f"{prefix}{self.status}, {self.attempts} att., {self.creates} created: {verdict}"


def record_cell(row, case, *, creates: int) -> None:
    prefix = f"[{row.sandicare_label}] " if case.partner_code == Partner.Code.SANDICARE and row.sandicare_label else ""
    cell = Cell(case.booking.status, case.booking.upstream_calls.count(), creates, case.problems)
    MATRIX[(row.label, case.partner_code)] = cell.text(prefix)


def matrix_lines() -> list[str]:
    if not MATRIX:
        return []
    header = ["fault", *COLUMNS.values()]
    rows = [
        [
            row.label,
            *(MATRIX.get((row.label, code), "n/a" if not row.applies_to(code) else "not run") for code in COLUMNS),
        ]
        for row in ROWS
    ]
    widths = [max(len(line[i]) for line in [header, *rows]) for i in range(len(header))]

    def fmt(line):
        return "| " + " | ".join(value.ljust(width) for value, width in zip(line, widths, strict=True)) + " |"

    return [fmt(header), "|" + "|".join("-" * (width + 2) for width in widths) + "|", *map(fmt, rows)]
