"""Aggregates PostgreSQL has and Django does not name."""

from django.db.models import Aggregate, FloatField


class Percentile(Aggregate):
    """``percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)`` (PostgreSQL); NULLs ignored."""

    function = "percentile_cont"
    name = "Percentile"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        if not 0 <= fraction <= 1:
            raise ValueError("fraction must be between 0 and 1")
        # A float we control, written into the SQL as a literal (never user input).
        super().__init__(expression, fraction=repr(float(fraction)), **extra)
