"""Half-up rounding (away from zero on a tie, as the seeds' tables round), exact and float-free.

Babel and Decimal default to half-even; every rounding of a KPI value goes through here instead.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def round_half_up(number: Decimal, precision: int) -> Decimal:
    return number.quantize(Decimal(1).scaleb(-precision), rounding=ROUND_HALF_UP)


def round_fraction(value: Fraction, precision: int) -> Decimal:
    """A Fraction rounded half-up to `precision` decimals, exactly."""
    shifted = abs(value) * 10**precision
    whole, rest = divmod(shifted.numerator, shifted.denominator)
    if 2 * rest >= shifted.denominator:
        whole += 1
    result = Decimal(whole).scaleb(-precision)
    result = result.quantize(Decimal(1).scaleb(-precision))
    return -result if value < 0 and result else result
