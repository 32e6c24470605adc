"""The unified social credit code (统一社会信用代码) of GB 32100-2015: 18 characters from an
alphabet of 31 (digits and the capitals without I, O, S, V, Z), the last a check character
computed from the first 17 with fixed weights modulo 31. A technology contract's registration
names each party by this code."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18


def normalised(value: str) -> str:
    """What people type, as the code is written: no spaces or dashes, capitals."""
    return "".join(ch for ch in (value or "") if ch not in " -\u3000").upper()


def check_character(first17: str) -> str:
    total = sum(ALPHABET.index(ch) * weight for ch, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    code = normalised(value)
    if len(code) != LENGTH:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(n)d.")
            % {"n": len(code)},
            code="length",
        )
    wrong = sorted({ch for ch in code if ch not in ALPHABET})
    if wrong:
        raise ValidationError(
            _(
                "A unified social credit code uses digits and capitals other than I, O, S, V "
                "and Z; “%(chars)s” cannot appear in it."
            )
            % {"chars": "".join(wrong)},
            code="alphabet",
        )
    if check_character(code[:17]) != code[17]:
        raise ValidationError(
            _(
                "This unified social credit code does not add up (its last character is a "
                "check digit): please copy it again from the business licence."
            ),
            code="check",
        )
