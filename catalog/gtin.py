"""GTIN-13 (EAN-13), the barcode number on a UK medicine pack: checked before it is published."""

from django.core.exceptions import ValidationError


def ean13_check_digit(first_twelve):
    """The check digit for 12 digits: weights 1 and 3 alternately from the left, mod 10."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first_twelve))
    return (10 - total % 10) % 10


def validate_ean13(value):
    """A 13-digit number whose last digit is its check digit (a typo is caught here)."""
    if not (len(value) == 13 and value.isdigit()):
        raise ValidationError(
            "Enter the 13 digits under the pack's barcode (EAN-13), without spaces.",
            code="invalid_gtin",
        )
    expected = ean13_check_digit(value[:12])
    if int(value[12]) != expected:
        raise ValidationError(
            "This barcode number's last digit does not match the others (it should be %(d)s): "
            "check it against the pack.",
            code="invalid_gtin_check_digit",
            params={"d": expected},
        )
