"""The columns of an import spreadsheet, per kind of listing, and how a cell becomes form input.

Headers are bilingual ("成果名称 / Title"), named after the national 科技成果登记 and
technology-requirement forms where they have a field; a file may head a column with the
Chinese part, the English part, both, or the form's field name. Choice cells take the stored
value or its label in either language ("licence", "Licence", "许可"); a file is read with the
same forms as the site's pages, so a row is valid exactly when the page would take it.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.db.models import TextChoices
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.choices import Region
from marketplace.listings.choices import TRL, CooperationMode, IPStatus, ListingKind
from marketplace.listings.forms import KEYWORD_SPLIT, technical_field_choices
from marketplace.listings.models import TechnicalField


@dataclass(frozen=True)
class Column:
    field: str  # the form field it fills
    zh: str
    en: str
    required: bool = False
    choices: type[TextChoices] | None = None
    many: bool = False  # several values in one cell, separated like keywords
    example: str = ""

    @property
    def header(self) -> str:
        return f"{self.zh} / {self.en}"


_COMMON_HEAD = (
    Column(
        "technical_fields",
        "技术领域",
        "Technical fields",
        True,
        many=True,
        example="semiconductors, 新材料",
    ),
    Column("keywords", "关键词", "Keywords", example="光刻胶, EUV"),
    Column("region", "所属地区", "Region", True, Region, example="浙江"),
)
_COMMON_TAIL = (
    Column("alt_title", "另一语言名称", "Title in the other language", example="EUV photoresist"),
    Column("alt_summary", "另一语言简介", "Summary in the other language"),
    Column("nda_text", "保密协议文本", "NDA text"),
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    ListingKind.ACHIEVEMENT: (
        Column("title", "成果名称", "Title", True, example="高分辨率EUV光刻胶"),
        Column(
            "summary", "成果简介", "Summary", True, example="一种用于EUV光刻的金属氧化物光刻胶。"
        ),
        Column("description", "成果详细介绍", "Description", True),
        *_COMMON_HEAD,
        Column("trl", "技术成熟度(TRL 1–9)", "Maturity (TRL 1–9)", True, example="6"),
        Column("ip_status", "知识产权状态", "IP status", True, IPStatus, example="发明专利已授权"),
        Column("patent_numbers", "专利号或申请号", "Patent numbers", example="CN114000000A"),
        Column(
            "transaction_modes",
            "交易方式",
            "Transaction modes",
            True,
            CooperationMode,
            many=True,
            example="许可, transfer",
        ),
        Column("price_negotiable", "价格面议", "Price negotiable", example="是"),
        Column("asking_price", "意向价格(元)", "Asking price (yuan)"),
        Column("team", "团队情况", "Team"),
        Column("contact_name", "联系人", "Contact name"),
        Column("contact_email", "联系邮箱", "Contact email"),
        Column("contact_phone", "联系电话", "Contact phone"),
        *_COMMON_TAIL,
    ),
    ListingKind.CHALLENGE: (
        Column("title", "需求名称", "Title", True, example="电池壳体轻量化"),
        Column("summary", "需求简介", "Summary", True, example="寻找铝合金壳体减重20%的方案。"),
        Column("description", "需求详细描述", "Description", True),
        Column("confidential_details", "保密内容", "Confidential details"),
        *_COMMON_HEAD,
        Column("budget_min", "预算下限(元)", "Budget from (yuan)", example="100000"),
        Column("budget_max", "预算上限(元)", "Budget up to (yuan)", example="500000"),
        Column("deadline", "截止日期", "Deadline", True, example="2027-06-30"),
        Column(
            "cooperation_modes",
            "合作方式",
            "Cooperation modes",
            True,
            CooperationMode,
            many=True,
            example="joint_development",
        ),
        Column("min_trl", "最低技术成熟度", "Minimum maturity (TRL)", example="5"),
        *_COMMON_TAIL,
    ),
}

_YES = {"1", "true", "yes", "y", "是", "面议", "可议", "x", "✓"}
_NO = {"0", "false", "no", "n", "否", "不", ""}


def normalised(text: object) -> str:
    """Text compared without case, spaces, punctuation or brackets: "发明专利已授权" is the
    label "发明专利（已授权）", "TRL1-9" is "TRL 1–9", "invention granted" is the value."""
    return re.sub(r"[\W_]+", "", str(text)).casefold()


def header_lookup(kind: str) -> dict[str, Column]:
    """Every accepted spelling of each header, normalised, to its column."""
    lookup: dict[str, Column] = {}
    for column in COLUMNS[kind]:
        for name in (column.header, column.zh, column.en, column.field):
            lookup[normalised(name)] = column
    return lookup


@cache
def _choice_lookup(choices: type[TextChoices]) -> dict[str, str]:
    lookup = {}
    for value, label in choices.choices:
        lookup[normalised(value)] = value
        for language in ("en", "zh-hans"):
            with translation.override(language):
                lookup[normalised(str(label))] = value
    return lookup


def _fields_lookup() -> dict[str, str]:
    lookup = {}
    for code, en, zh in TechnicalField.objects.values_list("code", "name_en", "name_zh"):
        for name in (code, en, zh):
            lookup[normalised(name)] = code
    return lookup


class CellError(ValueError):
    """A cell that cannot become form input; its message names the bad value."""


def cell_text(value: object) -> str:
    """A spreadsheet cell as text: numbers without a trailing ``.0``, dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(Decimal(str(value)).normalize()) if value != int(value) else str(int(value))
    return str(value).strip()


class RowReader:
    """Turns a row of cell texts into the data of a listing form; built once per file."""

    def __init__(self, kind: str) -> None:
        self.columns = {c.field: c for c in COLUMNS[kind]}
        self.fields = _fields_lookup()
        # The listing form's choices of technical fields, read once for every row's form.
        self.field_choices = technical_field_choices()

    def form_data(self, row: dict[str, str]) -> tuple[dict, dict[str, str]]:
        """The form data of ``row`` and the errors of cells that could not be read."""
        data: dict = {}
        errors: dict[str, str] = {}
        for field, column in self.columns.items():
            text = row.get(field, "")
            try:
                data[field] = self._value(column, text)
            except CellError as exc:
                errors[field] = str(exc)
                if field == "price_negotiable":
                    data[field] = "on"  # the default: no asking price demanded on top
        return data, errors

    def _value(self, column: Column, text: str):
        if column.field == "technical_fields":
            return [
                self._one(self.fields, word, _("Unknown technical field")) for word in _split(text)
            ]
        if column.field == "price_negotiable":
            if normalised(text) in _YES:
                return "on"
            if normalised(text) in _NO:
                return ""
            raise CellError(_("Write 是/yes or 否/no, not “%(value)s”.") % {"value": text})
        if column.field in ("trl", "min_trl") and text:
            return _trl(text)
        if column.choices is not None:
            lookup = _choice_lookup(column.choices)
            if column.many:
                return [self._one(lookup, word, _("Unknown value")) for word in _split(text)]
            return self._one(lookup, text, _("Unknown value")) if text else ""
        return text

    @staticmethod
    def _one(lookup: dict[str, str], word: str, what: str) -> str:
        try:
            return lookup[normalised(word)]
        except KeyError:
            raise CellError(f"{what}: “{word}”") from None


def _split(text: str) -> list[str]:
    return [word.strip() for word in KEYWORD_SPLIT.split(text or "") if word.strip()]


def _trl(text: str) -> str:
    digits = re.sub(r"^(trl|TRL)\s*", "", text.strip())
    return digits if digits in {str(v) for v in TRL.values} else text
