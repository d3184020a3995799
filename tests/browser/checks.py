"""Checks run on each page the browser journeys visit: WCAG 2.1 A/AA by axe-core, and a layout that fits the screen
(no sideways scrolling, no table cell squeezed to a few characters or clipping its text)."""

from pathlib import Path

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
NARROWEST_CELL = 64  # px: four Chinese characters at the body's size


def axe_violations(page, within: str = "") -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations of the page as it stands, one line per rule and element.

    The script is evaluated through the DevTools protocol, which the page's Content-Security-Policy does not
    govern (the policy rightly refuses an inline script). `within`: a selector, to check only that part."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE)
    results = page.evaluate(
        """async ([tags, within]) => {
            const options = {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]};
            const r = await window.axe.run(within ? {include: [within]} : document, options);
            return r.violations.map(v => v.nodes.map(n => `${v.id}: ${n.target.join(" ")} ${n.failureSummary}`)).flat();
        }""",
        [WCAG_TAGS, within],
    )
    return results


LAYOUT = """narrowest => {
    const problems = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth + 1) {
        const wide = [...document.querySelectorAll("body *")].filter(e => {
            const r = e.getBoundingClientRect();
            return r.right > window.innerWidth + 1 && !e.closest(".diagram-scroll") && getComputedStyle(e).position !== "absolute";
        }).slice(0, 3).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right));
        problems.push(`page scrolls sideways: ${doc.scrollWidth} > ${window.innerWidth} (${wide.join("; ")})`);
    }
    for (const wrap of document.querySelectorAll(".table-wrap")) {
        if (wrap.scrollWidth > wrap.clientWidth + 1) problems.push(`table scrolls sideways: ${wrap.scrollWidth} > ${wrap.clientWidth}`);
    }
    for (const cell of document.querySelectorAll("td, th")) {
        const r = cell.getBoundingClientRect();
        if (!cell.textContent.trim() || r.width === 0 || cell.closest("thead")) continue;
        if (r.width < narrowest) {
            // Narrow is fine for a short figure; squeezed is narrower than the cell's text on one line.
            const before = cell.style.whiteSpace;
            cell.style.whiteSpace = "nowrap";
            const natural = cell.scrollWidth;
            cell.style.whiteSpace = before;
            if (natural > r.width + 1) problems.push(`squeezed cell (${Math.round(r.width)} px): ${cell.textContent.trim().slice(0, 30)}`);
        }
        if (cell.scrollWidth > cell.clientWidth + 1) problems.push(`clipped cell: ${cell.textContent.trim().slice(0, 30)}`);
    }
    return problems;
}"""


def layout_problems(page) -> list[str]:
    return page.evaluate(LAYOUT, NARROWEST_CELL)


def check_page(page, name: str, *, within: str = "") -> dict:
    """The page at a phone's and at a desktop's width: layout problems at each, axe's violations at the phone's
    (the stacked layout, where most can go wrong). Returns {check: problems} with only the failing checks."""
    found = {}
    for label, size in (("390px", PHONE), ("1280px", DESKTOP)):
        page.set_viewport_size(size)
        problems = layout_problems(page)
        if problems:
            found[f"{name} at {label}"] = problems
        if size is PHONE:
            violations = axe_violations(page, within)
            if violations:
                found[f"{name}: axe"] = violations
    return found
