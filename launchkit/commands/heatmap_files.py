"""Write a week heatmap to .svg, .html or .png (PNG only when matplotlib is installed)."""

from __future__ import annotations

import io
from pathlib import Path

from launchkit.adapters.fsutil import write_bytes_atomic, write_text_atomic
from launchkit.domain.calendars.heatmap import grid_html, grid_svg, title
from launchkit.domain.calendars.week import WeekGrid
from launchkit.domain.weekdays import DAY_NAMES
from launchkit.errors import ConfigError, UsageError

FORMATS = (".svg", ".html", ".htm", ".png")


def write_heatmap(
    path: Path, grid: WeekGrid, mark: tuple[int, int] | None, source: str = ""
) -> None:
    """Write the grid to `path`; the format follows its suffix."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(
            f"--out {path}: unknown picture format {suffix or '(none)'}",
            hint="use a name ending in .svg, .html or .png",
        )
    try:
        if suffix == ".svg":
            write_text_atomic(path, grid_svg(grid, mark, source))
        elif suffix in (".html", ".htm"):
            write_text_atomic(path, grid_html(grid, mark, source))
        else:
            write_bytes_atomic(path, _png(grid, mark))
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror}") from None


def _png(grid: WeekGrid, mark: tuple[int, int] | None) -> bytes:
    try:
        import matplotlib

        matplotlib.use("Agg")  # no display needed
        import matplotlib.pyplot as plt
        from matplotlib.patches import Rectangle
    except ImportError:
        raise UsageError(
            "PNG output needs matplotlib, which is not installed",
            hint="write --out week.svg or week.html instead, or: pip install matplotlib",
        ) from None
    fig, ax = plt.subplots(figsize=(12, 4))
    try:
        image = ax.imshow([list(day) for day in grid.counts], cmap="YlOrRd", aspect="auto")
        ax.set_xticks(range(24), [f"{h:02d}" for h in range(24)])
        ax.set_yticks(range(7), list(DAY_NAMES))
        ax.set_title(title(grid))
        fig.colorbar(image, ax=ax, label="chats")
        if mark:
            ax.add_patch(
                Rectangle((mark[1] - 0.5, mark[0] - 0.5), 1, 1, fill=False, edgecolor="blue", lw=3)
            )
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
        return buffer.getvalue()
    finally:
        plt.close(fig)
