"""The procedure drawn from its transition table: the whole table as Markdown and the state diagram as SVG.

Both read the table through `TABLE` only and show what they find there: a new row, state or field of a row
appears without a change here. Graphviz's `dot` lays the diagram out once per language (with or without a line for
counts, sized for the widest count); the layout stays in memory and each drawing only marks the current state and
the path on it and writes the counts in, so a page view runs no process.
"""

import dataclasses
import json
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable, Mapping, Sequence, Sized
from functools import lru_cache
from html import escape

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from agencies.roles import ROLE_AGENCY_KIND, AgencyKind, Role
from procedure.states import TERMINAL_STATES, CaseState
from procedure.transitions import TRANSITIONS as TABLE

S = CaseState
STATE_LABELS = dict(S.choices)
ROLE_LABELS = dict(Role.choices)

# The columns of the diagram and the states drawn in each; a state of none is drawn outside them.
LANES: tuple[tuple[str, Promise, tuple[str, ...]], ...] = (
    ("public", _("Public prosecution"), (
        S.DRAFT, S.CANCELLED, S.TRANSFERRED, S.FILING_REVIEW, S.INVESTIGATING, S.PROSECUTION_REVIEW,
        S.SUPPLEMENTARY_INVESTIGATION, S.NOT_PROSECUTED, S.TRIAL, S.JUDGED,
    )),
    ("supervision", _("Procuratorial supervision"), (
        S.NOT_FILED, S.WITHDRAWN, S.SUPERVISION_REQUESTED, S.EXPLANATION_REQUESTED, S.EXPLANATION_REVIEW,
        S.SUPERVISION_CLOSED, S.FILING_ORDERED,
    )),
    ("private", _("Private prosecution"), (
        S.PRIVATE_PROSECUTION_ADVISED, S.PRIVATE_FILING_REVIEW, S.PRIVATE_TRIAL, S.PRIVATE_REJECTED, S.RECONCILED,
        S.PRIVATE_WITHDRAWN,
    )),
)  # fmt: skip

# A transition is drawn in the colour of the agency whose officer fires it; a creditor's in green.
COLOURS = {
    AgencyKind.COURT: "#6a3d9a",
    AgencyKind.POLICE: "#1f5f99",
    AgencyKind.PROCURATORATE: "#a8322d",
    AgencyKind.DISCIPLINE: "#8c6d1f",
    None: "#2e7d32",
}
MIXED = "#4d4d4d"
FONT = "Noto Sans CJK SC"
FONT_FAMILY = f"'{FONT}', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"
STATE_FONT_SIZE = 11
TRANSITION_FONT_SIZE = 9
STATE_WRAP = 26  # display columns; a CJK character takes two
TRANSITION_WRAP = 30
COUNT_ROOM = "0000000"  # the count line is laid out this wide, whatever the counts drawn into it

# The attributes every row has; each further field of the rows gets a Markdown column of its own.
CORE_FIELDS = ("name", "sources", "target", "actors", "approvers", "article", "label")


# The table, read -------------------------------------------------------------------------------------------------


def _rows() -> list:
    return list(TABLE.values())


def _states() -> list[str]:
    """Every state: CaseState's in their order, then any the table names that CaseState lacks."""
    states = [str(state) for state in S]
    states += [str(s) for row in _rows() for s in (*row.sources, row.target) if str(s) not in STATE_LABELS]
    return list(dict.fromkeys(states))


def _state_label(state: str) -> str:
    return str(STATE_LABELS.get(state, state))


def _person(value) -> str:
    """A role, an actor or several of them in words."""
    if isinstance(value, Iterable) and not isinstance(value, str):
        return " / ".join(dict.fromkeys(_person(item) for item in value))
    role = getattr(value, "role", value)
    return str(ROLE_LABELS[role]) if isinstance(role, str) and role in ROLE_LABELS else _cell(value)


def _transition_label(row) -> str:
    label = getattr(row, "label", None)
    return str(label) if label else row.name.replace("_", " ")


def _who(row) -> str:
    """Who fires the transition, and who approves it where the row names approvers."""
    approvers = getattr(row, "approvers", ())
    return _person(row.actors) + (f" → {_person(approvers)}" if approvers else "")


def _colour(row) -> str:
    kinds = {ROLE_AGENCY_KIND.get(actor.role) for actor in row.actors}
    return COLOURS.get(kinds.pop(), MIXED) if len(kinds) == 1 else MIXED


def _lane_of() -> dict[str, str]:
    return {str(state): key for key, _title, states in LANES for state in states}


# Markdown --------------------------------------------------------------------------------------------------------


def _cell(value) -> str:
    """Any value of a row on one line: collections joined, callables by name, lazy texts translated."""
    if value is None or value is False or (isinstance(value, Sized) and not isinstance(value, Promise) and not value):
        return ""
    if isinstance(value, Promise | str):
        return str(value)
    if value is True:
        return "yes"
    if isinstance(value, Mapping):
        return "; ".join(f"{_cell(key)}: {_cell(item)}" for key, item in value.items())
    if isinstance(value, set | frozenset):
        return ", ".join(sorted(_cell(item) for item in value))
    if isinstance(value, Iterable):
        return ", ".join(_cell(item) for item in value)
    if getattr(value, "name", None) and not callable(value):
        return str(value.name)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        parts = ((f.name, _cell(getattr(value, f.name))) for f in dataclasses.fields(value))
        return f"{type(value).__name__}({', '.join(f'{name}={text}' for name, text in parts if text)})"
    return getattr(value, "__name__", None) or str(value)


def _fields(row) -> list[str]:
    if dataclasses.is_dataclass(row):
        return [f.name for f in dataclasses.fields(row)]
    return list(getattr(row, "_fields", None) or vars(row))


def _further_fields(rows) -> list[str]:
    """The fields beyond the core ones that some row fills, in the order the rows declare them."""
    names = dict.fromkeys(name for row in rows for name in _fields(row) if name not in CORE_FIELDS)
    return [name for name in names if any(_cell(getattr(row, name, None)) for row in rows)]


def _md_table(header: Sequence[str], lines: Iterable[Sequence[str]]) -> list[str]:
    def line(cells):
        return "| " + " | ".join(cell.replace("|", "\\|").replace("\n", " ") for cell in cells) + " |"

    return [line(header), "|" + "---|" * len(header), *(line(cells) for cells in lines)]


def _code(names: Iterable[str]) -> str:
    return ", ".join(f"`{name}`" for name in names)


def table_markdown(*, language: str | None = None) -> str:
    """The whole table as Markdown: one row per transition with every field it has, then one row per state."""
    with translation.override(language or translation.get_language()):
        rows = _rows()
        further = _further_fields(rows)
        labelled = any(getattr(row, "label", None) for row in rows)
        transitions = [
            [
                _code([row.name]),
                *([_cell(getattr(row, "label", None))] if labelled else []),
                _code(row.sources),
                _code([row.target]),
                " / ".join(
                    _person(actor) + (f" [{', '.join(actor.origins)} cases]" if actor.origins else "")
                    for actor in row.actors
                ) + "".join(
                    f" → {_person(approver)}" + (f" [{', '.join(approver.states)}]" if approver.states else "")
                    for approver in getattr(row, "approvers", ())
                ),
                _cell(row.article),
                *(_cell(getattr(row, name, None)) for name in further),
            ]
            for row in rows
        ]
        titles, lane_of = {key: str(title) for key, title, _states in LANES}, _lane_of()
        states = [
            [
                _code([state]),
                _state_label(state),
                titles.get(lane_of.get(state, ""), ""),
                "yes" if state in TERMINAL_STATES else "",
                _code(row.name for row in rows if row.target == state),
                _code(row.name for row in rows if state in row.sources),
            ]
            for state in _states()
        ]
    header = ["transition", *(["label"] if labelled else []), "from", "to", "who", "article", *further]
    return "\n".join(
        [
            f"# The procedure: {len(rows)} transitions, {len(states)} states",
            "",
            "## Transitions",
            "",
            *_md_table(header, transitions),
            "",
            "## States",
            "",
            *_md_table(["state", "label", "column", "terminal", "reached by", "left by"], states),
            "",
        ]
    )


# The layout: dot, once per language and set of counts -------------------------------------------------------------


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` display columns, broken at spaces, or between any two characters of CJK text."""
    lines, line = [], ""
    for word in text.split(" "):
        if line and _columns(f"{line} {word}") > width:
            lines.append(line)
            line = ""
        while _columns(line + word) > width and len(word) > 1:
            cut = next(i for i in range(len(word), 0, -1) if _columns(word[:i]) <= width or i == 1)
            lines.append(word[:cut])
            word = word[cut:]
        line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _label(lines: Sequence[str]) -> str:
    return '"' + "\\n".join(_quote(line)[1:-1] for line in lines) + '"'


def _attrs(**attrs) -> str:
    return "[" + ", ".join(f"{key}={value}" for key, value in attrs.items()) + "]"


def _state_lines(state: str, counted: bool) -> list[str]:
    lines = _wrap(_state_label(state), STATE_WRAP)
    return [*lines, COUNT_ROOM] if counted else lines


def _transition_lines(row) -> tuple[list[str], list[str]]:
    """The lines of a transition's label: its name, then who fires it."""
    return _wrap(_transition_label(row), TRANSITION_WRAP), _wrap(_who(row), TRANSITION_WRAP)


def _is_loop(row) -> bool:
    return getattr(row, "stays", False) or tuple(row.sources) == (row.target,)


def _lane_of_transition(row, lane_of: Mapping[str, str]) -> str | None:
    """A label goes in its target's column when a source is there too, else between the columns."""
    lane = lane_of.get(str(row.target))
    return lane if any(lane_of.get(str(source)) == lane for source in row.sources) else None


def _dot_source(counted: bool) -> str:
    """The graph in dot's language: a box s:<state> per state and a text t:<transition> per transition's label.

    A line runs from each source to the label and one arrow from the label to the target, so a transition of
    several sources is labelled once and no two labels overlap. A transition from a state to itself is a loop.
    """
    font, lane_of, rows = _quote(FONT), _lane_of(), _rows()
    out = [
        "digraph procedure {",
        "graph " + _attrs(rankdir="TB", nodesep="0.18", ranksep="0.22", fontname=font, fontsize=STATE_FONT_SIZE,
                          labeljust="l", margin="0") + ";",
        "node " + _attrs(fontname=font, fontsize=STATE_FONT_SIZE) + ";",
        "edge " + _attrs(arrowsize="0.6", fontname=font, fontsize=TRANSITION_FONT_SIZE) + ";",
    ]  # fmt: skip
    for key, title in [*((key, title) for key, title, _states in LANES), (None, "")]:
        nodes = [
            f"{_quote('s:' + state)} "
            + _attrs(shape="box", label=_label(_state_lines(state, counted)), margin='"0.1,0.04"', height="0.3")
            for state in _states()
            if lane_of.get(state) == key
        ]
        nodes += [
            f"{_quote('t:' + row.name)} "
            + _attrs(shape="plain", label=_label(sum(_transition_lines(row), [])), fontsize=TRANSITION_FONT_SIZE)
            for row in rows
            if not _is_loop(row) and _lane_of_transition(row, lane_of) == key
        ]
        out += [f"subgraph cluster_{key} {{ label={_quote(str(title))};", *nodes, "}"] if key else nodes
    for row in rows:
        edge_id, target = _quote(row.name), _quote("s:" + row.target)
        if _is_loop(row):
            label = _label(sum(_transition_lines(row), []))
            for state in row.sources if getattr(row, "stays", False) else [row.target]:
                out.append(f"{_quote('s:' + state)} -> {_quote('s:' + state)} {_attrs(id=edge_id, label=label)}")
            continue
        node = _quote("t:" + row.name)
        out += [f"{_quote('s:' + source)} -> {node} [id={edge_id}, arrowhead=none]" for source in row.sources]
        out.append(f"{node} -> {target} [id={edge_id}]")
    out.append("}")
    return "\n".join(out)


def _dot(source: str) -> dict:
    dot = shutil.which("dot")
    if dot is None:
        raise RuntimeError("The procedure diagram needs Graphviz's dot (Debian package graphviz).")
    done = subprocess.run([dot, "-Tjson"], input=source, capture_output=True, text=True, check=True)  # noqa: S603
    return json.loads(done.stdout)


def _numbers(text: str) -> list[float]:
    return [float(value) for value in text.split(",")]


def _texts(ops: Sequence[dict]) -> tuple:
    """(x, y, anchor, size, text) of each text among dot's drawing operations."""
    size, texts = float(STATE_FONT_SIZE), []
    for op in ops:
        if op["op"] == "F":
            size = float(op["size"])
        elif op["op"] == "T":
            anchor = {"l": "start", "r": "end"}.get(op["align"], "middle")
            texts.append((float(op["pt"][0]), float(op["pt"][1]), anchor, size, op["text"]))
    return tuple(texts)


def _shapes(ops: Sequence[dict]) -> tuple:
    """("bezier" | "polygon", points) of each curve or polygon among dot's drawing operations."""
    kinds = {"b": "bezier", "B": "bezier", "p": "polygon", "P": "polygon"}
    return tuple((kinds[op["op"]], tuple(map(tuple, op["points"]))) for op in ops if op["op"] in kinds)


@dataclasses.dataclass(frozen=True)
class _Box:
    x: float  # the centre, in dot's frame (y upwards)
    y: float
    width: float
    height: float
    texts: tuple


@dataclasses.dataclass(frozen=True)
class _Line:
    transition: str
    source: str | None  # the state of a line to the label or of a loop; None for the arrow from label to target
    curve: tuple
    arrow: tuple
    texts: tuple  # a loop's label


@dataclasses.dataclass(frozen=True)
class _Layout:
    width: float
    height: float
    lanes: tuple  # (key, texts, x0, y0, x1, y1)
    states: dict  # state -> _Box
    labels: dict  # transition -> _Box
    lines: tuple


@lru_cache(maxsize=16)
def _layout(language: str, counted: bool) -> _Layout:
    with translation.override(language):
        graph = _dot(_dot_source(counted))
    objects = graph.get("objects", [])
    names = {obj["_gvid"]: obj["name"] for obj in objects}
    lanes, boxes = [], {}
    for obj in objects:
        if obj["name"].startswith("cluster_"):
            lanes.append((obj["name"].removeprefix("cluster_"), _texts(obj.get("_ldraw_", [])), *_numbers(obj["bb"])))
        elif "pos" in obj:
            boxes[obj["name"]] = _Box(
                *_numbers(obj["pos"]), float(obj["width"]) * 72, float(obj["height"]) * 72, _texts(obj["_ldraw_"])
            )
    lines = tuple(
        _Line(
            edge["id"],
            None if names[edge["tail"]].startswith("t:") else names[edge["tail"]][2:],
            _shapes(edge.get("_draw_", [])),
            _shapes(edge.get("_hdraw_", [])),
            _texts(edge.get("_ldraw_", [])),
        )
        for edge in graph.get("edges", [])
    )
    _x0, _y0, width, height = _numbers(graph["bb"])
    states = {name[2:]: box for name, box in boxes.items() if name.startswith("s:")}
    labels = {name[2:]: box for name, box in boxes.items() if name.startswith("t:")}
    return _Layout(width, height, tuple(lanes), states, labels, lines)


# The drawing -----------------------------------------------------------------------------------------------------


def diagram_svg(
    *,
    current: str | None = None,
    path: Sequence[str] = (),
    counts: Mapping[str, int] | None = None,
    language: str | None = None,
) -> str:
    """The state diagram as an <svg> element (no XML prolog: a page embeds it as it is, a file can hold it).

    `current` is a state name, marked as the case's state. `path` is the states a case has been in, in order (the
    from-state of its first transition, then the to-state of each); those states and the transitions between
    consecutive ones are marked as taken (where two transitions join the same two states, both are) and the rest
    is drawn faint. `counts` maps state names to a number drawn in each state's box (statistics). `language`
    defaults to the active one.

    Each state is a <g class="state" data-state>, each transition a <g class="transition" data-transition
    data-target> holding its label and its arrow to the target, and each (source, transition) pair a
    <g class="edge" data-transition data-source>; each has a <title>. Marks add the classes current, visited and
    taken. Colours are presentation attributes (no style attributes), so a strict Content-Security-Policy allows
    the drawing inline.
    """
    language = language or translation.get_language() or "en"
    layout = _layout(language, counts is not None)
    states = [str(state) for state in path]
    taken = {
        (source, row.name)
        for source, reached in zip(states, states[1:], strict=False)
        for row in _rows()
        if source in row.sources and row.target == reached
    }
    marks = _Marks(str(current) if current else None, set(states), taken, counts)
    with translation.override(language):
        return _draw(layout, marks)


@dataclasses.dataclass(frozen=True)
class _Marks:
    current: str | None
    visited: set[str]
    taken: set[tuple[str, str]]  # (source, transition)
    counts: Mapping[str, int] | None

    def line(self, row, *, source: str | None) -> dict[str, str]:
        """The stroke of a transition's line: bold when taken, faint when a path is drawn and it is off it."""
        taken = (source, row.name) in self.taken if source else any(name == row.name for _s, name in self.taken)
        faint = "0.45" if self.taken and not taken else ""
        return {"stroke": _colour(row), "stroke_width": "2.4" if taken else "1", "stroke_opacity": faint}


def _attributes(attrs: Mapping[str, object]) -> str:
    return "".join(f' {key.replace("_", "-")}="{escape(str(value))}"' for key, value in attrs.items() if value)


class _Svg:
    """SVG elements in the SVG's frame (y downwards) from dot's coordinates (y upwards)."""

    def __init__(self, height: float):
        self.height = height
        self.parts: list[str] = []

    def add(self, text: str) -> None:
        self.parts.append(text)

    def open(self, classes: Sequence[str], title: str, **data) -> None:
        attrs = "".join(f' data-{key}="{escape(str(value))}"' for key, value in data.items())
        self.add(f'<g class="{" ".join(classes)}"{attrs}><title>{escape(title)}</title>')

    def _xy(self, x: float, y: float) -> str:
        return f"{x:.1f},{self.height - y:.1f}"

    def shapes(self, shapes, **attrs) -> None:
        for kind, points in shapes:
            if kind == "bezier":
                d = f"M{self._xy(*points[0])}C" + " ".join(self._xy(*point) for point in points[1:])
                self.add(f'<path d="{d}" fill="none"{_attributes(attrs)}/>')
            else:
                self.add(f'<polygon points="{" ".join(self._xy(*p) for p in points)}"{_attributes(attrs)}/>')

    def rect(self, x0: float, y0: float, x1: float, y1: float, **attrs) -> None:
        self.add(
            f'<rect x="{x0:.1f}" y="{self.height - y1:.1f}" width="{x1 - x0:.1f}" height="{y1 - y0:.1f}"'
            f"{_attributes(attrs)}/>"
        )

    def texts(self, texts, classes: Sequence[str] = (), **attrs) -> None:
        for index, (x, y, anchor, size, text) in enumerate(texts):
            css = f' class="{classes[index]}"' if index < len(classes) and classes[index] else ""
            self.add(
                f'<text x="{x:.1f}" y="{self.height - y:.1f}" text-anchor="{anchor}" font-size="{size:g}"{css}'
                f"{_attributes(attrs)}>{escape(text)}</text>"
            )


def _draw(layout: _Layout, marks: _Marks) -> str:
    svg = _Svg(layout.height)
    width, height = layout.width, layout.height
    title = str(_("State diagram of the procedure")) + (f": {_state_label(marks.current)}" if marks.current else "")
    svg.add(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="procedure-diagram" viewBox="0 0 {width:g} {height:g}" '
        f'width="{width:g}" height="{height:g}" role="img" font-family="{escape(FONT_FAMILY)}">'
        f"<title>{escape(title)}</title>"
    )
    for key, texts, x0, y0, x1, y1 in layout.lanes:
        svg.add(f'<g class="lane" data-lane="{key}">')
        svg.rect(x0, y0, x1, y1, rx="6", fill="#f5f6f8", stroke="#d5d9df")
        svg.texts(texts, fill="#5a6270", font_weight="bold")
        svg.add("</g>")
    rows = {row.name: row for row in _rows()}
    for line in layout.lines:
        if line.source is not None:
            _draw_edge(svg, line, rows[line.transition], marks)
    for row in rows.values():
        lines = [line for line in layout.lines if line.transition == row.name]
        texts = layout.labels[row.name].texts if row.name in layout.labels else lines[0].texts
        _draw_transition(svg, row, texts, [line for line in lines if line.source is None], marks)
    for state, box in layout.states.items():
        _draw_state(svg, state, box, marks)
    svg.add("</svg>")
    return "\n".join(svg.parts)


def _title(row, sources: Iterable[str]) -> str:
    title = f"{_transition_label(row)} ({row.name}): {', '.join(map(_state_label, sources))}"
    return f"{title} → {_state_label(row.target)} · {_who(row)}" + (f" · {row.article}" if row.article else "")


def _draw_edge(svg: _Svg, line: _Line, row, marks: _Marks) -> None:
    stroke = marks.line(row, source=line.source)
    taken = ["taken"] if stroke["stroke_width"] != "1" else []
    svg.open(["edge", *taken], _title(row, [line.source]), transition=row.name, source=line.source)
    svg.shapes(line.curve, **stroke)
    svg.shapes(line.arrow, **stroke, fill=stroke["stroke"], fill_opacity=stroke["stroke_opacity"])
    svg.add("</g>")


def _draw_transition(svg: _Svg, row, texts, arrows: Sequence[_Line], marks: _Marks) -> None:
    stroke = marks.line(row, source=None)
    taken = stroke["stroke_width"] != "1"
    svg.open(["transition", *(["taken"] if taken else [])], _title(row, row.sources), transition=row.name,
             target=row.target)  # fmt: skip
    for arrow in arrows:
        svg.shapes(arrow.curve, **stroke)
        svg.shapes(arrow.arrow, **stroke, fill=stroke["stroke"], fill_opacity=stroke["stroke_opacity"])
    names = len(_transition_lines(row)[0])
    classes = ["name"] * names + ["who"] * (len(texts) - names)
    svg.texts(texts, classes, fill=stroke["stroke"], fill_opacity=stroke["stroke_opacity"],
              font_weight="bold" if taken else "")  # fmt: skip
    svg.add("</g>")


def _draw_state(svg: _Svg, state: str, box: _Box, marks: _Marks) -> None:
    classes, title = ["state"], f"{_state_label(state)} ({state})"
    fill, stroke, stroke_width, text = "#ffffff", "#6b7480", "1", "#1d232b"
    if state in TERMINAL_STATES:
        classes.append("terminal")
        fill, title = "#eceef1", f"{title} · {_('final')}"
    if state in marks.visited:
        classes.append("visited")
        fill, stroke, stroke_width = "#e3edf9", "#1f5fbf", "1.5"
    if state == marks.current:
        classes.append("current")
        fill, stroke, stroke_width, text = "#1f5fbf", "#0d3775", "2.5", "#ffffff"
        title = f"{title} · {_('current state')}"
    if marks.counts is not None:
        title = f"{title} · {marks.counts.get(state, 0)}"
    svg.open(classes, title, state=state)
    x0, y0 = box.x - box.width / 2, box.y - box.height / 2
    x1, y1 = x0 + box.width, y0 + box.height
    svg.rect(x0, y0, x1, y1, rx="5", fill=fill, stroke=stroke, stroke_width=stroke_width)
    if state in TERMINAL_STATES:
        svg.rect(x0 + 2.5, y0 + 2.5, x1 - 2.5, y1 - 2.5, rx="3.5", fill="none", stroke=stroke)
    if marks.counts is None:
        svg.texts(box.texts, fill=text)
    else:
        svg.texts(box.texts[:-1], fill=text)
        *_place, _room = box.texts[-1]
        svg.texts([(*_place, str(marks.counts.get(state, 0)))], ["count"], fill=text, font_weight="bold")
    svg.add("</g>")
