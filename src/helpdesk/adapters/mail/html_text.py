"""Readable text from an HTML mail body, with the standard library's HTML parser.

Scripts, styles and the document head are dropped; block elements end lines (paragraphs and
headings leave a blank line); list items start with "- "; `<pre>` keeps its spacing; entities are
decoded. A `<blockquote>`'s lines are prefixed with "> ", as a plain-text client quotes, so the
quoted history of an HTML reply can be recognised the same way as a plain one's.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_HIDDEN = frozenset({"script", "style", "head", "title", "template", "xml"})
_PARAGRAPHS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "dl"})
_BLOCKS = frozenset(
    {
        "div", "tr", "li", "dt", "dd", "section", "article", "header", "footer", "address",
        "center", "form", "fieldset", "figure", "figcaption", "main", "nav", "aside", "hr",
        "pre", "blockquote", "caption", "tbody", "thead", "tfoot",
    }
)  # fmt: skip
_CELLS = frozenset({"td", "th"})
_VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr"})
_SPACE = re.compile(r"\s+")


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._line: list[str] = []
        self._line_depth = 0
        self._last_depth = 0
        self._breaks = 0  # newlines owed before the next text: 1 ends a line, 2 leaves a blank
        self._hidden = 0
        self._pre = 0
        self._quote = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag == "br":
            self._end_line(force=True)
        elif tag in _PARAGRAPHS:
            self._owe(2)
        elif tag in _BLOCKS:
            self._owe(1)
            if tag == "li":
                self._text("- ", raw=True)
            elif tag == "pre":
                self._pre += 1
            elif tag == "blockquote":
                self._quote += 1
        elif tag in _CELLS and self._line and not self._breaks:
            self._text(" ", raw=True)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _PARAGRAPHS:
            self._owe(2)
        elif tag in _BLOCKS:
            self._owe(1)
            if tag == "pre":
                self._pre = max(0, self._pre - 1)
            elif tag == "blockquote":
                self._quote = max(0, self._quote - 1)

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self._text(data)

    def _owe(self, breaks: int) -> None:
        self._breaks = max(self._breaks, breaks)

    def _text(self, data: str, *, raw: bool = False) -> None:
        if self._pre and not raw:
            first, *rest = data.split("\n")
            self._append(first)
            for piece in rest:
                self._end_line(force=True)
                self._append(piece)
            return
        if not raw:
            data = _SPACE.sub(" ", data)
            if not self._line or self._breaks:
                data = data.lstrip()
        if data:
            self._append(data)

    def _append(self, data: str) -> None:
        if self._breaks:
            self._end_line()
            if self._breaks > 1 and self.lines and self.lines[-1].strip("> "):
                # A blank line inside a quote stays quoted; one at its edge does not.
                self.lines.append(self._prefix(min(self._last_depth, self._quote)))
            self._breaks = 0
        if not self._line:
            self._line_depth = self._quote
        self._line.append(data)

    def _end_line(self, *, force: bool = False) -> None:
        if self._line or force:
            depth = self._line_depth if self._line else self._quote
            self.lines.append(self._prefix(depth) + "".join(self._line).rstrip())
            self._last_depth = depth
        self._line = []

    @staticmethod
    def _prefix(depth: int) -> str:
        return "> " * depth

    def text(self) -> str:
        self._end_line()
        lines = [line.rstrip() for line in self.lines]
        out: list[str] = []
        for line in lines:
            if not line.strip("> ") and out and not out[-1].strip("> "):
                continue  # one blank line at most
            out.append(line)
        return "\n".join(out).strip("\n")


def html_to_text(html: str) -> str:
    extractor = _Extractor()
    extractor.feed(html)
    extractor.close()
    return extractor.text()
