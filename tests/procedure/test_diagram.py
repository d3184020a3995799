"""The procedure drawn from its table: the Markdown table, the SVG state diagram and `manage.py procedure_table`."""

import dataclasses
import io
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command

from procedure import diagram
from procedure.states import TERMINAL_STATES, CaseState
from procedure.transitions import Actor

SVG = "{http://www.w3.org/2000/svg}"
TABLE = diagram.TABLE
PAIRS = {(str(source), name) for name, row in TABLE.items() for source in row.sources}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (drawn here, not received)


def groups(root: ET.Element, kind: str) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if kind in g.get("class", "").split()]


def table_rows(markdown: str, section: str) -> list[dict[str, str]]:
    """The body rows of the Markdown table under the heading `## section`, each a header -> cell mapping."""
    lines = markdown.split(f"## {section}\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    header, *rows = ([cell.strip() for cell in line.strip("|").split(" | ")] for line in lines if "---|" not in line)
    assert all(len(row) == len(header) for row in rows)
    return [dict(zip(header, row, strict=True)) for row in rows]


# Markdown ---------------------------------------------------------------------------------------------------------


def test_markdown_has_one_row_per_transition_and_names_every_state():
    markdown = diagram.table_markdown(language="en")

    transitions = table_rows(markdown, "Transitions")
    assert [row["transition"] for row in transitions] == [f"`{name}`" for name in TABLE]
    accept = transitions[list(TABLE).index("accept")]
    assert (accept["from"], accept["to"], accept["who"]) == (
        "`transferred`",
        "`filing_review`",
        "Police case-intake clerk",
    )
    assert accept["article"] == "Art. 5 ¶1"
    file_case = transitions[list(TABLE).index("file_case")]
    assert file_case["from"] == "`filing_review`, `filing_ordered`"

    states = table_rows(markdown, "States")
    assert [row["state"] for row in states] == [f"`{state}`" for state in CaseState.values]
    assert {row["state"].strip("`") for row in states if row["terminal"] == "yes"} == set(TERMINAL_STATES)
    investigating = states[CaseState.values.index("investigating")]
    assert investigating["label"] == "Under investigation"
    assert investigating["reached by"] == "`file_case`"


def test_markdown_in_chinese_names_states_and_roles_in_chinese():
    markdown = diagram.table_markdown(language="zh-hans")

    assert "已移送公安机关" in markdown
    assert "公安受案民警" in markdown


@dataclasses.dataclass(frozen=True)
class RowWithMore:
    name: str
    sources: tuple
    target: str
    actors: tuple
    article: str = ""
    label: str = ""
    approvers: tuple = ()
    letters: tuple = ()
    conditions: tuple = ()
    unused: tuple = ()


def has_evidence(case) -> bool:
    return bool(case)


def test_markdown_gives_each_further_field_of_the_rows_a_column(monkeypatch):
    row = RowWithMore(
        "submit_transfer", (CaseState.DRAFT,), CaseState.TRANSFERRED, (Actor("enforcement_judge", "executing_court"),),
        article="Art. 3", label="Submit the transfer", approvers=(Actor("procurator_general", "procuratorate"),),
        letters=("transfer_letter",), conditions=(has_evidence,),
    )  # fmt: skip
    monkeypatch.setattr(diagram, "TABLE", {row.name: row})

    markdown = diagram.table_markdown(language="en")

    header = markdown.split("## Transitions\n\n", 1)[1].splitlines()[0]
    # Who approves is told with who fires (procedure.md §3 "Approvals"), not in a column of its own.
    assert header == "| transition | label | from | to | who | article | letters | conditions |"
    assert [list(row.values()) for row in table_rows(markdown, "Transitions")] == [
        ["`submit_transfer`", "Submit the transfer", "`draft`", "`transferred`",
         "Enforcement judge → Procurator-general", "Art. 3", "transfer_letter", "has_evidence"],
    ]  # fmt: skip


def test_svg_names_the_approver_where_a_row_has_one(monkeypatch):
    row = RowWithMore(
        "order_filing", (CaseState.EXPLANATION_REVIEW,), CaseState.FILING_ORDERED, (Actor("procurator", "procuratorate"),),
        approvers=(Actor("procurator_general", "procuratorate"),),
    )  # fmt: skip
    monkeypatch.setattr(diagram, "TABLE", {row.name: row})
    diagram._layout.cache_clear()
    try:
        root = parse(diagram.diagram_svg(language="en"))
    finally:
        diagram._layout.cache_clear()

    (transition,) = groups(root, "transition")
    assert " ".join(t.text for t in transition.iter(f"{SVG}text")) == "order filing Procurator → Procurator-general"


# SVG --------------------------------------------------------------------------------------------------------------


def test_svg_has_a_box_per_state_and_a_line_per_source_of_each_transition():
    root = parse(diagram.diagram_svg(language="en"))

    assert root.tag == f"{SVG}svg"
    states = groups(root, "state")
    assert sorted(g.get("data-state") for g in states) == sorted(CaseState.values)
    edges = groups(root, "edge")
    assert len(edges) == len(PAIRS)
    assert {(g.get("data-source"), g.get("data-transition")) for g in edges} == PAIRS
    transitions = groups(root, "transition")
    assert {(g.get("data-transition"), g.get("data-target")) for g in transitions} == {
        (name, str(row.target)) for name, row in TABLE.items()
    }
    for g in states + edges + transitions:
        assert g.find(f"{SVG}title").text


def test_svg_labels_each_transition_with_its_label_and_who_fires_it():
    root = parse(diagram.diagram_svg(language="en"))

    accept = next(g for g in groups(root, "transition") if g.get("data-transition") == "accept")
    texts = [t.text for t in accept.iter(f"{SVG}text")]
    assert " ".join(texts[:-1]) == "Accept the transferred materials" and texts[-1] == "Police case-intake clerk"
    title = accept.find(f"{SVG}title").text
    assert "(accept)" in title
    assert "Transferred to the police → Police reviewing whether to file" in title
    assert "Art. 5 ¶1" in title


def test_svg_marks_the_current_state_and_the_path_taken():
    path = ["draft", "transferred", "filing_review", "filing_review", "investigating"]
    root = parse(diagram.diagram_svg(current="investigating", path=path, language="en"))

    current = groups(root, "current")
    assert [g.get("data-state") for g in current] == ["investigating"]
    assert "current state" in current[0].find(f"{SVG}title").text
    assert {g.get("data-state") for g in groups(root, "visited")} == set(path)
    taken = {
        (g.get("data-source"), g.get("data-transition")) for g in groups(root, "edge") if "taken" in g.get("class")
    }
    assert taken == {
        ("draft", "submit_transfer"),
        ("transferred", "accept"),
        ("filing_review", "extend_review"),
        ("filing_review", "file_case"),
    }
    assert root.find(f"{SVG}title").text == "State diagram of the procedure: Under investigation"


def test_svg_without_marks_marks_nothing():
    root = parse(diagram.diagram_svg(language="en"))

    assert not groups(root, "current")
    assert not groups(root, "visited")
    assert not groups(root, "taken")


def test_svg_draws_counts_in_the_boxes():
    root = parse(diagram.diagram_svg(counts={"investigating": 12, "judged": 3}, language="en"))

    counts = {
        g.get("data-state"): [t.text for t in g.iter(f"{SVG}text") if t.get("class") == "count"]
        for g in groups(root, "state")
    }
    assert counts["investigating"] == ["12"]
    assert counts["judged"] == ["3"]
    assert counts["draft"] == ["0"]


def test_svg_speaks_the_language_asked_for():
    chinese = diagram.diagram_svg(language="zh-hans")
    english = diagram.diagram_svg(language="en")

    assert "已移送公安机关" in chinese
    assert "Transferred to the police" in english
    assert "已移送公安机关" not in english


def test_svg_passes_a_strict_content_security_policy():
    root = parse(diagram.diagram_svg(current="trial", path=["draft", "transferred"], language="en"))

    for element in root.iter():
        assert "style" not in element.attrib
        assert not any(name.startswith("on") for name in element.attrib)
        assert element.tag not in (f"{SVG}style", f"{SVG}script", f"{SVG}foreignObject")


def test_dot_lays_out_once_per_language_and_each_drawing_only_marks(monkeypatch):
    calls = []
    real = diagram._dot

    def counting(source):
        calls.append(source)
        return real(source)

    diagram._layout.cache_clear()
    monkeypatch.setattr(diagram, "_dot", counting)
    for state in CaseState.values:
        diagram.diagram_svg(current=state, path=["draft", state], language="en")
    diagram.diagram_svg(language="zh-hans")

    assert len(calls) == 2
    diagram._layout.cache_clear()


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("Police reviewing whether to file", 26, ["Police reviewing whether", "to file"]),
        ("公安机关立案审查中", 8, ["公安机关", "立案审查", "中"]),
        ("short", 26, ["short"]),
    ],
)
def test_labels_wrap_by_display_width(text, width, lines):
    assert diagram._wrap(text, width) == lines


# The command ------------------------------------------------------------------------------------------------------


def test_procedure_table_prints_the_table_and_writes_the_diagram(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "procedure.svg"

    call_command("procedure_table", svg=target, language="en", stdout=out, stderr=err)

    assert len(table_rows(out.getvalue(), "Transitions")) == len(TABLE)
    root = parse(target.read_text(encoding="utf-8"))
    assert len(groups(root, "state")) == len(CaseState.values)
    assert str(target) in err.getvalue()


def test_procedure_table_without_svg_writes_no_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()

    call_command("procedure_table", language="zh-hans", stdout=out)

    assert "## States" in out.getvalue()
    assert list(tmp_path.iterdir()) == []


def test_new_counts_reuse_the_layout_and_run_no_process():
    diagram.diagram_svg(counts={"investigating": 1}, language="en")
    laid_out = diagram._layout.cache_info().misses
    root = parse(diagram.diagram_svg(counts={"investigating": 1234567, "trial": 8}, language="en"))

    assert diagram._layout.cache_info().misses == laid_out
    counts = {g.get("data-state"): [t.text for t in g.iter(f"{SVG}text") if t.get("class") == "count"]
              for g in groups(root, "state")}
    assert counts["investigating"] == ["1234567"] and counts["trial"] == ["8"]
