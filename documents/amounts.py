"""Amounts of money as every page and every letter writes them, in either language: ¥128,000.50."""

from decimal import Decimal, InvalidOperation
from typing import Any


def yuan(value: Any) -> str:
    """Yuan with the sign, thousands separators and two decimals: ¥1,250,000.00. Empty when unknown."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return ""
    return f"-¥{-amount:,.2f}" if amount < 0 else f"¥{amount:,.2f}"
