"""A small document model typeset twice: as a PDF by Typst and as a Markdown twin.

A ``Document`` is a title, running header and footer, and a list of blocks
(headings, paragraphs, the key findings, tables, figures, page breaks), all of
it plain text. ``to_typst`` writes Typst source for it, ``write_pdf`` compiles
that with the ``typst`` package, and ``to_markdown`` writes the same text as
Markdown, so the two files cannot disagree.

* Text is never markup: every user string goes into the Typst source as a
  string literal in code mode (``#"..."``), where only ``\\`` and ``"`` need
  escaping, so ``#``, ``$``, ``*``, ``<`` and the rest print as themselves.
* One font, from a file we install (Noto Sans CJK SC, see ``analysis.style``),
  for Latin and Chinese alike; system fonts and Typst's embedded fonts are
  left out, so the PDF does not depend on the machine. The font has one
  weight and Typst synthesises no bold, so bold text (headings, table heads)
  is drawn with a thin outline. It has no emoji, which print as blanks.
* Reproducible: no creation date, so the same document gives the same bytes.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import typst

from analysis.style import font_path
from sim.languages import Bilingual, check_lang
from sim.output import replacing

FONT_FAMILY = "Noto Sans CJK SC"
TEXT_PT, SMALL_PT, TABLE_PT, TITLE_PT, FURNITURE_PT = 10, 8, 8.5, 18, 7.5
HEADING_PT = {1: 13, 2: 11, 3: 10}
RULE_HEAVY, RULE_LIGHT = "0.8pt", "0.4pt"
GREY = "luma(40%)"
# The font has one weight and Typst synthesises none: bold is drawn as a thin outline.
FAUX_BOLD = "0.025em + black"
FINDINGS_FILL = "rgb(\"#EEF3F8\")"
PAGE_SETUP = '#set page(paper: "a4", margin: (x: 2.2cm, top: 2.6cm, bottom: 2.4cm))'


@dataclass(frozen=True)
class Caption:
    """How a language numbers a caption: 'Figure 1: ' or '图 1：'."""

    figure: str
    table: str
    separator: str


REGIONS = Bilingual(en="gb", zh="cn")   # Typst's localisation and CJK rules by region
CAPTIONS = Bilingual(en=Caption("Figure", "Table", ": "), zh=Caption("图", "表", "："))


# --- the document model ----------------------------------------------------------------------

@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """Body text; ``small`` for a note or a source line under a table or figure."""

    text: str
    small: bool = False


@dataclass(frozen=True)
class Findings:
    """The key findings: a numbered list set in a shaded box, so a reader finds them first."""

    items: list[str]


@dataclass(frozen=True)
class Table:
    """Cells as text. ``numeric`` columns are right-aligned so their digits line up; a row
    of one cell is a group heading across all columns; ``widths`` are relative shares (None:
    as the cells need). The header repeats when the table breaks across pages."""

    header: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    caption: str | None = None
    widths: list[float] | None = None

    def __post_init__(self) -> None:
        columns = len(self.header)
        if len(self.numeric) != columns or (self.widths and len(self.widths) != columns):
            raise ValueError("a table needs one numeric flag (and width) per header cell")
        for row in self.rows:
            if len(row) not in (1, columns):
                raise ValueError(f"a table row has {len(row)} cells, not 1 or {columns}: {row}")


@dataclass(frozen=True)
class Figure:
    """An image file (under the output folder) with its caption; ``width`` is its share of
    the text width."""

    image: Path
    caption: str
    width: float = 1.0


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | Findings | Table | Figure | PageBreak


@dataclass(frozen=True)
class Document:
    """A whole document. ``page_label`` formats the page number, with ``{n}`` for the page
    and ``{total}`` for the page count (e.g. 'Page {n} of {total}')."""

    title: str
    lang: str
    header: str
    footer: str
    page_label: str
    blocks: list[Block] = field(default_factory=list)


# --- Typst -----------------------------------------------------------------------------------

def literal(text: str) -> str:
    """``text`` as a Typst string literal: every character stands for itself."""
    out = []
    for ch in text:
        if ch in '\\"':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{{{ord(ch):x}}}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def relative_image(image: Path, root: Path) -> str:
    """The image's path under ``root`` in POSIX form: Typst reads no file outside its root,
    and the Markdown twin, which sits in ``root``, links to the same path."""
    resolved, base = image.resolve(), root.resolve()
    if not resolved.is_relative_to(base):
        raise ValueError(f"the figure {image} is outside the document's folder {root}; "
                         "images must sit under it")
    return resolved.relative_to(base).as_posix()


def _page_label(label: str) -> str:
    """A Typst expression for the page label: '{n}' and '{total}' become page counts."""
    parts, rest = [], label
    while rest:
        cuts = [(rest.find(key), key) for key in ("{n}", "{total}") if key in rest]
        if not cuts:
            parts.append(literal(rest))
            break
        at, key = min(cuts)
        if at:
            parts.append(literal(rest[:at]))
        parts.append("str(counter(page).get().first())" if key == "{n}"
                     else "str(counter(page).final().first())")
        rest = rest[at + len(key):]
    return " + ".join(parts) or '""'


def _preamble(doc: Document) -> list[str]:
    """Page, text and caption settings, the running header and footer."""
    caption = CAPTIONS.pick(doc.lang)
    furniture = f"set text(size: {FURNITURE_PT}pt, fill: {GREY})"
    return [
        f"#set document(title: {literal(doc.title)}, date: none)",
        PAGE_SETUP,
        "#set page(",
        f"  header: context {{ {furniture}; {literal(doc.header)}; "
        f"v(-0.6em); line(length: 100%, stroke: {RULE_LIGHT} + {GREY}) }},",
        f"  footer: context {{ {furniture}; {literal(doc.footer)}; h(1fr); "
        f"{_page_label(doc.page_label)} }},",
        ")",
        f'#set text(font: "{FONT_FAMILY}", fallback: false, size: {TEXT_PT}pt, '
        f'lang: "{doc.lang}", region: "{REGIONS.pick(doc.lang)}", hyphenate: false)',
        "#set par(justify: true, leading: 0.75em, spacing: 1.1em)",
        *(f"#show heading.where(level: {level}): set text(size: {size}pt)"
          for level, size in HEADING_PT.items()),
        "#show heading: set block(above: 1.5em, below: 0.8em)",
        f"#show heading: set text(stroke: {FAUX_BOLD})",
        f"#show strong: set text(stroke: {FAUX_BOLD})",
        "#show figure: set block(above: 1.6em, below: 1.4em)",
        f"#show figure.where(kind: image): set figure(supplement: {literal(caption.figure)})",
        f"#show figure.where(kind: table): set figure(supplement: {literal(caption.table)})",
        f"#set figure.caption(separator: {literal(caption.separator)})",
        "#show figure.where(kind: table): set figure.caption(position: top)",
        "#show figure.where(kind: table): set block(breakable: true)",
        "#show figure.caption: set text(size: 9pt)",
        "",
        f"#block(below: 1.2em, text(size: {TITLE_PT}pt, strong({literal(doc.title)})))",
    ]


def _findings(block: Findings) -> str:
    items = ", ".join(literal(item) for item in block.items)
    return (f"#block(width: 100%, fill: {FINDINGS_FILL}, inset: (x: 12pt, y: 10pt), "
            f"radius: 3pt, enum(spacing: 0.8em, {items}))")


def _cell(text: str, numeric: bool, bold: bool = False) -> str:
    body = f"strong({literal(text)})" if bold else literal(text)
    return f"table.cell(align: {'right' if numeric else 'left'}, {body})"


def _table(block: Table) -> str:
    """A booktabs table: heavy rules above and below, a light one under the header and
    above each group heading, no vertical rules. The header's rules repeat with it on each
    page the table runs onto. Centred, like a figure, with or without a caption."""
    columns = len(block.header)
    widths = [f"{w:g}fr" for w in block.widths] if block.widths else ["auto"] * columns
    head = ", ".join(_cell(text, num, bold=True)
                     for text, num in zip(block.header, block.numeric, strict=True))
    lines = [f"table(columns: ({', '.join(widths)},), stroke: none, inset: (x: 4pt, y: 3.5pt),",
             f"  table.header(table.hline(stroke: {RULE_HEAVY}), {head}, "
             f"table.hline(stroke: {RULE_LIGHT})),"]
    for index, row in enumerate(block.rows):
        if len(row) == 1 and columns > 1:
            if index:
                lines.append(f"  table.hline(stroke: {RULE_LIGHT}),")
            lines.append(f"  table.cell(colspan: {columns}, align: left, "
                         f"strong({literal(row[0])})),")
        else:
            lines.append("  " + ", ".join(_cell(text, num) for text, num
                                          in zip(row, block.numeric, strict=True)) + ",")
    lines += [f"  table.hline(stroke: {RULE_HEAVY}),", ")"]
    settings = (f'set text(number-width: "tabular", size: {TABLE_PT}pt, hyphenate: false)\n'
                "  set par(justify: false)\n  ")
    body = "{\n  " + settings + "\n  ".join(lines) + "\n}"
    if block.caption is None:
        return f"#align(center, {body})"
    return f"#figure(kind: table, caption: {literal(block.caption)}, {body})"


def _figure(block: Figure, root: Path) -> str:
    path = "/" + relative_image(block.image, root)   # a leading '/' means: from the root
    return (f"#figure(image({literal(path)}, width: {block.width * 100:g}%), "
            f"caption: {literal(block.caption)})")


def _block(block: Block, root: Path) -> str:
    """One block of the body as Typst markup."""
    match block:
        case Heading(text, level):
            return f"#heading(level: {level}, {literal(text)})"
        case Paragraph(text, small):
            return (f"#text(size: {SMALL_PT}pt, fill: {GREY}, {literal(text)})" if small
                    else f"#{literal(text)}")
        case Findings():
            return _findings(block)
        case Table():
            return _table(block)
        case Figure():
            return _figure(block, root)
        case PageBreak():
            return "#pagebreak(weak: true)"
    raise TypeError(f"not a block of a document: {block!r}")


def to_typst(doc: Document, root: Path) -> str:
    """The document as Typst source; figures are read from under ``root``."""
    check_lang(doc.lang)
    body = [_block(block, root) for block in doc.blocks]
    return "\n".join(_preamble(doc)) + "\n\n" + "\n\n".join(body) + "\n"


# --- compiling -------------------------------------------------------------------------------

@functools.cache
def fonts() -> typst.Fonts:
    """Only the fonts in our font's folder: no system fonts, none of Typst's own."""
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                       font_paths=[str(font_path().parent)])


def compile_pdf(source: str, root: Path) -> bytes:
    """Typst source as PDF bytes. A Typst error here is a bug in ``to_typst`` (user text
    cannot make one), so it is raised as such, with Typst's message."""
    try:
        compiler = typst.Compiler(root=root, font_paths=fonts(), ignore_system_fonts=True)
        pdf, notes = compiler.compile_with_warnings(source.encode("utf-8"), format="pdf")
    except typst.TypstError as error:   # its diagnostic names the error and where it is
        detail = getattr(error, "diagnostic", "") or str(error)
        raise RuntimeError(f"Typst could not compile the document (a bug in "
                           f"analysis/typeset.py):\n{detail}") from error
    for note in notes:   # e.g. a font it cannot find, whose text would print as blanks
        warnings.warn(note, stacklevel=2)
    if not isinstance(pdf, bytes):
        raise RuntimeError("Typst gave no single PDF")   # it gives a list only for images
    return pdf


def write_pdf(doc: Document, out: Path) -> Path:
    """Typeset ``doc`` to ``out`` atomically: on any failure ``out`` stays as it was.
    Figures must sit under ``out``'s folder, the Typst root."""
    root = out.parent
    pdf = compile_pdf(to_typst(doc, root), root)
    with replacing(out) as tmp:
        tmp.write_bytes(pdf)
    return out


# --- Markdown --------------------------------------------------------------------------------

MARKDOWN_SPECIAL = set("\\`*_[]<>|#~$")


def escape(text: str, block: bool = False) -> str:
    """Plain text as Markdown that shows it literally: punctuation Markdown reads is
    back-slashed. In a ``block`` (a paragraph, not a cell or caption) line breaks are kept
    and a line that would start a list, quote or heading is defused."""
    lines = ["".join("\\" + ch if ch in MARKDOWN_SPECIAL else ch for ch in line)
             for line in text.split("\n")]
    if not block:
        return " ".join(lines)
    return "  \n".join(_defuse(line) for line in lines)


def _defuse(line: str) -> str:
    """A line that Markdown would read as a list item or a heading underline, made text."""
    stripped = line.lstrip()
    head = line[:len(line) - len(stripped)]
    if stripped[:1] in ("-", "+", "="):
        return head + "\\" + stripped
    digits = len(stripped) - len(stripped.lstrip("0123456789"))
    if digits and stripped[digits:digits + 1] in (".", ")"):
        return head + stripped[:digits] + "\\" + stripped[digits:]
    return line


def _markdown_row(cells: list[str]) -> str:
    """A pipe-table row of escaped cells."""
    return "| " + " | ".join(cells) + " |"


def _markdown_table(block: Table, number: int, lang: str) -> list[str]:
    """A pipe table, numeric columns right-aligned, group headings bold in the first cell;
    its caption, numbered as in the PDF, as an italic line above it."""
    columns = len(block.header)
    lines = []
    if block.caption is not None:
        lines += [_caption_line(CAPTIONS.pick(lang).table, number, block.caption, lang), ""]
    lines.append(_markdown_row([escape(cell) for cell in block.header]))
    lines.append(_markdown_row(["---:" if num else "---" for num in block.numeric]))
    for cells in block.rows:
        if len(cells) == 1 and columns > 1:
            lines.append(_markdown_row([f"**{escape(cells[0])}**", *[""] * (columns - 1)]))
        else:
            lines.append(_markdown_row([escape(cell) for cell in cells]))
    return lines


def _caption_line(word: str, number: int, caption: str, lang: str) -> str:
    """'*Figure 1: caption*', the numbering Typst gives the same figure."""
    separator = CAPTIONS.pick(lang).separator
    return f"*{word} {number}{separator}{escape(caption)}*"


def _markdown_figure(block: Figure, number: int, root: Path, lang: str) -> list[str]:
    path = relative_image(block.image, root)
    target = f"<{path}>" if any(ch in path for ch in " ()<>") else path
    return [f"![{escape(block.caption)}]({target})", "",
            _caption_line(CAPTIONS.pick(lang).figure, number, block.caption, lang)]


def to_markdown(doc: Document, root: Path) -> str:
    """The Markdown twin of ``doc``, to sit in ``root``: the same text, the figures linked
    by their paths under ``root``. The running header and footer are page furniture and
    have no place in it; page breaks neither."""
    check_lang(doc.lang)
    parts = [f"# {escape(doc.title)}"]
    figures = tables = 0
    for block in doc.blocks:
        match block:
            case Heading(text, level):
                parts.append(f"{'#' * min(level + 1, 6)} {escape(text)}")
            case Paragraph(text):
                parts.append(escape(text, block=True))
            case Findings(items):
                parts.append("\n".join(f"{n}. {escape(item)}"
                                       for n, item in enumerate(items, 1)))
            case Table():
                tables += block.caption is not None
                parts.append("\n".join(_markdown_table(block, tables, doc.lang)))
            case Figure():
                figures += 1
                parts.append("\n".join(_markdown_figure(block, figures, root, doc.lang)))
    return "\n\n".join(parts) + "\n"
