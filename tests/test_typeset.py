"""The document layer: PDFs typeset by Typst and their Markdown twins say the same text."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure as MplFigure
from pypdf import PdfReader

from analysis import typeset
from analysis.typeset import Document, Figure, Findings, Heading, PageBreak, Paragraph, Table

matplotlib.use("Agg")

SPECIALS = ['#let x = 1', '$5 * 3_2$', '[a]', '@ref', '<tag>', 'back\\slash', '"quoted"',
            "it's", '~tilde', 'a/b', '`tick`', '= not a heading', '- not a list', '{brace}',
            '// not a comment', '/* nor this */', '“中文引号”、《书名》']

TEXT = {
    "en": {
        "title": "Administrative burden: a policy brief",
        "findings": ["Administrative work takes 41% of committee staff time.",
                     "An access list frees about 1,200 hours a year per community.",
                     "Workstations free the most time but cost the most."],
        "header": ["Scenario", "Hours freed"],
        "rows": [["Overtime"], ["Baseline", "0"], ["Access list", "+1,234.5"]],
        "table": "Key metrics by scenario",
        "figure": "Administrative hours by scenario",
        "captions": ("Table 1:", "Figure 1:"),
        "page": "Page {n} of {total}",
    },
    "zh": {
        "title": "社区居委会行政负担：政策简报",
        "findings": ["基线城市中，行政工作占居委会工作人员时间的 41%。",
                     "部门任务准入清单每年为每个社区释放约 1,200 小时。",
                     "工作站释放的时间最多，但成本也最高。"],
        "header": ["情景", "释放工时"],
        "rows": [["加班"], ["基线", "0"], ["准入清单", "+1,234.5"]],
        "table": "各情景关键指标",
        "figure": "各情景的行政工时",
        "captions": ("表 1：", "图 1："),
        "page": "第 {n} 页，共 {total} 页",
    },
}


def squeeze(text: str) -> str:
    """Text without any whitespace: extraction spaces out CJK text and numbers at will."""
    return re.sub(r"\s+", "", text)


def pdf_text(path: Path, pages: slice | None = None) -> str:
    """The text of a PDF's pages (all by default), read back with pypdf."""
    reader = PdfReader(path)
    chosen = reader.pages[pages] if pages is not None else reader.pages
    return "\n".join(page.extract_text() for page in chosen)


def tiny_png(path: Path) -> Path:
    fig = MplFigure(figsize=(2, 1))
    FigureCanvasAgg(fig)
    fig.add_subplot().bar([0, 1], [1, 2])
    fig.savefig(path, dpi=40)
    return path


def brief(lang: str, image: Path, extra: list | None = None) -> Document:
    """A short brief: findings, a table with a numeric column and a group row, a figure
    after a page break."""
    words = TEXT[lang]
    return Document(
        title=words["title"], lang=lang, header=f"{words['title']} · commsim",
        footer="commsim 0.3.0", page_label=words["page"],
        blocks=[Heading(words["header"][0]), Findings(words["findings"]),
                Table(words["header"], words["rows"], [False, True], caption=words["table"]),
                *(extra or []), PageBreak(), Figure(image, words["figure"], width=0.5)])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pdf_holds_every_finding_cell_and_caption(tmp_path: Path, lang: str) -> None:
    words = TEXT[lang]
    out = typeset.write_pdf(brief(lang, tiny_png(tmp_path / "chart.png")), tmp_path / "b.pdf")
    text = squeeze(pdf_text(out))
    expected = [words["title"], *words["findings"], *words["header"], words["table"],
                words["figure"], *words["captions"]]
    expected += [cell for row in words["rows"] for cell in row]
    assert [piece for piece in expected if squeeze(piece) not in text] == []


def test_special_characters_print_literally(tmp_path: Path) -> None:
    table = Table(["Name", "Value"], [["a | b", "1"], ["#x $y$", "2"]], [False, True])
    doc = Document("Specials # $ *", "en", "head", "foot", "{n}",
                   [Paragraph(" ".join(SPECIALS)), Paragraph("line one\nline two", small=True),
                    table])
    text = squeeze(pdf_text(typeset.write_pdf(doc, tmp_path / "s.pdf")))
    shown = [*SPECIALS, "Specials # $ *", "a | b", "#x $y$", "line one", "line two"]
    assert [piece for piece in shown if squeeze(piece) not in text] == []


def test_header_footer_and_page_numbers_on_every_page(tmp_path: Path) -> None:
    long = [Paragraph("A sentence that fills the page. " * 40) for _ in range(12)]
    doc = brief("en", tiny_png(tmp_path / "chart.png"), long)
    out = typeset.write_pdf(doc, tmp_path / "long.pdf")
    total = len(PdfReader(out).pages)
    assert total >= 3
    for n in range(total):
        page = squeeze(pdf_text(out, slice(n, n + 1)))
        assert squeeze(doc.header) in page
        assert "commsim0.3.0" in page
        assert f"Page{n + 1}of{total}" in page


def test_same_document_gives_identical_bytes(tmp_path: Path) -> None:
    doc = brief("zh", tiny_png(tmp_path / "chart.png"))
    first = typeset.write_pdf(doc, tmp_path / "one.pdf").read_bytes()
    second = typeset.write_pdf(doc, tmp_path / "two.pdf").read_bytes()
    assert first == second


def test_figure_outside_root_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    image = tiny_png(tmp_path / "elsewhere.png")
    doc = brief("en", image)
    with pytest.raises(ValueError, match=re.escape(str(image))):
        typeset.to_typst(doc, tmp_path / "out")
    with pytest.raises(ValueError, match=re.escape(str(image))):
        typeset.to_markdown(doc, tmp_path / "out")


def test_markdown_twin_says_the_same(tmp_path: Path) -> None:
    (tmp_path / "charts").mkdir()
    image = tiny_png(tmp_path / "charts" / "a.png")
    table = Table(["Name", "Share", "Hours"], [["Group"], ["a | b", "41.2%", "+1,234.5"]],
                  [False, True, True], caption="Metrics")
    doc = brief("en", image, [table])
    markdown = typeset.to_markdown(doc, tmp_path)
    lines = markdown.splitlines()
    assert lines[0] == f"# {TEXT['en']['title']}"
    for n, finding in enumerate(TEXT["en"]["findings"], 1):
        assert f"{n}. {finding}" in lines
    assert "| --- | ---: | ---: |" in lines
    assert "| **Group** |  |  |" in lines
    assert "| a \\| b | 41.2% | +1,234.5 |" in lines
    assert "*Table 2: Metrics*" in lines
    assert "![Administrative hours by scenario](charts/a.png)" in lines
    assert "*Figure 1: Administrative hours by scenario*" in lines


def test_markdown_escapes_what_it_would_read(tmp_path: Path) -> None:
    doc = Document("t", "en", "h", "f", "{n}", [Paragraph("1. not a list *or* <b>bold</b>")])
    assert "1\\. not a list \\*or\\* \\<b\\>bold\\</b\\>" in typeset.to_markdown(doc, tmp_path)


def test_failed_compile_leaves_the_old_pdf(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "brief.pdf"
    out.write_bytes(b"the old brief")

    monkeypatch.setattr(typeset, "to_typst", lambda *_args: "#text(size: 1pt, \n")
    with pytest.raises(RuntimeError, match=r"(?s)Typst could not compile.*unclosed delimiter"):
        typeset.write_pdf(brief("en", tiny_png(tmp_path / "chart.png")), out)
    assert out.read_bytes() == b"the old brief"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.pdf", "chart.png"]
