"""Legal bases as the code writes them ("Opinions Art. 5 ¶2", "CPL Art. 172 (extended by 15 days)"), shown in
the reader's language."""

import re
from functools import lru_cache

#: The laws a code may name, longest first (the SPC's 2021 Interpretation of the CPL names the CPL too).
_LAWS = {
    "SPC Interpretation of the CPL": "《最高人民法院关于适用〈中华人民共和国刑事诉讼法〉的解释》",
    "Opinions": "《意见》",
    "CPL": "《刑事诉讼法》",
    "Criminal Law": "《刑法》",
    "Procuratorial Rules": "《人民检察院刑事诉讼规则》",
}
_ARTICLES = re.compile(
    r"(?:(" + "|".join(map(re.escape, _LAWS)) + r") )?Art\. (\d+(?: ¶\d+)?(?:, \d+(?: ¶\d+)?)*)"
)
_NOTES = {"(extended)": "（延长）", "(extended by 15 days)": "（延长15日）", "(major or complex)": "（重大、复杂案件）"}
#: Every character a Chinese citation may be written with besides digits (documents/render.py keeps them in the
#: documents' core font).
WRITTEN_CHARACTERS = "".join(_LAWS.values()) + "".join(_NOTES.values()) + "第条款、；" + "〇一二三四五六七八九十百零"
_ZH_DIGITS = "〇一二三四五六七八九"
_EN_NUMBERS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)
_EN_TENS = {20: "twenty", 30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 70: "seventy", 80: "eighty",
            90: "ninety"}


def _article(item: str) -> str:
    number, _, paragraph = item.partition(" ¶")
    # Arabic numerals, as court systems write citations on screen: 第105条, 第5条第2款.
    return f"第{int(number)}条" + (f"第{int(paragraph)}款" if paragraph else "")


@lru_cache(maxsize=4096)  # a sweep writes the same few bases in thousands of notices
def basis_text(text: str, language: str, *, law: str = "") -> str:
    """A legal basis as the code writes it ("Opinions Art. 5 ¶2", "CPL Art. 172") in the page's language: in
    Chinese 《意见》第5条第2款, 《刑事诉讼法》第172条. `law` names the law of a text that starts with a
    bare "Art.". Text of another form is shown as it is."""
    if not text or not language.startswith("zh"):
        return text
    original = text
    if law and text.startswith("Art. "):
        text = f"{law} {text}"

    def articles(match: re.Match) -> str:
        return _LAWS.get(match.group(1) or "", "") + "、".join(_article(i) for i in match.group(2).split(", "))

    result = _ARTICLES.sub(articles, text).replace("; ", "；")
    for note, zh in _NOTES.items():
        result = result.replace(f" {note}", zh)
    return original if re.search(r"[A-Za-z¶]", result) else result


def joined(items, language: str) -> str:
    """Items of a list in running text: 甲、乙、丙 in Chinese, "a, b, c" in English."""
    return ("、" if language.startswith("zh") else ", ").join(str(item) for item in items)


def label_colon(language: str) -> str:
    """What follows a label before its value: the full-width colon in Chinese, ": " in English."""
    return "：" if language.startswith("zh") else ": "


def chinese_numeral(n: int) -> str:
    """0..999 as a letter writes articles and periods: 七, 十五, 三十, 一百零五, 二百一十二, 三百二十."""
    if not 0 <= n < 1000:
        raise ValueError(f"{n} is out of range")
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    text = _ZH_DIGITS[hundreds] + "百" if hundreds else ""
    if tens:
        text += ("" if tens == 1 and not hundreds else _ZH_DIGITS[tens]) + "十"
    elif hundreds and units:
        text += "零"
    if units or not n:
        text += _ZH_DIGITS[units]
    return text


def english_numeral(n: int) -> str:
    """0..99 in words, as a letter writes periods: seven, fifteen, thirty."""
    if n < 20:
        return _EN_NUMBERS[n]
    if not n < 100:
        raise ValueError(f"{n} is out of range")
    tens, units = divmod(n, 10)
    return _EN_TENS[tens * 10] + (f"-{_EN_NUMBERS[units]}" if units else "")


def article_words(text: str, language: str) -> str:
    """The articles of a code ("Opinions Art. 8 ¶3", "CPL Art. 212 ¶2") as a letter writes them after the law's
    name: 第八条第三款, 第二百一十二条第二款 / Article 8, paragraph 3. The letter names the law itself."""
    match = _ARTICLES.search(text or "")
    if match is None:
        return ""
    words = []
    for item in match.group(2).split(", "):
        number, _, paragraph = item.partition(" ¶")
        if language.startswith("zh"):
            words.append(f"第{chinese_numeral(int(number))}条"
                         + (f"第{chinese_numeral(int(paragraph))}款" if paragraph else ""))
        else:
            words.append(f"Article {int(number)}" + (f", paragraph {int(paragraph)}" if paragraph else ""))
    return ("、" if language.startswith("zh") else " and ").join(words)


def number_words(n: int, language: str) -> str:
    """A period's length as a letter writes it: 七 / seven."""
    return chinese_numeral(n) if language.startswith("zh") else english_numeral(n)
