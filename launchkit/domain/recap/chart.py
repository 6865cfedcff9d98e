"""The participants-per-session chart as SVG, for machines without matplotlib (pure)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date

__all__ = ["participants_svg"]

_W, _H, _LEFT, _BOTTOM, _TOP = 640, 320, 48, 56, 40


def participants_svg(points: Sequence[tuple[date, int]], title: str) -> str:
    """A bar per recapped session (oldest first): how many people took part."""
    peak = max((n for _, n in points), default=0) or 1
    plot_w, plot_h = _W - _LEFT - 16, _H - _TOP - _BOTTOM
    slot = plot_w / max(len(points), 1)
    bar = max(min(slot * 0.7, 48), 2)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_W}" height="{_H}" '
        f'viewBox="0 0 {_W} {_H}" font-family="sans-serif" font-size="12">',
        f"<title>{html.escape(title)}</title>",
        f'<rect width="{_W}" height="{_H}" fill="#ffffff"/>',
        f'<text x="{_W / 2:.0f}" y="24" text-anchor="middle" font-size="15">'
        f"{html.escape(title)}</text>",
        f'<line x1="{_LEFT}" y1="{_TOP + plot_h}" x2="{_W - 16}" y2="{_TOP + plot_h}" '
        'stroke="#888"/>',
    ]
    step = max(1, -(-len(points) // 12))  # at most about 12 date labels
    for i, (session, count) in enumerate(points):
        height = plot_h * count / peak
        x = _LEFT + slot * i + (slot - bar) / 2
        y = _TOP + plot_h - height
        out.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{height:.1f}" '
            f'fill="#3b6fd6"><title>{session.isoformat()}: {count} people</title></rect>'
        )
        out.append(
            f'<text x="{x + bar / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle">{count}</text>'
        )
        if i % step == 0:
            out.append(
                f'<text x="{x + bar / 2:.1f}" y="{_TOP + plot_h + 16}" text-anchor="middle">'
                f"{session.isoformat()}</text>"
            )
    out.append(
        f'<text x="14" y="{_TOP + plot_h / 2:.0f}" transform="rotate(-90 14 '
        f'{_TOP + plot_h / 2:.0f})" text-anchor="middle">people</text>'
    )
    out.append("</svg>")
    return "\n".join(out) + "\n"
