"""A week grid of chat counts drawn as terminal text, SVG or a self-contained HTML page.

Pure text in, text out; writing files is the command's job.
"""

from __future__ import annotations

from html import escape

from launchkit.domain.calendars.week import WeekGrid
from launchkit.domain.weekdays import DAY_NAMES

# 256-colour backgrounds, light to dark orange.
_ANSI = (236, 94, 130, 166, 202, 196)
_CELL, _LEFT, _TOP = 28, 48, 56


def _peak(grid: WeekGrid) -> float:
    return max((c for day in grid.counts for c in day), default=0.0) or 1.0


def _cell_text(count: float) -> str:
    if count == 0:
        return " ."
    if count < 1:
        return " ~"  # some fortnightly or monthly chats: less than one in a typical week
    return f"{round(count):2d}" if count < 99.5 else "99"


def grid_text(grid: WeekGrid, mark: tuple[int, int] | None = None, color: bool = False) -> str:
    """The grid for a terminal: one row per day, one 3-character column per hour."""
    peak = _peak(grid)
    lines = ["     " + "".join(f"{h:>3d}" for h in range(24))]
    for d, day in enumerate(grid.counts):
        cells = []
        for h, count in enumerate(day):
            text = _cell_text(count)
            marked = mark == (d, h)
            if marked:  # the chosen slot, visible without colour: [3] or *14
                short = text.strip()
                prefix, text = ("[", short + "]") if len(short) == 1 else ("*", text)
            else:
                prefix = " "
            if color:
                shade = _ANSI[min(len(_ANSI) - 1, int(count / peak * (len(_ANSI) - 1) + 0.999))]
                bold = "\x1b[1m" if marked else ""
                cells.append(f"\x1b[48;5;{shade}m{bold}{prefix}{text}\x1b[0m")
            else:
                cells.append(prefix + text)
        lines.append(f"{DAY_NAMES[d]}  " + "".join(cells))
    lines.append(
        "legend: number of chats in the hour; ~ fewer than one a week (fortnightly/monthly); "
        ". none" + ("; [ ] your slot" if mark else "")
    )
    return "\n".join(lines)


def _fill(count: float, peak: float) -> str:
    if count == 0:
        return "#f4f4f4"
    # Interpolate from pale yellow (255,237,160) to deep red (189,0,38).
    t = min(1.0, count / peak) ** 0.7
    r, g, b = (round(a + (z - a) * t) for a, z in ((255, 189), (237, 0), (160, 38)))
    return f"#{r:02x}{g:02x}{b:02x}"


def title(grid: WeekGrid) -> str:
    """ "Chats per hour, week of 2026-11-30 (Europe/London)"."""
    return f"Chats per hour, week of {grid.week_start.date().isoformat()} ({grid.tz})"


def grid_svg(grid: WeekGrid, mark: tuple[int, int] | None = None, source: str = "") -> str:
    """A standalone SVG picture of the grid, with hour and day labels and a legend line."""
    peak = _peak(grid)
    width, height = _LEFT + 24 * _CELL + 16, _TOP + 7 * _CELL + 56
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
        f"<title>{escape(title(grid))}</title>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{_LEFT}" y="20" font-size="15" font-weight="bold">{escape(title(grid))}</text>',
    ]
    for h in range(24):
        x = _LEFT + h * _CELL + _CELL / 2
        out.append(f'<text x="{x}" y="{_TOP - 6}" text-anchor="middle">{h:02d}</text>')
    for d, day in enumerate(grid.counts):
        y = _TOP + d * _CELL
        out.append(f'<text x="{_LEFT - 8}" y="{y + 18}" text-anchor="end">{DAY_NAMES[d]}</text>')
        for h, count in enumerate(day):
            x = _LEFT + h * _CELL
            label = f"{DAY_NAMES[d]} {h:02d}:00: {count:g} chats"
            out.append(
                f'<rect x="{x}" y="{y}" width="{_CELL - 2}" height="{_CELL - 2}" '
                f'fill="{_fill(count, peak)}"><title>{label}</title></rect>'
            )
            if count >= 1:
                colour = "#ffffff" if count / peak > 0.6 else "#222222"
                out.append(
                    f'<text x="{x + (_CELL - 2) / 2}" y="{y + 18}" text-anchor="middle" '
                    f'fill="{colour}">{round(count)}</text>'
                )
    if mark:
        x, y = _LEFT + mark[1] * _CELL - 1, _TOP + mark[0] * _CELL - 1
        out.append(
            f'<rect x="{x}" y="{y}" width="{_CELL}" height="{_CELL}" fill="none" '
            f'stroke="#0057b8" stroke-width="3"><title>your slot</title></rect>'
        )
    note = f"{grid.placed} chats counted; fortnightly and monthly chats count by how often they run"
    if grid.skipped:
        note += f"; {grid.skipped} without a known day, time or zone left out"
    y_note = _TOP + 7 * _CELL + 22
    out.append(f'<text x="{_LEFT}" y="{y_note}" fill="#555555">{escape(note)}</text>')
    if source:
        out.append(
            f'<text x="{_LEFT}" y="{y_note + 18}" fill="#555555">source: {escape(source)}</text>'
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def grid_html(grid: WeekGrid, mark: tuple[int, int] | None = None, source: str = "") -> str:
    """A self-contained HTML page showing the SVG grid (no scripts, no external files)."""
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title(grid))}</title>\n"
        "<style>body{font-family:sans-serif;margin:2em;color:#222}</style>\n"
        "</head>\n<body>\n"
        f"{grid_svg(grid, mark, source)}"
        "</body>\n</html>\n"
    )
