"""Figures of a comparison of two (wave, question) pairs: the dumbbell chart of both sides' shares
and the forest plot of their differences, PNG and SVG, byte for byte reproducible (the figure
contract of :mod:`.figures`, whose rcParams, caption band and saving they reuse). The table and
facts are those of :mod:`.comparison` (its docstring lists them)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .comparison import TEXTS, comparison_facts, format_p, multi_sentence, p_holm_sentence, side_sentence, test_parts
from .collation import collation_key
from .figures import (
    COLORS,
    FONT_SIZE,
    TITLE_SIZE,
    WHISKER_COLOR,
    WIDTH,
    caption_height,
    caption_lines,
    figure_rc,
    grouping_threshold,
    Grouping,
    layout_with_caption,
    new_figure,
    percent_axis,
    save_figure,
    wrap_text,
)
from .text import (
    MISSING,
    format_decimal,
    format_level,
    method_name,
    one_line,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..core.codebook import Question

ROW_HEIGHT = 0.40  # inches per option, dumbbell
ROW_HEIGHT_FOREST = 0.30  # inches per option, forest
DODGE = 0.17  # rows: side a above the option's line, side b below
LABEL_WIDTH = 2.9  # inches of option label before wrapping
LINK_COLOR = "#8c8c8c"
BAND_COLOR = "#f2f2f2"
_UPPER = (10, 20, 30, 40, 50, 60, 80, 100)

#: The p-values the forest plot prints (a column of the comparison table) and the adjustment they
#: carry, as the forest's note names it.
FOREST_P = "p_holm"
P_ADJUSTMENTS = {"p_holm": {"en": "Holm-adjusted", "sv": "Holm-justerade"}}
#: The forest's note: the intervals are each option's own, the p-values adjusted over the options.
FOREST_NOTE = {
    "en": {"intervals": "The intervals are unadjusted {level} % confidence intervals, one option at a time;",
           "p": "the p-values are {adjusted} over the options."},
    "sv": {"intervals": "Intervallen är ojusterade {level} % konfidensintervall, ett alternativ i taget;",
           "p": "p-värdena är {adjusted} över alternativen."},
}


def forest_note(f: Mapping, lang: str, p_column: str = FOREST_P) -> str:
    """The sentence that tells the forest plot's intervals from its p-values: the level of the
    intervals from the table (``conf_level``, config ``compare.conf_level``), unadjusted, and the
    adjustment of the p-values printed (``p_column``: :data:`P_ADJUSTMENTS`). Without a per-option
    test (no p-values) only the intervals are named."""
    t = FOREST_NOTE[lang]
    first = t["intervals"].format(level=format_level(f["conf_level"]))
    if not f["option_test"]:
        return first.rstrip(";") + "."
    return f"{first} {t['p'].format(adjusted=P_ADJUSTMENTS[p_column][lang])}"


#: The caption's sentence on the options a long comparison figure leaves out.
LEFT_OUT_NOTE = {
    "en": "{k} options chosen by fewer than {below} respondents in {label_a} and in {label_b} are not drawn; "
          "the table lists every option.",
    "sv": "{k} alternativ som färre än {below} svarande valde både {label_a} och {label_b} visas inte; "
          "tabellen listar alla alternativ.",
}


def drawn_rows(table: pd.DataFrame, question: Question, lang: str, labels: tuple[str, str],
               grouping: Grouping | None = None) -> tuple[pd.DataFrame, str | None]:
    """The rows of a between comparison as its figures draw them, top to bottom, and the caption's
    sentence on the rows left out (None if none is).

    As the table, unless the question is a long single-choice list (more than ``max_bars`` options,
    not a scale: config ``figures.group_small_options``, as for one wave's figure): then only the
    options chosen by at least the threshold on one side or the other are drawn, sorted by the
    second side's share, largest first (ties: the first side's share, then the alphabetical order
    of ``lang``). The threshold is ``below_count``, raised as for one wave's figure until at most
    ``max_bars - 1`` options are drawn. The options left out are not drawn as one grouped row:
    a grouped difference would need its own interval and test, which the table does not have."""
    grouping = Grouping() if grouping is None else grouping
    table = table.reset_index(drop=True)
    if question.kind != "single" or question.is_scale or len(table) <= grouping.max_bars:
        return table, None
    larger = [max(int(a), int(b)) for a, b in zip(table["count_a"], table["count_b"])]
    threshold = grouping_threshold(larger, grouping)
    shares = list(zip(table["share_b"].astype(float), table["share_a"].astype(float)))
    kept = sorted((i for i, c in enumerate(larger) if c >= threshold),
                  key=lambda i: (-shares[i][0], -shares[i][1], collation_key(str(table.at[i, f"label_{lang}"]), lang)))
    sentence = LEFT_OUT_NOTE[lang].format(k=len(table) - len(kept), below=threshold, label_a=labels[0],
                                          label_b=labels[1])
    return table.loc[kept].reset_index(drop=True), sentence


def _axis_upper(highs: np.ndarray) -> int:
    """The shortest x axis (percent) from 0 that holds every upper bound with a little room."""
    top = np.nanmax(highs) if np.isfinite(highs).any() else 0.0
    return next((u for u in _UPPER if top + 1.5 <= u), 100)


def _row_bands(ax, k: int) -> None:
    for i in range(1, k, 2):
        ax.axhspan(i - 0.5, i + 0.5, color=BAND_COLOR, zorder=0, linewidth=0)


def _labels(table: pd.DataFrame, lang: str) -> list[str]:
    return ["\n".join(wrap_text(lb, LABEL_WIDTH, FONT_SIZE)) for lb in table[f"label_{lang}"].astype(str)]


def _pct(table: pd.DataFrame, column: str) -> np.ndarray:
    return 100 * table[column].astype(float).to_numpy()


def _title_lines(title: str) -> list[str]:
    return wrap_text(title, WIDTH - 0.3, TITLE_SIZE, 0.62)


_GLUE = "\ue000"  # a private-use character: neither whitespace to one_line nor a break to textwrap


def _caption(paragraphs: list[str]) -> list[str]:
    """render.caption_lines, without breaking a line inside "n = 360", "p < 0.001" or "95 %"."""
    glued = [re.sub(r"(\d) %", rf"\1{_GLUE}%", re.sub(r" ([=<]) ", rf"{_GLUE}\1{_GLUE}", p)) for p in paragraphs]
    return [line.replace(_GLUE, " ") for line in caption_lines(glued, WIDTH - 0.3)]


def _text_width(text: str, size: float) -> float:
    return len(text) * size * 0.56 / 72


def plot_dumbbell(
    table: pd.DataFrame,
    lang: str,
    label_a: str | None,
    label_b: str | None,
    title: str,
    facts: Mapping,
    path_png: str | Path,
    path_svg: str | Path,
    note: str | None,
    left_out: str | None = None,
) -> None:
    """One row per option (table order top to bottom, labels in ``lang``): each side's share as a
    point with its interval whisker (side a: first colour, circles, above; side b: second colour,
    squares, below), a thin grey line joining the two, x from 0 to the shortest of 10, 20, ...,
    100 % that holds every whisker. Legend above the plot: ``label_a`` / ``label_b`` (``None``:
    facts' labels) with n. Caption under the plot: both sides with wave, question, base and n, the
    interval method and level, the whole-question test, "tick all that apply" for multi, the rows
    left out (``left_out``: :func:`drawn_rows`), the note.
    """
    f = comparison_facts(table, facts, lang)
    t = TEXTS[lang]
    label_a = f["label_a"] if label_a is None else one_line(label_a)
    label_b = f["label_b"] if label_b is None else one_line(label_b)
    legend = [t["legend"].format(label=label_a, n=f["n_a"]), t["legend"].format(label=label_b, n=f["n_b"])]
    labels = _labels(table, lang)
    # the legend starts at the plot's left edge, right of the option labels
    room = WIDTH - 0.4 - max(_text_width(line, FONT_SIZE) for label in labels for line in label.split("\n"))
    one_row = sum(_text_width(x, FONT_SIZE) + 0.6 for x in legend) <= room
    if not one_row:  # one entry a line, each wrapped to the width of the plot
        legend = ["\n".join(wrap_text(x, room - 0.5, FONT_SIZE)) for x in legend]
    k = len(table)

    first = " ".join([side_sentence(f, "a", lang), side_sentence(f, "b", lang),
                      t["whiskers"].format(level=format_level(f["conf_level"]), method=method_name(f["ci_method"])),
                      *test_parts(f, lang), *multi_sentence(f, lang), *([left_out] if left_out else [])])
    paragraphs = [first, note or ""]
    caption = _caption(paragraphs)
    title_lines = _title_lines(title)
    legend_lines = 1 if one_row else sum(x.count("\n") + 1 for x in legend)
    height = round(len(title_lines) * TITLE_SIZE * 1.25 / 72 + 0.25  # title
                   + legend_lines * FONT_SIZE * 1.6 / 72 + 0.1  # legend
                   + max(1.2, ROW_HEIGHT * k) + 0.6  # rows, x axis and its label
                   + caption_height(caption), 2)

    y = np.arange(k, dtype=float)
    sides = []
    for side in ("a", "b"):
        share = _pct(table, f"share_{side}")
        low, high = _pct(table, f"ci_low_{side}"), _pct(table, f"ci_high_{side}")
        sides.append((share, low, high))
    upper = _axis_upper(np.concatenate([np.where(np.isnan(h), s, h) for s, _, h in sides]))

    with figure_rc():
        fig = new_figure(WIDTH, height)
        ax = fig.add_subplot()
        _row_bands(ax, k)
        (sa, _, _), (sb, _, _) = sides
        both = ~np.isnan(sa) & ~np.isnan(sb)
        segments = [[(a, yi - DODGE), (b, yi + DODGE)] for a, b, yi in zip(sa[both], sb[both], y[both])]
        from matplotlib.collections import LineCollection

        ax.add_collection(LineCollection(segments, colors=LINK_COLOR, linewidths=0.9, zorder=2))
        for (share, low, high), offset, colour, marker, text in zip(
                sides, (-DODGE, DODGE), COLORS, ("o", "s"), legend):
            ok = ~np.isnan(share)
            err = np.vstack([np.clip(share - low, 0, None), np.clip(high - share, 0, None)])
            err = np.where(np.isnan(err), 0.0, err)[:, ok]
            bars = ax.errorbar(share[ok], y[ok] + offset, xerr=err, fmt=marker, color=colour, ecolor=colour,
                               markersize=5.5, markeredgecolor="white", markeredgewidth=0.6, elinewidth=1.3,
                               capsize=2.5, capthick=1.1, zorder=3, label=text)
            for artist in bars.get_children() if ok.any() else ():  # (an empty artist unclipped has an
                artist.set_clip_on(False)  # infinite extent) a share of 0 % is a whole point, not half
        ax.set_yticks(range(k), labels=labels)
        percent_axis(ax, lang, k, upper)
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.01), ncols=2 if one_row else 1, frameon=False,
                  borderaxespad=0, handletextpad=0.4, columnspacing=1.5)
        fig.suptitle("\n".join(title_lines), x=0.12 / WIDTH, ha="left", fontsize=TITLE_SIZE, fontweight="bold")
        layout_with_caption(fig, caption)
        save_figure(fig, path_png, path_svg, one_line(title), " ".join(p for p in paragraphs if p), lang)


def _diff_ticks(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Ticks of the difference axis: 0 and every bound inside, round steps (MaxNLocator)."""
    lo = min(0.0, np.nanmin(low)) if np.isfinite(low).any() else -10.0
    hi = max(0.0, np.nanmax(high)) if np.isfinite(high).any() else 10.0
    if hi - lo < 1:
        lo, hi = lo - 1, hi + 1
    from matplotlib.ticker import MaxNLocator

    ticks = MaxNLocator(nbins=8, steps=[1, 2, 2.5, 5, 10]).tick_values(lo, hi)
    below, above = ticks[ticks <= lo], ticks[ticks >= hi]
    first = below.max() if below.size else ticks[0]
    last = above.min() if above.size else ticks[-1]
    return ticks[(ticks >= first) & (ticks <= last)]


def _tick_labels(ticks: np.ndarray, lang: str) -> list[str]:
    """Tick labels with as few decimals as the ticks need, decimal comma in Swedish, "−" for minus."""
    places = next((d for d in (0, 1, 2) if np.allclose(ticks, np.round(ticks, d))), 2)
    return [format_decimal(round(float(x), places), places, lang).replace("-", "−") for x in ticks]


def plot_forest(
    table: pd.DataFrame,
    lang: str,
    title: str,
    facts: Mapping,
    path_png: str | Path,
    path_svg: str | Path,
    note: str | None,
    left_out: str | None = None,
) -> Figure:
    """The difference share_b - share_a per option in percentage points (table order top to
    bottom) with its interval (``diff_ci_method``), a vertical line at 0, and the Holm-adjusted
    p-value at the right of each row. Caption: what is subtracted from what, the interval method
    and level, both sides, the whole-question test, the per-option test and its Holm adjustment,
    "tick all that apply" for multi; then a line that the intervals are unadjusted and the p-values
    adjusted (:func:`forest_note`); the rows left out (``left_out``: :func:`drawn_rows`); the note.
    Returns the figure drawn (saved already)."""
    f = comparison_facts(table, facts, lang)
    t = TEXTS[lang]
    k = len(table)
    level = format_level(f["conf_level"])
    first = " ".join([t["diff_whiskers"].format(b=f["label_b"], a=f["label_a"], level=level,
                                                method=f["diff_ci_method"] or MISSING),
                      side_sentence(f, "a", lang), side_sentence(f, "b", lang),
                      *test_parts(f, lang), *p_holm_sentence(f, lang), *multi_sentence(f, lang),
                      *([left_out] if left_out else [])])
    paragraphs = [first, forest_note(f, lang), note or ""]
    caption = _caption(paragraphs)
    title_lines = _title_lines(title)
    xlabel = wrap_text(t["axis_diff"].format(b=f["label_b"], a=f["label_a"]), WIDTH - LABEL_WIDTH - 1.2, FONT_SIZE)
    height = round(len(title_lines) * TITLE_SIZE * 1.25 / 72 + 0.25 + FONT_SIZE * 1.6 / 72  # title, p header
                   + max(1.2, ROW_HEIGHT_FOREST * k) + 0.45 + len(xlabel) * FONT_SIZE * 1.25 / 72
                   + caption_height(caption), 2)

    diff = _pct(table, "difference")
    low, high = _pct(table, "diff_ci_low"), _pct(table, "diff_ci_high")
    y = np.arange(k, dtype=float)
    ticks = _diff_ticks(np.where(np.isnan(low), diff, low), np.where(np.isnan(high), diff, high))

    with figure_rc():
        fig = new_figure(WIDTH, height)
        ax = fig.add_subplot()
        _row_bands(ax, k)
        ax.axvline(0, color="#555555", linewidth=1.0, zorder=1)
        ok = ~np.isnan(diff)
        err = np.vstack([np.clip(diff - low, 0, None), np.clip(high - diff, 0, None)])
        err = np.where(np.isnan(err), 0.0, err)[:, ok]
        ax.errorbar(diff[ok], y[ok], xerr=err, fmt="D", color=WHISKER_COLOR, ecolor=WHISKER_COLOR,
                    markersize=4.5, elinewidth=1.2, capsize=2.5, capthick=1.1, zorder=3)
        ax.set_yticks(range(k), labels=_labels(table, lang))
        ax.set_xticks(ticks, labels=_tick_labels(ticks, lang))
        ax.set_xlim(ticks[0], ticks[-1])
        ax.set_ylim(k - 0.5, -0.5)
        ax.set_xlabel("\n".join(xlabel))
        ax.set_ylabel("")
        ax.grid(axis="y", visible=False)
        to_right = ax.get_yaxis_transform()  # x in axes fraction, y in data
        for yi, p in zip(y, table[FOREST_P]):
            ax.text(1.03, yi, format_p(p, lang), transform=to_right, ha="left", va="center",
                    fontsize=FONT_SIZE - 0.5, color="#333333")
        ax.text(1.03, 1.0, t["p_header"], transform=ax.transAxes, ha="left", va="bottom",
                fontsize=FONT_SIZE - 0.5, color="#333333", fontweight="bold")
        fig.suptitle("\n".join(title_lines), x=0.12 / WIDTH, ha="left", fontsize=TITLE_SIZE, fontweight="bold")
        layout_with_caption(fig, caption)
        save_figure(fig, path_png, path_svg, one_line(title), " ".join(p for p in paragraphs if p), lang)
    return fig
