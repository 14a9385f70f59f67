"""HTML bodies to text: what a reader sees, and nothing they do not."""

from __future__ import annotations

from helpdesk.adapters.mail.html_text import html_to_text


def test_blocks_lines_and_blank_lines() -> None:
    html = "<div>سطر</div><div>سطر ثانٍ<br>وثالث</div><p>فقرة</p><h1>عنوان</h1>نص"
    assert html_to_text(html) == "سطر\nسطر ثانٍ\nوثالث\n\nفقرة\n\nعنوان\n\nنص"


def test_hidden_content_is_dropped() -> None:
    html = (
        "<html><head><title>t</title><style>.a{}</style></head>"
        "<body><script>var x = 1;</script>مرئي<style>p{}</style></body></html>"
    )
    assert html_to_text(html) == "مرئي"


def test_entities_and_white_space() -> None:
    assert html_to_text("<p>أ&nbsp;&nbsp;ب &amp; &lt;ج&gt; &#1583; &quot;x&quot;</p>") == (
        'أ ب & <ج> د "x"'
    )
    assert html_to_text("<p>\n   كلمة\n   أخرى   </p>") == "كلمة أخرى"


def test_lists_tables_and_preformatted_text() -> None:
    assert html_to_text("<ul><li>أ</li><li>ب</li></ul>") == "- أ\n- ب"
    table = "<table><tr><td>الجهاز</td><td>4512</td></tr><tr><td>المبنى</td><td>أ</td></tr></table>"
    assert html_to_text(table) == "الجهاز 4512\nالمبنى أ"
    assert html_to_text("<pre>a   b\n  c</pre>") == "a   b\n  c"


def test_quotes_are_marked_as_a_plain_text_client_would() -> None:
    html = "<div>ردي</div><blockquote><p>رسالتك</p><blockquote>الأقدم</blockquote></blockquote>بعد"
    assert html_to_text(html) == "ردي\n\n> رسالتك\n>\n> > الأقدم\nبعد"


def test_broken_html_still_reads() -> None:
    # Inline tags join without a space, as a browser shows them; unclosed blocks still end.
    assert html_to_text("<div><p>غير مغلق<b>عريض</div></span>نهاية") == "غير مغلقعريض\nنهاية"
