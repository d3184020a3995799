"""Legal bases as the code writes them ("Opinions Art. 5 ¶2", "CPL Art. 172 (extended by 15 days)"), shown in
the reader's language."""

import re

_LAWS = {"Opinions": "《意见》", "CPL": "《刑事诉讼法》", "Criminal Law": "《刑法》",
         "Procuratorial Rules": "《人民检察院刑事诉讼规则》"}
_ARTICLES = re.compile(r"(?:(Opinions|CPL|Criminal Law|Procuratorial Rules) )?Art\. (\d+(?: ¶\d+)?(?:, \d+(?: ¶\d+)?)*)")
_NOTES = {"(extended)": "（延长）", "(extended by 15 days)": "（延长15日）", "(major or complex)": "（重大、复杂案件）"}
#: Every character a Chinese citation may be written with besides digits (documents/render.py keeps them in the
#: documents' core font).
WRITTEN_CHARACTERS = "".join(_LAWS.values()) + "".join(_NOTES.values()) + "第条款、；"


def _article(item: str) -> str:
    number, _, paragraph = item.partition(" ¶")
    # Arabic numerals, as court systems write citations on screen: 第105条, 第5条第2款.
    return f"第{int(number)}条" + (f"第{int(paragraph)}款" if paragraph else "")


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
