"""Results: one row per benchmark (id, measure, value, goal, holds) plus details, as text and Markdown."""

import statistics
from dataclasses import dataclass, field


@dataclass
class Result:
    id: str
    measure: str
    value: str
    goal: str
    holds: bool | None  # None: not measured (skipped or failed), or shown for information
    details: list[str] = field(default_factory=list)
    information: bool = False  # no goal: shown beside the others

    @property
    def verdict(self) -> str:
        if self.information:
            return "(info)"
        return {True: "yes", False: "NO", None: "n/a"}[self.holds]


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile (``fraction`` 0.5 = median), the usual choice for latency."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


def median(samples: list[float]) -> float:
    return statistics.median(samples) if samples else float("nan")


def size_label(count: int) -> str:
    """1000 → "1k", 1000000 → "1M"."""
    if count >= 1_000_000 and count % 1_000_000 == 0:
        return f"{count // 1_000_000}M"
    return f"{count // 1000}k" if count % 1000 == 0 else f"{count:,}"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def text_table(results: list[Result]) -> str:
    headers = ("id", "measure", "value", "goal", "holds")
    rows = [(r.id, r.measure, r.value, r.goal, r.verdict) for r in results]
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
    line = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    out = [line, _text_row(headers, widths), line.replace("-", "=")]
    out += [_text_row(row, widths) for row in rows]
    out.append(line)
    return "\n".join(out)


def _text_row(row, widths) -> str:
    return "| " + " | ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)) + " |"


def markdown(
    results: list[Result], *, command: str, started: str, duration_s: float, setup: list[str], appendix: str = ""
) -> str:
    lines = [
        "# Performance",
        "",
        f"Measured {started} by `{command}` in {duration_s / 60:.1f} min "
        "([bench/README.md](../bench/README.md) says what each benchmark does and how to run one alone).",
        "",
        *[f"- {item}" for item in setup],
        "",
        "| id | measure | value | goal | holds |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {r.id} | {r.measure} | {r.value} | {r.goal} | {r.verdict} |" for r in results]
    lines += ["", "## Details", ""]
    for result in results:
        lines.append(f"### {result.id}: {result.measure}")
        lines.append("")
        lines += [f"- {detail}" for detail in result.details] or ["- (no details)"]
        lines.append("")
    if appendix:
        lines += [appendix.strip(), ""]
    return "\n".join(lines)
