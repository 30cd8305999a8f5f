"""The plan's figure (results/{release}/plan/precision.{lang}.png/.svg): per question of the last
wave, the respondents it has and the respondents its most demanding share needs for the configured
interval half-width, PNG and SVG, byte for byte reproducible (the figure contract of
:mod:`.figures`, whose rcParams, caption band and saving it reuses)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from .figures import (
    COLORS,
    FONT_SIZE,
    TITLE_SIZE,
    WIDTH,
    caption_height,
    caption_lines,
    figure_rc,
    layout_with_caption,
    new_figure,
    save_figure,
    wrap_text,
)
from .text import capitalise, format_decimal, format_level, format_percent, method_name, one_line

ROW_HEIGHT = 0.36  # inches per question
LABEL_WIDTH = 2.9  # inches of question name before wrapping
LINK_COLOR = "#8c8c8c"

TEXTS = {
    "en": {
        "title": "Respondents needed for intervals of ±{points} points, wave {wave}",
        "now": "respondents now", "needed": "needed for ±{points} points",
        "axis": "Respondents",
        "caption": "Per question: the respondents who answered it in wave {wave} (its base) and the respondents "
                   "its {method} interval ({level} %) needs to be at most ±{points} percentage points wide at "
                   "its most demanding share (the one that needs the most respondents, nearest 50 %; in brackets), the shares held as "
                   "observed.",
    },
    "sv": {
        "title": "Svarande som behövs för intervall på ±{points} procentenheter, omgång {wave}",
        "now": "svarande nu", "needed": "behövs för ±{points} procentenheter",
        "axis": "Svarande",
        "caption": "Per fråga: de svarande som besvarade den i omgång {wave} (dess bas) och de svarande som "
                   "dess {method}-intervall ({level} %) behöver för att vara högst ±{points} procentenheter "
                   "brett vid dess mest krävande andel (den som behöver flest svarande, närmast 50 %; inom hakparentes), med "
                   "andelarna som de observerades.",
    },
}


def _points(half_width: float, lang: str) -> str:
    return format_decimal(half_width, 1, lang).removesuffix(".0").removesuffix(",0")


def _label(name: str, share: float, lang: str) -> str:
    """The question's name wrapped, its share in brackets unbroken ("[54.4 %]") after it."""
    lines = wrap_text(capitalise(name), LABEL_WIDTH, FONT_SIZE)
    share_text = f"[{format_percent(share, lang)} %]"
    if len(lines[-1]) + 1 + len(share_text) <= max(len(line) for line in lines):
        lines[-1] += " " + share_text
    else:
        lines.append(share_text)
    return "\n".join(lines)


def _axis_upper(values: np.ndarray) -> float:
    """A round upper end of the respondents axis that holds every value with a little room."""
    top = max(float(np.nanmax(values)) * 1.08 if np.isfinite(values).any() else 1.0, 1.0)
    magnitude = 10 ** (len(str(int(top))) - 1)  # whole numbers: no logarithm's last bits
    return float(next(m * magnitude for m in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if m * magnitude >= top))


def plot_precision(per_question: pd.DataFrame, names: Mapping[str, str], settings: Mapping, wave: str, lang: str,
                   path_png: str | Path, path_svg: str | Path, note: str | None) -> None:
    """One row per question (``per_question``: :func:`netclean_survey.planning.tables.question_precision`,
    top to bottom; ``names``: question id -> its name in ``lang``): a circle at the respondents now,
    a square at the respondents needed, a grey line between them; x from 0."""
    t = TEXTS[lang]
    points = _points(settings["half_width"], lang)
    title = t["title"].format(points=points, wave=wave)
    labels = [_label(names[r.question], r.share, lang) for r in per_question.itertuples(index=False)]
    k = len(per_question)
    paragraphs = [t["caption"].format(wave=wave, method=method_name(settings["interval_method"]),
                                      level=format_level(settings["conf_level"]), points=points), note or ""]
    caption = caption_lines(paragraphs, WIDTH - 0.3)
    title_lines = wrap_text(title, WIDTH - 0.3, TITLE_SIZE, 0.62)
    height = round(len(title_lines) * TITLE_SIZE * 1.25 / 72 + 0.25 + FONT_SIZE * 1.6 / 72 + 0.1
                   + max(1.2, ROW_HEIGHT * max(k, 1)) + 0.6 + caption_height(caption), 2)
    now = per_question["n"].to_numpy(dtype=float)
    needed = per_question["respondents_needed"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    y = np.arange(k, dtype=float)

    with figure_rc():
        fig = new_figure(WIDTH, height)
        ax = fig.add_subplot()
        for i in range(1, k, 2):
            ax.axhspan(i - 0.5, i + 0.5, color="#f2f2f2", zorder=0, linewidth=0)
        both = ~np.isnan(needed)
        ax.hlines(y[both], np.minimum(now, needed)[both], np.maximum(now, needed)[both], colors=LINK_COLOR,
                  linewidths=0.9, zorder=2)
        ax.plot(now, y, "o", color=COLORS[0], markersize=6, markeredgecolor="white", markeredgewidth=0.6, zorder=3,
                label=t["now"], clip_on=False)
        ax.plot(needed[both], y[both], "s", color=COLORS[1], markersize=6, markeredgecolor="white",
                markeredgewidth=0.6, zorder=3, label=t["needed"].format(points=points), clip_on=False)
        ax.set_yticks(range(k), labels=labels)
        ax.set_ylim(k - 0.5, -0.5)
        ax.set_xlim(0, _axis_upper(np.concatenate([now, needed])))
        ax.set_xlabel(t["axis"])
        ax.grid(axis="y", visible=False)
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.01), ncols=2, frameon=False, borderaxespad=0,
                  handletextpad=0.4, columnspacing=1.5)
        fig.suptitle("\n".join(title_lines), x=0.12 / WIDTH, ha="left", fontsize=TITLE_SIZE, fontweight="bold")
        layout_with_caption(fig, caption)
        save_figure(fig, path_png, path_svg, one_line(title), " ".join(p for p in paragraphs if p), lang)
