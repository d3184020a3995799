"""The identifiers a case carries, in their official forms, and the checks their standards define.

- The enforcement case number (案号) as the Supreme People's Court's rules on case numbers write it
  (《最高人民法院关于人民法院案件案号的若干规定》, 法〔2015〕137号, Art. 3 and 4): the year of acceptance in
  Arabic numerals inside full-width round brackets, then the court's code, the type code and the serial number,
  ending with 号, e.g. （2025）桂0102执1234号.
- The citizen identity number (公民身份号码) of GB 11643-1999: 17 digits (address, date of birth, sequence)
  and a check character computed by ISO 7064 MOD 11-2.
- The unified social credit code (统一社会信用代码) of GB 32100-2015: 18 characters from 31 symbols, the last
  one a check character computed by the weights of its Art. 4.3 and Annex (MOD 31).
- Whether a party named in a case is an entity: the name endings of the Company Law, the Partnership Enterprise
  Law and the civil-procedure rules on who may be a party (CPL Art. 51; SPC Interpretation of the CPL Art. 52).

Pure functions: the services, serializers and forms call them; none of them reads the database.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

# ---------------------------------------------------------------------------------------------------------
# Enforcement case numbers (法〔2015〕137号 Art. 3, 4)

# Brackets people type around the year instead of the official full-width round ones.
_OPENING = "(（［[〔【"
_CLOSING = ")）］]〕】"
_BRACKETS = str.maketrans({**dict.fromkeys(_OPENING, "（"), **dict.fromkeys(_CLOSING, "）")})


def normalize_case_number(raw: str) -> str:
    """The official form of a case number as typed: full-width round brackets around the year, half-width
    (ASCII) digits and letters, no spaces anywhere (法〔2015〕137号 Art. 3, 4).

    `（２０２５）桂０１０２执１２３４号`, `(2025)桂0102执1234号` and ` （2025） 桂0102执1234号 ` all become
    `（2025）桂0102执1234号`.
    """
    # NFKC turns full-width digits, letters and brackets into ASCII (and leaves Chinese characters alone);
    # the round brackets then go back to the full-width ones the rules prescribe.
    text = unicodedata.normalize("NFKC", raw or "")
    text = re.sub(r"\s+", "", text)
    return text.translate(_BRACKETS)


def search_form(query: str) -> str:
    """A search query written as the stored numbers are (half-width digits, full-width round brackets), its words
    still apart: `（２０２５）桂0102执１２３４号 张伟` → `（2025）桂0102执1234号 张伟`."""
    text = unicodedata.normalize("NFKC", query or "")
    return " ".join(text.split()).translate(_BRACKETS)


def case_number_variants(query: str) -> set[str]:
    """What a search for `query` should look for among stored case numbers: the query itself and its official
    form, so that `(2025)桂0102执12` or `（２０２５）桂0102执1234号` find `（2025）桂0102执1234号`."""
    query = (query or "").strip()
    variants = {query} if query else set()
    for form in (normalize_case_number(query), search_form(query)):
        if form:
            variants.add(form)
    return variants


# ---------------------------------------------------------------------------------------------------------
# Citizen identity numbers (GB 11643-1999)

# GB 11643-1999 Art. 7 (ISO 7064:1983 MOD 11-2): weight of position i (1-based from the left) is 2^(18-i) mod 11.
_ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_ID_CHECK = "10X98765432"  # the check character for each remainder of the weighted sum modulo 11


def identity_check_character(first17: str) -> str:
    """The check character (0-9 or X) of the 17 digits before it (GB 11643-1999 Art. 7)."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def _birth_date_valid(number: str) -> bool:
    """GB 11643-1999 Art. 5.2: positions 7-14 are the date of birth, YYYYMMDD."""
    try:
        born = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return born.year >= 1800


# ---------------------------------------------------------------------------------------------------------
# Unified social credit codes (GB 32100-2015)

# GB 32100-2015 Art. 4.2: the 31 symbols (no I, O, Z, S, V), each with its value 0-30.
USCC_SYMBOLS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {symbol: value for value, symbol in enumerate(USCC_SYMBOLS)}
# GB 32100-2015 Art. 4.3: weights of positions 1-17 (3^(i-1) mod 31).
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


def uscc_check_character(first17: str) -> str:
    """The check character of the 17 characters before it (GB 32100-2015 Art. 4.3: 31 - sum mod 31)."""
    total = sum(_USCC_VALUE[symbol] * weight for symbol, weight in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_SYMBOLS[(31 - total % 31) % 31]


# ---------------------------------------------------------------------------------------------------------
# A party's identification number, checked against the party's kind


@dataclass(frozen=True)
class IdentifierProblem:
    """Why an identification number was refused: a code naming the reason, and the standard it breaks."""

    code: str  # "identity_length", "identity_date", "identity_check", "uscc_length", "uscc_symbol", "uscc_check",
    #            "uscc_for_person", "identity_for_entity"
    standard: str


def normalize_identifier(raw: str) -> str:
    """As typed, without spaces or hyphens, half-width and upper-case (a lower-case x is the check X)."""
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", raw or "")).upper()


_LOOKS_LIKE_IDENTITY = re.compile(r"\d{14,19}X?")
_LOOKS_LIKE_USCC = re.compile(rf"[{USCC_SYMBOLS}IOZSV]{{17,19}}")


def identity_problem(number: str) -> IdentifierProblem | None:
    """None when `number` is a valid citizen identity number of GB 11643-1999."""
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return IdentifierProblem("identity_length", "GB 11643-1999")
    if not _birth_date_valid(number):
        return IdentifierProblem("identity_date", "GB 11643-1999 Art. 5.2")
    if identity_check_character(number[:17]) != number[17]:
        return IdentifierProblem("identity_check", "GB 11643-1999 Art. 7")
    return None


def uscc_problem(code: str) -> IdentifierProblem | None:
    """None when `code` is a valid unified social credit code of GB 32100-2015."""
    if len(code) != 18:
        return IdentifierProblem("uscc_length", "GB 32100-2015 Art. 4.1")
    if any(symbol not in _USCC_VALUE for symbol in code):
        return IdentifierProblem("uscc_symbol", "GB 32100-2015 Art. 4.2")
    if uscc_check_character(code[:17]) != code[17]:
        return IdentifierProblem("uscc_check", "GB 32100-2015 Art. 4.3")
    return None


def party_identifier_problem(number: str, kind: str) -> IdentifierProblem | None:
    """Check a party's number, already normalised, against its kind ("person" or "entity").

    A natural person's number that has the shape of a citizen identity number (digits, perhaps a final X) must
    be one; other documents (passports, permits for Hong Kong, Macao and Taiwan residents) are taken as written.
    An entity's number of 17 to 19 code symbols must be a unified social credit code; older registration numbers
    of other lengths are taken as written. A valid number of the other kind says that the kind is wrong.
    """
    if not number:
        return None
    if kind == "entity":
        if re.fullmatch(r"\d{17}[\dX]", number) and identity_problem(number) is None:
            return IdentifierProblem("identity_for_entity", "GB 11643-1999")
        if _LOOKS_LIKE_USCC.fullmatch(number):
            return uscc_problem(number)
        return None
    if len(number) == 18 and not number[:17].isdigit() and uscc_problem(number) is None:
        return IdentifierProblem("uscc_for_person", "GB 32100-2015")
    if _LOOKS_LIKE_IDENTITY.fullmatch(number):
        return identity_problem(number)
    return None


# ---------------------------------------------------------------------------------------------------------
# Natural person or entity, from the name

# Endings that only the name of an organisation carries: companies (Company Law Art. 7), partnership
# enterprises (Partnership Enterprise Law Art. 15, 62), and the other organisations that may be parties (CPL
# Art. 51; SPC Interpretation of the CPL Art. 52). The trade names of individual businesses (…店, …商行) are left
# out: such a business is a natural person (Civil Code Art. 54, 56).
ENTITY_NAME_ENDINGS = (
    "公司", "集团", "企业", "合伙）", "合伙)", "事务所", "合作社", "联合社", "银行", "分行", "支行", "信用社",
    "厂", "研究院", "研究所", "医院", "学校", "大学", "学院", "协会", "商会", "基金会", "委员会",
)


_ENDINGS = tuple({normalize_identifier(ending) for ending in ENTITY_NAME_ENDINGS})


def looks_like_entity(name: str) -> bool:
    """Does the name end the way only an organisation's name does (…有限公司, …合伙企业（有限合伙）)?"""
    return normalize_identifier(name).endswith(_ENDINGS)


def party_kind_for(name: str, kind: str | None) -> str:
    """The kind a party is recorded with: the one given, or by the name's ending when none was given."""
    if kind:
        return kind
    return "entity" if looks_like_entity(name) else "person"


def same_name(first: str, second: str) -> bool:
    """Two names are the same when they differ only in spacing, width or case (张 伟 = 张伟, ＡＢＣ = abc)."""
    return normalize_identifier(first) == normalize_identifier(second)
