"""How common values are shown: dates in the UK style and Europe/London time, NHS numbers 3-3-4,
doses and quantities as a person writes them."""

import datetime
from decimal import Decimal

from django.utils import timezone


def date_uk(value: datetime.date | None) -> str:
    if not value:
        return ""
    return f"{value.day} {value:%B %Y}"


def datetime_uk(value: datetime.datetime | None) -> str:
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{local.day} {local:%B %Y, %H:%M}"


def nhs_number(value: str | None) -> str:
    digits = "".join(ch for ch in (value or "") if ch.isdigit())
    if len(digits) != 10:
        return value or ""
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def yes_no(value: bool | None) -> str:
    if value is None:
        return "Not recorded"
    return "Yes" if value else "No"


def phone_uk(value: str | None) -> str:
    """UK numbers spaced as people say them: 07700 900123, 0113 496 0000, 020 7946 0000."""
    digits = (value or "").replace(" ", "")
    if digits.startswith("+44"):
        digits = "0" + digits[3:]
    if len(digits) != 11 or not digits.isdigit():
        return value or ""
    if digits.startswith("07"):
        return f"{digits[:5]} {digits[5:]}"
    if digits.startswith("02"):
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    if digits.startswith("01") and (digits[2] == "1" or digits[3] == "1"):
        return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
    return f"{digits[:5]} {digits[5:]}"


def quantity_text(value: Decimal | int, unit: str = "") -> str:
    """A dose or quantity as a person writes it: "400 mg", "7.5 mg", "0.25 mg", "1,000 ml".

    The one formatter of every dose and quantity on every page, API text, CSV and print: a
    Decimal's own str can be exponent form ("4E+2" for 400), and a misread dose is a hazard.
    Never exponent form, no trailing zeros, a leading zero below 1, thousands with a comma.
    """
    number = Decimal(value)
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    else:
        number = number.normalize()
    text = f"{number:,f}"
    return f"{text} {unit}" if unit else text
