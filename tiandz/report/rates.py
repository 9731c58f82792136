"""Rates that state their base: every rate keeps its numerator and denominator.

Real reports print 58.07% for 54/93 and 0% for nothing at all. Here a percentage is rounded half up to two
decimals in exact decimal arithmetic (54/93 is 58.06%, 1/8 is 12.50%), and a zero denominator is "—" in
print and null in JSON: there is no rate of nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

NO_RATE = "—"


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        """The unrounded rate from 0 to 1, or None when there is no base."""
        return self.numerator / self.denominator if self.denominator else None

    def percent(self) -> str:
        return percent_text(self.numerator, self.denominator)

    def to_json(self) -> dict:
        return {"rate": self.value, "numerator": self.numerator, "denominator": self.denominator}

    def share_json(self) -> dict:
        """As `to_json`, with the percentage as every output prints it (half up, two decimals)."""
        return {**self.to_json(), "percent": self.percent()}


def percent_text(numerator: int, denominator: int) -> str:
    """"58.06%": rounded half up to two decimals; "—" when the denominator is zero."""
    if not denominator:
        return NO_RATE
    with localcontext() as context:
        context.prec = 60  # far more digits than any ledger's counts need: the division is exact enough
        percent = Decimal(numerator) * 100 / Decimal(denominator)
        return f"{percent.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"
