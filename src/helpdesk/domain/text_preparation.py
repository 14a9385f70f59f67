"""From an e-mail-shaped ticket to its problem statement.

Tickets that began as e-mails carry much that says nothing about the problem: banners
("[EXTERNAL]"), greetings, forwarded and reply headers, quoted earlier messages, sign-offs,
signatures with names, departments and phone numbers, confidentiality disclaimers in Arabic and
English, attachment markers. To a classifier those words are noise that looks like evidence (a
signature's "قسم المالية" is not a finance problem; "consider the environment before printing"
is not a printing one). `classification_text` is what every classifier in the product sees, in
training, evaluation and service alike; `prepared_description` is the same cleaning of the body
alone, for a channel that stores the cleaned body as the ticket's description.

The rules are deliberately conservative: they remove only what matches a known shape, and never
return empty text for input that had words (they fall back to a lighter cleaning, then to the
text itself with its white space tidied). They only remove: every word of the output is a word
of the input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# An earlier message is kept only while the newer ones say less than this many words.
STATEMENT_WORDS = 10
# A line this short next to contact details, at the end of a message, is taken for a signature.
SIGNATURE_LINE_WORDS = 6
# A sign-off line with at most this many other words is a sign-off (the rest is a name).
SIGN_OFF_REST_WORDS = 4


def _ar(pattern: str) -> str:
    """Let a written Arabic pattern match the spellings people use (hamza seats, ta marbuta,
    alef maqsura, optional diacritics and tatweel between letters)."""
    variants = {
        "ا": "[اأإآٱ]",
        "أ": "[اأإآ]",
        "إ": "[اأإ]",
        "ة": "[ةه]",
        "ه": "[هة]",
        "ي": "[يى]",
        "ى": "[يى]",
    }
    out = []
    for ch in pattern:
        if "\u0621" <= ch <= "\u064a":
            out.append(variants.get(ch, ch) + "[\u064b-\u065f\u0640]*")
        else:
            out.append(ch)
    return "".join(out)


def _alternatives(phrases: Iterable[str]) -> str:
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(_ar(p).replace(" ", r"\s+") for p in ordered)


# Word boundaries that also hold next to Arabic letters.
_B = r"(?<![\w@])"
_E = r"(?![\w@])"

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Seven or more digits with the separators phone numbers are written with; dots are left
# alone so that IP addresses and versions survive.
_PHONE = re.compile(r"(?<![\w.])\+?\(?\d[\d\s\-()]{5,}\d(?![\w.])")
PHONE_DIGITS = 7
_ATTACHMENT = re.compile(
    r"\[cid:[^\]]*\]|<<[^<>]*>>|\(see attached file:[^)]*\)"
    r"|(?<![\w])[\w\-]+\.(?:png|jpe?g|gif|bmp|pdf|docx?|xlsx?|pptx?|zip|rar|msg|txt|csv)(?!\w)"
    r"|📎",
    re.IGNORECASE,
)
_TITLE_PREFIX = re.compile(
    r"^\s*(?:(?:re|fw|fwd|aw|tr|رد|تحويل|"
    + _ar("إعادة توجيه")
    + r"|"
    + _ar("معاد توجيهها")
    + r")\s*:\s*|\[(?:external|"
    + _ar("خارجي")
    + r")\]\s*)+",
    re.IGNORECASE,
)

_HEADER = re.compile(
    r"^\s*(?:from|sent|to|cc|bcc|subject|date|importance|"
    + _alternatives(
        [
            "من",
            "تم الإرسال",
            "أرسلت",
            "أرسل",
            "مرسل",
            "المرسل",
            "إلى",
            "نسخة",
            "نسخة إلى",
            "نسخة مخفية",
            "الموضوع",
            "التاريخ",
            "بتاريخ",
            "الأهمية",
        ]
    )
    + r")\s*:",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(
    r"^\s*(?:-{2,}\s*(?:original message|forwarded message|"
    + _alternatives(["الرسالة الأصلية", "رسالة معاد توجيهها", "رسالة محولة"])
    + r")\s*-{2,}|_{8,}|-{8,}|begin forwarded message\s*:?|"
    + _alternatives(["بداية الرسالة المعاد توجيهها", "الرسالة المعاد توجيهها"])
    + r"\s*:?)\s*$",
    re.IGNORECASE,
)
# "On Mon, 1 Dec 2026 at 10:00, Ahmad <a@b.c> wrote:" and its Arabic form "في ... كتب:".
_REPLY_INTRO = re.compile(
    r"^\s*(?:on\s.{4,200}\swrote\s*:|"
    + _ar("في")
    + r"\s.{4,200}\s(?:"
    + _alternatives(["كتب", "كتبت"])
    # Arabic clients put the writer after the verb: "في …، كتب فلان <a@b>:"
    + r")(?:\s.{1,200})?\s*:)\s*$",
    re.IGNORECASE,
)
_BANNER = re.compile(
    r"^\s*(?:\[?(?:external|" + _ar("خارجي") + r")\]?\s*[:\-]?\s*$|"
    r"(?:caution|warning|external email|" + _alternatives(["تنبيه", "تحذير"]) + r")\s*[:\-].{0,200}"
    r"(?:outside|external|" + _alternatives(["خارج", "خارجية", "الخارج"]) + r").*$|"
    r"sent from my .{1,40}$|get outlook for .{1,30}$|"
    + _alternatives(["أرسلت من", "تم الإرسال من", "مرسل من"])
    + r"\s.{1,40}$|.{0,80}(?:environment before printing|"
    + _alternatives(["البيئة قبل طباعة", "البيئة قبل الطباعة", "قبل طباعة هذه الرسالة"])
    + r").*$)",
    re.IGNORECASE,
)
_DISCLAIMER_START = re.compile(
    r"disclaimer|confidentiality notice|this e-?mail (?:message )?(?:and any|is confidential|"
    r"contains)|intended (?:solely|only) for|intended recipient|legally privileged|"
    + _alternatives(
        [
            "إخلاء مسؤولية",
            "إخلاء المسؤولية",
            "إشعار السرية",
            "تنويه",
            "هذه الرسالة سرية",
            "هذه الرسالة الإلكترونية",
            "هذا البريد الإلكتروني ومرفقاته",
            "معلومات سرية",
            "سرية ومخصصة",
            "المرسل إليه فقط",
            "المقصود فقط",
        ]
    ),
    re.IGNORECASE,
)
_DISCLAIMER_WORDS = frozenset(
    [
        "confidential",
        "privileged",
        "intended",
        "recipient",
        "recipients",
        "sender",
        "notify",
        "delete",
        "destroy",
        "prohibited",
        "copying",
        "distribution",
        "disclosure",
        "dissemination",
        "unauthorized",
        "liability",
        "virus",
        "viruses",
        "opinions",
        "views",
        "attachments",
        "e-mail",
        "email",
        "message",
        "information",
        "error",
        "strictly",
        "سرية",
        "سري",
        "المرسل",
        "المرسل",
        "إليه",
        "المقصود",
        "يحظر",
        "يمنع",
        "نسخ",
        "توزيع",
        "الإفصاح",
        "حذف",
        "إشعار",
        "مسؤولية",
        "مرفقاتها",
        "ومرفقاتها",
        "المعلومات",
        "الرسالة",
        "بالخطأ",
        "مصرح",
        "الإلكترونية",
        "فيروسات",
        "آراء",
    ]
)
_GREETING = re.compile(
    r"^\s*(?:"
    + _alternatives(
        [
            "السلام عليكم ورحمة الله وبركاته",
            "السلام عليكم ورحمة الله",
            "السلام عليكم",
            "سلام عليكم",
            "وعليكم السلام",
            "تحية طيبة وبعد",
            "تحية طيبة",
            "تحية وبعد",
            "تحية عطرة",
            "بعد التحية",
            "وبعد",
            "صباح الخير",
            "صباح النور",
            "مساء الخير",
            "مرحبا",
            "مرحبًا",
            "أهلا",
            "هلا",
            "يعطيكم العافية",
            "الله يعطيكم العافية",
            "الله يعافيكم",
            "عساكم على القوة",
            "ازيكم",
            "ازيك",
            "لو سمحتم",
            "بعد إذنكم",
        ]
    )
    + r"|good (?:morning|afternoon|evening)|greetings|hello(?: team| all| there)?|"
    r"hi(?: team| all| there)?|dear(?: all| team| sir| madam| colleagues)?)(?=[\s,،.!:؛]|$)"
    r"[\s,،.!:؛]*",
    re.IGNORECASE,
)
# "Dear Ahmad," / "عزيزي أحمد،" / "الأستاذ خالد المحترم" — an addressee line.
_ADDRESSEE = re.compile(
    r"^\s*(?:(?:dear|hi|hello)\s+[^,،\n]{1,40}[,،]\s*$|"
    r"(?:"
    + _alternatives(
        [
            "عزيزي",
            "عزيزتي",
            "أستاذ",
            "أستاذة",
            "أخي",
            "أختي",
            "دكتور",
            "المهندس",
            "م.",
            "الأستاذ",
            "الأستاذة",
            "الأخ",
            "الأخت",
            "الإخوة",
            "الإخوان",
            "الزملاء",
            "الزميل",
            "سعادة",
            "السيد",
            "السادة",
            "حضرة",
            "فريق الدعم",
            "إدارة الدعم",
            "قسم الدعم",
            "فريق تقنية المعلومات",
        ]
    )
    + r")(?:\s+\S+){0,3}\s*[,،:]?\s*$|"
    r".{0,60}(?:"
    + _alternatives(
        [
            "المحترم",
            "المحترمين",
            "المحترمة",
            "الموقر",
            "الموقرة",
            "حفظه الله",
            "حفظكم الله",
            "الكرام",
        ]
    )
    + r")\s*[,،.]?\s*$)",
    re.IGNORECASE,
)
_SIGN_OFF_PHRASES = _alternatives(
    [
        "وتقبلوا فائق الاحترام والتقدير",
        "وتقبلوا فائق الاحترام",
        "تقبلوا فائق الاحترام",
        "وتفضلوا بقبول فائق الاحترام",
        "وتقبلوا تحياتي",
        "وتقبلوا خالص تحياتي",
        "مع أطيب التحيات",
        "أطيب التحيات",
        "مع خالص التقدير",
        "مع فائق الاحترام",
        "مع وافر التحية",
        "مع خالص التحية والتقدير",
        "مع خالص التحية",
        "مع خالص الشكر",
        "مع التحية والتقدير",
        "مع التحية",
        "مع تحياتي",
        "مع الشكر والتقدير",
        "مع الشكر",
        "شاكرين تعاونكم",
        "شاكرين لكم حسن تعاونكم",
        "شاكرين لكم تعاونكم",
        "شاكرين لكم",
        "شاكرين ومقدرين",
        "شاكرا لكم",
        "ولكم جزيل الشكر",
        "ولكم الشكر",
        "جزيل الشكر",
        "وجزاكم الله خيرا",
        "جزاكم الله خيرا",
        "شكرا لكم",
        "شكرا جزيلا",
        "وشكرا مقدما",
        "شكرا مقدما",
        "وشكرا",
        "شكرا",
        "شكرًا",
        "تحياتي",
        "دمتم بخير",
        "تسلموا",
        "ربنا يخليكم",
        "وفقكم الله",
    ]
)
_SIGN_OFF = re.compile(
    r"^\s*(?:" + _SIGN_OFF_PHRASES + r"|best regards|kind regards|warm regards|"
    r"thanks (?:and|&) regards|thanks in advance|many thanks|regards|sincerely|"
    r"yours (?:sincerely|truly|faithfully)|with regards|warmest regards|thank you|thanks|cheers|br)"
    r"(?=[\s,،.!؛]|$)[\s,،.!؛]*",
    re.IGNORECASE,
)
_TRAILING_SIGN_OFF = re.compile(
    r"(?<=[.!؟?،,])\s*(?:" + _SIGN_OFF_PHRASES + r"|best regards|kind regards|regards|"
    r"thanks in advance|thank you|thanks)[\s,،.!؛]*$",
    re.IGNORECASE,
)
# Courtesy and request-template phrases: they say how to ask, not what is wrong.
_COURTESY = re.compile(
    _B
    + r"(?:"
    + _alternatives(
        [
            "يرجى التكرم بالاطلاع والإفادة",
            "يرجى التكرم بالاطلاع واتخاذ اللازم",
            "يرجى الاطلاع واتخاذ اللازم",
            "يرجى الاطلاع والإفادة",
            "يرجى التكرم بالاطلاع",
            "نرجو التكرم بالاطلاع",
            "أرجو التكرم بالاطلاع",
            "يرجى التكرم",
            "نرجو التكرم",
            "أرجو التكرم",
            "نأمل التكرم",
            "نأمل منكم",
            "أرجو منكم",
            "نرجو منكم",
            "واتخاذ اللازم",
            "واتخاذ ما يلزم",
            "وعمل اللازم",
            "لعمل اللازم",
            "لاتخاذ اللازم",
            "للاطلاع والإفادة",
            "والإفادة",
            "للإفادة",
            "كما هو موضح أدناه",
            "حسب الموضح أدناه",
            "الموضح أدناه",
            "يرجى الاطلاع أدناه",
            "بأسرع وقت ممكن",
            "في أقرب وقت ممكن",
            "ولكم جزيل الشكر",
            "ولكم الشكر",
            "شاكرين لكم حسن تعاونكم",
            "شاكرين تعاونكم",
            "وشكرا لكم",
            "نفيدكم بأن",
            "نفيدكم أن",
            "نود إفادتكم بأن",
            "نود إفادتكم",
            "نحيطكم علما بأن",
            "أود إبلاغكم بأن",
            "أود إبلاغكم أن",
            "نود إبلاغكم بأن",
            "بالإشارة إلى الموضوع أعلاه",
            "بالإشارة إلى الموضوع",
            "بعمل اللازم",
            "سرعة المعالجة",
            "للعلم",
            "للاطلاع",
            "نرجو المتابعة",
        ]
    )
    + r"|fyi|please check below|check below|please see below|see below|please advise|kindly advise|please assist|kindly assist|"
    r"at your earliest convenience|as soon as possible|thanks in advance|kindly|please)" + _E,
    re.IGNORECASE,
)
_CONTACT_LABEL = re.compile(
    r"^\s*(?:tel|phone|mobile|mob|cell|ext|extension|fax|p\.?\s?o\.?\s?box|office|"
    r"[tmfe]|"
    + _alternatives(
        ["هاتف", "الهاتف", "جوال", "الجوال", "موبايل", "تحويلة", "التحويلة", "فاكس", "ص.ب", "ص ب"]
    )
    + r")\s*[:.\-]?\s*[:\-]?\s*$",
    re.IGNORECASE,
)
# "مرفق صورة الخطأ" / "Attachments: log.txt": a line that only announces an attachment.
_ATTACHMENT_LINE = re.compile(
    r"^\s*(?:attached|attachments?|"
    + _alternatives(["مرفق", "مرفقة", "مرفقات", "المرفقات", "المرفق"])
    + r")(?=[\s:،,]|$)(?:[\s:،,]*\S+){0,3}[\s.]*$",
    re.IGNORECASE,
)
_CONTACT_WORD = re.compile(
    r"(?:^|\s)(?:tel|phone|mobile|ext|fax|"
    + _alternatives(["هاتف", "الهاتف", "جوال", "الجوال", "موبايل", "تحويلة", "فاكس", "ص.ب"])
    + r")\s*[:.]",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"[ \t\u00a0\u200f\u200e]+")
_PUNCT_ONLY = re.compile(r"^[\W_]*$")


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _strip_markers(line: str) -> str:
    """Remove URLs, e-mail addresses, phone numbers and attachment markers from one line."""
    for pattern in (_ATTACHMENT, _URL, _EMAIL):
        line = pattern.sub(" ", line)
    line = _PHONE.sub(_drop_phone, line)
    return _tidy(line)


def _drop_phone(found: re.Match[str]) -> str:
    digits = sum(ch.isdigit() for ch in found.group())
    return " " if digits >= PHONE_DIGITS else found.group()


def _tidy(line: str) -> str:
    line = _SPACE.sub(" ", line).strip()
    # Punctuation left dangling at the start by a removal ("، الطابعة" -> "الطابعة").
    return re.sub(r"^[\s,،.;؛:!\-–—|]+", "", line).strip()


# --- messages -------------------------------------------------------------------------------


def _messages(text: str) -> list[list[str]]:
    """Split a chain into messages, newest first; header lines and separators are dropped."""
    messages: list[list[str]] = [[]]
    quoted_now = False
    in_header = False
    for raw in text.splitlines():
        stripped = raw.strip()
        quoted = stripped.startswith(">")
        line = stripped.lstrip(">").strip() if quoted else stripped
        if _SEPARATOR.match(line) or _REPLY_INTRO.match(line):
            messages.append([])
            in_header = False
            quoted_now = quoted
            continue
        if _HEADER.match(line):
            if not in_header and any(messages[-1]):
                messages.append([])
            in_header = True
            quoted_now = quoted
            continue
        if in_header and not line:
            continue
        in_header = False
        if quoted != quoted_now and any(messages[-1]):
            messages.append([])
        quoted_now = quoted
        messages[-1].append(line)
    return [m for m in messages if any(m)]


def _drop_disclaimers(lines: list[str]) -> list[str]:
    out: list[str] = []
    in_disclaimer = False
    for line in lines:
        if _DISCLAIMER_START.search(line):
            in_disclaimer = True
            continue
        if in_disclaimer:
            words = {w.lower() for w in _WORD.findall(line)}
            if not line or len(words & _DISCLAIMER_WORDS) < 2:
                in_disclaimer = False
            else:
                continue
        out.append(line)
    return out


def _only_labels(line: str) -> bool:
    """ "M: | E:" — contact labels whose numbers and addresses are gone."""
    return all(not part.strip() or _CONTACT_LABEL.match(part) for part in re.split(r"[|,،/]", line))


def _is_contact_line(line: str) -> bool:
    if _CONTACT_WORD.search(line) or _CONTACT_LABEL.match(line):
        return True
    return _strip_markers(line) != _tidy(line) and _words(_strip_markers(line)) <= 4


def _drop_signature(lines: list[str]) -> list[str]:
    """Cut at a sign-off that follows content, and a trailing block of short lines that holds
    contact details (a signature written without a sign-off)."""
    content_seen = False
    for i, line in enumerate(lines):
        signed = _SIGN_OFF.match(line)
        if signed and content_seen and _words(line[signed.end() :]) <= SIGN_OFF_REST_WORDS:
            return lines[:i]
        trailing = _TRAILING_SIGN_OFF.search(line)
        if trailing and _words(line[: trailing.start()]) > 0:
            rest = lines[i + 1 :]
            if all(_words(r) <= SIGNATURE_LINE_WORDS for r in rest):
                return [*lines[:i], line[: trailing.start()]]
        if _words(line) > 0:
            content_seen = True
    # A signature without a sign-off: contact details in a trailing run of short lines.
    end = len(lines)
    start = end
    while start > 0 and (not lines[start - 1] or _words(lines[start - 1]) <= SIGNATURE_LINE_WORDS):
        start -= 1
    block = lines[start:end]
    if any(_is_contact_line(line) for line in block if line) and any(
        _words(line) for line in lines[:start]
    ):
        first_contact = next(i for i, line in enumerate(block) if line and _is_contact_line(line))
        # The short lines just above the contact details are the name, title and department.
        cut = start + first_contact
        while cut > start and lines[cut - 1] and _words(lines[cut - 1]) <= 4:
            cut -= 1
        return lines[:cut]
    return lines


def _clean_message(lines: list[str]) -> list[str]:
    lines = [line for line in lines if not (_BANNER.match(line) or _ATTACHMENT_LINE.match(line))]
    lines = _drop_disclaimers(lines)
    out = _drop_signature(_drop_opening(lines))
    cleaned = (_strip_markers(_COURTESY.sub(" ", line)) for line in out)
    return [
        line for line in cleaned if line and not _PUNCT_ONLY.match(line) and not _only_labels(line)
    ]


def _drop_opening(lines: list[str]) -> list[str]:
    """Drop the greetings and addressee lines at the top of a message."""
    for index, line in enumerate(lines):
        if not line or _is_addressee(line):
            continue
        opened = _tidy(_without_greetings(line))
        if not opened or _PUNCT_ONLY.match(opened) or _is_addressee(opened):
            continue
        return [opened, *lines[index + 1 :]]
    return []


def _is_addressee(line: str) -> bool:
    return bool(_ADDRESSEE.match(line)) and _words(line) <= 9


def _without_greetings(line: str) -> str:
    greeted = _GREETING.match(line)
    while greeted and greeted.end() > 0:
        line = line[greeted.end() :]
        greeted = _GREETING.match(line)
    return line


def _full(text: str) -> str:
    kept: list[str] = []
    for message in _messages(text):
        cleaned = _clean_message(message)
        if cleaned:
            kept.extend(cleaned)
        if _words(" ".join(kept)) >= STATEMENT_WORDS:
            break
    return "\n".join(kept)


def _light(text: str) -> str:
    lines = []
    for raw in text.splitlines():
        line = raw.strip().lstrip(">").strip()
        if _HEADER.match(line) or _SEPARATOR.match(line) or _BANNER.match(line):
            continue
        line = _strip_markers(line)
        if line and not _PUNCT_ONLY.match(line):
            lines.append(line)
    return "\n".join(lines)


def _tidy_all(text: str) -> str:
    return (
        "\n".join(line for line in (_tidy(raw) for raw in text.splitlines()) if line)
        or _SPACE.sub(" ", text).strip()
    )


def _once(text: str) -> str:
    for attempt in (_full, _light, _tidy_all):
        result = attempt(text)
        if _words(result) > 0 or (result.strip() and not _words(text)):
            return result
    return text.strip()


def prepared_description(description: str) -> str:
    """The problem statement of a ticket body: never empty when the body had words."""
    text = description.replace("\r\n", "\n").replace("\r", "\n")
    # Each pass only removes; a second pass can find more (a header that the first pass
    # exposed), so repeat until nothing changes. Idempotent by construction.
    for _ in range(8):
        cleaned = _once(text)
        if cleaned == text:
            break
        text = cleaned
    return text


def newest_message(text: str) -> str:
    """Only what the newest message of a chain says, cleaned as `prepared_description` cleans
    it (banners, disclaimers, greetings, signatures): the body of a reply by e-mail, which must
    not repeat the history it quotes. The whole prepared description when the newest message
    says nothing of its own."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    messages = _messages(text)
    newest = "\n".join(_clean_message(messages[0])) if messages else ""
    return newest if _words(newest) else prepared_description(text)


def prepared_title(title: str) -> str:
    """The title without reply/forward prefixes and banners ("RE: FW: [EXTERNAL] …")."""
    stripped = _TITLE_PREFIX.sub("", title)
    stripped = _SPACE.sub(" ", stripped).strip()
    return stripped if _words(stripped) or not _words(title) else _SPACE.sub(" ", title).strip()


def classification_text(title: str, description: str) -> str:
    """What a classifier reads: the prepared title and the problem statement of the body."""
    return f"{prepared_title(title)}\n{prepared_description(description)}".strip()
