"""Figures of the estimates (PNG and SVG), byte for byte reproducible: a bar chart per question and
the grouped chart of grooming against sexual extortion ages.

Drawn on a ``Figure`` with the Agg canvas (no pyplot state, no GUI backend) inside
``matplotlib.rc_context`` after ``matplotlib.rcdefaults()``, so neither a user's matplotlibrc nor a
style set earlier in the process leaks in; fixed figure size, dpi and font (DejaVu Sans, shipped
with matplotlib); ``svg.hashsalt`` fixed (ids of clip paths); no date nor software version in the
metadata. ``svg.fonttype`` is ``"path"``: glyphs are drawn as outlines, so the SVG looks exactly
like the PNG on any machine, whichever fonts the viewer has (with ``"none"`` the viewer substitutes
its own font, the metrics change and long labels can overflow). The text stays findable: matplotlib
writes every string as an XML comment next to its glyphs, and the title and caption (with the
synthetic-data note) go into the SVG's ``<title>`` and Dublin Core ``description``.

Input: rows of the estimates table (one row per question and option, codebook order), every number
rounded once (:mod:`netclean_survey.core.rounding`).

Bars are in codebook order, except in a long list of single-choice options (more than
``max_bars``, config ``figures.group_small_options``; the country question): there the bars are
sorted by share, largest first (ties in the alphabetical order of the figure's language,
:mod:`.collation`), and the options chosen by few respondents are drawn as one last bar,
"Övriga" / "Other", whose count is their sum and whose interval is the estimates' method
(:func:`netclean_survey.estimate.intervals.proportion_interval`); the caption says how many options
it holds. Tick-all questions (their options overlap: counts cannot be summed) and ordered scales
(options with a ``score`` in the questionnaire: the age brackets) keep their order and are never
grouped. Each value label sits on a white box above the gridlines, so no gridline runs through it.
"""

from __future__ import annotations

import textwrap
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..core.codebook import AGE_QUESTIONS, AGES_FIGURE, Question, Wave, has_age_figure, published_questions
from ..core.writers import prepare_path
from ..estimate.intervals import proportion_interval
from ..estimate.shares import published_estimates
from .collation import collation_key
from .text import (
    TEXTS,
    capitalise,
    check_lang,
    format_level,
    format_share,
    method_name,
    n_phrase,
    note,
    one_line,
    question_facts,
    question_rows,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure


DPI = 150
WIDTH = 8.0  # inches, single-question figures
WIDTH_AGES = 10.0  # inches, the two-panel age figure
FONT_SIZE = 9.0
TITLE_SIZE = 11.0
CAPTION_SIZE = 7.5
COLORS = ("#0173b2", "#de8f05")  # seaborn "colorblind", first two
WHISKER_COLOR = "#222222"
VALUE_LABEL_ZORDER = 4  # above the gridlines (0.5, axes.axisbelow), the bars (2) and whiskers (3)
#: The box under each value label: opaque white, so that no gridline shows through the text.
VALUE_LABEL_BOX = {"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 1.0}
SVG_HASHSALT = "netclean_survey"
RC = {
    "font.family": ["sans-serif"],
    "font.sans-serif": ["DejaVu Sans"],  # ships with matplotlib; seaborn's style lists Arial first
    "font.size": FONT_SIZE,
    "axes.titlesize": FONT_SIZE + 1,
    "axes.labelsize": FONT_SIZE,
    "xtick.labelsize": FONT_SIZE,
    "ytick.labelsize": FONT_SIZE,
    "legend.fontsize": FONT_SIZE,
    "figure.dpi": 100,
    "savefig.dpi": DPI,
    "savefig.bbox": None,
    "savefig.transparent": False,
    "savefig.facecolor": "white",
    "savefig.edgecolor": "white",
    "figure.facecolor": "white",
    "svg.fonttype": "path",
    "svg.hashsalt": SVG_HASHSALT,
    "svg.id": None,
    "svg.image_inline": True,
    "text.parse_math": False,  # a "$" in a label is a dollar sign, not mathtext
    "text.usetex": False,
    "axes.formatter.use_locale": False,
    "axes.unicode_minus": True,
}


@contextmanager
def figure_rc() -> Iterator[None]:
    """rcParams for the pipeline's figures, whatever the process had set; restored on exit.

    matplotlib and seaborn are imported here and in the drawing functions, not with the module: a
    job that writes only tables does not pay for loading the plotting stack."""
    import matplotlib
    import seaborn as sns

    with matplotlib.rc_context():
        matplotlib.rcdefaults()  # matplotlib's own defaults, not the user's matplotlibrc
        matplotlib.rcParams.update(sns.axes_style("whitegrid"))
        matplotlib.rcParams.update(RC)
        _check_font()
        yield


def font_files() -> list[str]:
    """The font files the figures are drawn with (regular and bold DejaVu Sans)."""
    from matplotlib.font_manager import FontProperties, findfont

    return [findfont(FontProperties(family=["DejaVu Sans"], weight=w), fallback_to_default=False)
            for w in ("normal", "bold")]


_FONT_CHECKED = False


def _check_font() -> None:
    """Warn once if DejaVu Sans resolves to a copy other than matplotlib's own (a system copy of
    another version would change the glyphs, hence the bytes)."""
    global _FONT_CHECKED
    if _FONT_CHECKED:
        return
    _FONT_CHECKED = True
    import matplotlib

    bundled = Path(matplotlib.get_data_path()).resolve()
    for path in font_files():
        if bundled not in Path(path).resolve().parents:
            warnings.warn(f"DejaVu Sans resolves to {path}, not to matplotlib's bundled copy: "
                          "figures may differ in bytes from other machines", stacklevel=3)


def wrap_text(text: str, width_in: float, size: float, factor: float = 0.56) -> list[str]:
    """Wrap to the characters that fit in width_in at font size (DejaVu Sans averages ~0.55 em)."""
    chars = max(20, int(width_in * 72 / (size * factor)))
    return textwrap.wrap(one_line(text), chars, break_on_hyphens=False) or [""]


def caption_lines(paragraphs: list[str], width_in: float) -> list[str]:
    """The caption's lines: each non-empty paragraph wrapped to ``width_in`` at CAPTION_SIZE."""
    lines: list[str] = []
    for paragraph in paragraphs:
        if paragraph:
            lines += wrap_text(paragraph, width_in, CAPTION_SIZE)
    return lines


def caption_height(caption: list[str]) -> float:
    """Height in inches of the band under the plot that holds the caption's lines."""
    return (len(caption) * CAPTION_SIZE * 1.3 + 10) / 72


def new_figure(width: float, height: float) -> Figure:
    """A figure on the Agg canvas (no pyplot state, no GUI backend)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def layout_with_caption(fig: Figure, caption: list[str]) -> None:
    """Constrained layout above a band that holds the caption; caption drawn into the band."""
    height = fig.get_size_inches()[1]
    band = caption_height(caption)
    fig.set_layout_engine("constrained", rect=(0, band / height, 1, 1 - band / height),
                          h_pad=0.06, w_pad=0.08)
    fig.text(0.12 / fig.get_size_inches()[0], (band - 4 / 72) / height, "\n".join(caption), ha="left", va="top",
             fontsize=CAPTION_SIZE, linespacing=1.3, color="#333333")


def save_figure(fig: Figure, path_png, path_svg, title: str, description: str, lang: str) -> None:
    """PNG and SVG at DPI, with title and description (caption and note) as metadata and no
    date, creator or software version. Call inside :func:`figure_rc`."""
    meta_common = {"Title": title, "Description": description}
    fig.savefig(prepare_path(path_png), format="png", dpi=DPI,
                metadata={**meta_common, "Software": None})
    fig.savefig(prepare_path(path_svg), format="svg", dpi=DPI,
                metadata={**meta_common, "Date": None, "Creator": None, "Language": lang})


def _plain_shares(table: pd.DataFrame) -> pd.DataFrame:
    """Percent columns; a NaN share (n = 0) is drawn as an empty bar, its whisker left out."""
    out = pd.DataFrame({
        "option": table["option"].astype(str).to_numpy(),
        "pct": (100 * table["share"].astype(float)).fillna(0.0).to_numpy(),
        "low": (100 * table["ci_low"].astype(float)).to_numpy(),
        "high": (100 * table["ci_high"].astype(float)).to_numpy(),
        "missing": table["share"].isna().to_numpy(),
    })
    return out


def _whiskers(ax, centres: np.ndarray, data: pd.DataFrame, horizontal: bool = True) -> None:
    ok = data[["low", "high"]].notna().all(axis=1).to_numpy() & ~data["missing"].to_numpy()
    if not ok.any():
        return
    pct = data["pct"].to_numpy()[ok]
    err = np.vstack([np.clip(pct - data["low"].to_numpy()[ok], 0, None),
                     np.clip(data["high"].to_numpy()[ok] - pct, 0, None)])
    kw = dict(fmt="none", ecolor=WHISKER_COLOR, elinewidth=1.1, capsize=3, capthick=1.1, zorder=3)
    if horizontal:
        ax.errorbar(pct, centres[ok], xerr=err, **kw)
    else:
        ax.errorbar(centres[ok], pct, yerr=err, **kw)


def _bar_centres(ax, container_index: int) -> np.ndarray:
    patches = ax.containers[container_index].patches
    return np.array([p.get_y() + p.get_height() / 2 for p in patches])


def percent_axis(ax, lang: str, k: int, upper: int = 100) -> None:
    """x from 0 to ``upper`` percent (ticks every 20, or 10 / 5 on a shorter axis), its label;
    k rows top to bottom without margins."""
    step = 20 if upper > 50 else 10 if upper > 20 else 5
    ax.set_xlim(0, upper)
    ax.set_xticks(range(0, upper + 1, step))
    ax.set_xlabel(TEXTS[lang]["axis_share"])
    ax.set_ylabel("")
    ax.grid(axis="y", visible=False)
    ax.set_ylim(k - 0.5, -0.5)  # errorbar's autoscale would add margins


def _interval_sentence(facts_list: list[dict], lang: str) -> str:
    pairs = list(dict.fromkeys((format_level(f["conf_level"]), method_name(f["ci_method"])) for f in facts_list))
    return " ".join(TEXTS[lang]["whiskers"].format(level=lv, method=m) for lv, m in pairs)


@dataclass(frozen=True)
class Grouping:
    """How a long single-choice list is drawn (config ``figures.group_small_options``).

    A single-choice question with more than ``max_bars`` options, not an ordered scale, is drawn
    with its bars sorted by share and its options chosen by fewer than ``below_count`` respondents
    grouped into one last bar; if more than ``max_bars - 1`` options are left, the threshold is
    raised (to one more than the count of the largest option grouped) until at most ``max_bars``
    bars are drawn, the grouped one included. Options of equal count are never split between the
    grouped bar and the others."""

    max_bars: int = 12
    below_count: int = 5

    def __post_init__(self):
        if int(self.max_bars) != self.max_bars or self.max_bars < 3:
            raise ValueError(f"group_small_options.max_bars must be a whole number of at least 3, "
                             f"got {self.max_bars!r}")
        if int(self.below_count) != self.below_count or self.below_count < 1:
            raise ValueError(f"group_small_options.below_count must be a whole number of at least 1, "
                             f"got {self.below_count!r}")

    @classmethod
    def from_config(cls, settings: Mapping | None) -> Grouping:
        """From config ``figures.group_small_options`` (a key left out: its default)."""
        settings = dict(settings or {})
        unknown = sorted(set(settings) - {"max_bars", "below_count"})
        if unknown:
            raise ValueError(f"figures.group_small_options: unknown keys {unknown}; known: max_bars, below_count")
        return cls(**settings)


#: The grouped bar's label, and its alternative when an option of the question is labelled so already.
GROUPED_LABEL = {"sv": ("Övriga", "Övriga (sammanslagna)"), "en": ("Other", "Other (combined)")}
GROUPED_OPTION = "(grouped)"  # its option id in the drawn rows ("_" added while an option has it)
GROUPED_NOTE = {
    "sv": "{label}: {k} alternativ med färre än {below} svarande vardera ({count} svarande sammanlagt).",
    "en": "{label}: {k} options with fewer than {below} respondents each ({count} respondents together).",
}


def groups_options(table: pd.DataFrame, question: Question, grouping: Grouping) -> bool:
    """Whether :func:`display_rows` sorts and groups this question's options: single choice, not an
    ordered scale, more than ``max_bars`` options, someone in the base."""
    return (question.kind == "single" and not question.is_scale and len(table) > grouping.max_bars
            and int(question_facts(table)["n"]) > 0)


def grouping_threshold(counts: list[int], grouping: Grouping) -> int:
    """The smallest threshold from ``below_count`` up that leaves at most ``max_bars - 1`` options."""
    kept = grouping.max_bars - 1
    for threshold in sorted({grouping.below_count} | {c + 1 for c in counts if c + 1 > grouping.below_count}):
        if sum(c >= threshold for c in counts) <= kept:
            return threshold
    raise AssertionError("unreachable: above the largest count no option is left")


def display_rows(table: pd.DataFrame, question: Question, lang: str,
                 grouping: Grouping | None = None) -> tuple[pd.DataFrame, str | None]:
    """The rows of one question as the figure draws them, top to bottom, and the caption's
    sentence on the grouped bar (None if there is none).

    Codebook order, unless :func:`groups_options`: then the options kept are sorted by count
    (hence by share, the base being one), largest first, ties in the alphabetical order of
    ``lang`` (:func:`.collation.collation_key`), and the grouped bar comes last: option
    :data:`GROUPED_OPTION`, labels :data:`GROUPED_LABEL`, its count the sum of the grouped counts,
    its interval :func:`~netclean_survey.estimate.intervals.proportion_interval` by the rows'
    ``ci_method`` at their ``conf_level`` (as the estimates'), rounded once like them
    (:func:`~netclean_survey.estimate.shares.published_estimates`); no simultaneous interval."""
    grouping = Grouping() if grouping is None else grouping
    table = table.reset_index(drop=True)
    if not groups_options(table, question, grouping):
        return table, None
    facts = question_facts(table)
    counts = [int(c) for c in table["count"]]
    threshold = grouping_threshold(counts, grouping)
    small = [i for i, c in enumerate(counts) if c < threshold]
    kept = sorted((i for i, c in enumerate(counts) if c >= threshold),
                  key=lambda i: (-counts[i], collation_key(str(table.at[i, f"label_{lang}"]), lang)))
    assert len(small) >= 2  # more than max_bars options, at most max_bars - 1 kept

    count = sum(counts[i] for i in small)
    low, high = proportion_interval(count, facts["n"], method=facts["ci_method"], conf_level=facts["conf_level"])
    grouped = table.loc[[0]].copy()
    taken = {lg: {str(x).casefold() for x in table.loc[kept, f"label_{lg}"]} for lg in GROUPED_LABEL}
    for lg, (label, alternative) in GROUPED_LABEL.items():
        grouped[f"label_{lg}"] = alternative if label.casefold() in taken[lg] else label
    option = GROUPED_OPTION
    while option in set(table["option"].astype(str)):
        option += "_"
    grouped = grouped.assign(option=option, count=count, share=count / facts["n"], ci_low=low, ci_high=high,
                             sim_ci_low=np.nan, sim_ci_high=np.nan, share_of_mentions=np.nan)
    grouped = grouped.astype({c: table[c].dtype for c in table.columns})
    rows = pd.concat([table.loc[kept], published_estimates(grouped)], ignore_index=True)
    sentence = GROUPED_NOTE[lang].format(label=grouped[f"label_{lang}"].iloc[0], k=len(small), below=threshold,
                                         count=count)
    return rows, sentence


def plot_question(
    table: pd.DataFrame,
    question: Question,
    lang: str,
    path_png: str | Path,
    path_svg: str | Path,
    note: str | None,
    grouping: Grouping | None = None,
) -> Figure:
    """Horizontal bars of each option's share (codebook order top to bottom, or sorted and grouped:
    :func:`display_rows` by ``grouping``, default :class:`Grouping`) with interval whiskers and the
    share printed on a white box right of each, the question as title and a caption (wave, n and
    base, non-response, interval method and level, "tick all that apply" for multi questions, what
    the grouped bar holds, the note) under the plot. Returns the figure drawn (saved already)."""
    check_lang(lang)
    facts = question_facts(table)
    if facts["question"] != question.id:
        raise ValueError(f"rows of {facts['question']!r} given with question {question.id!r}")
    t = TEXTS[lang]
    table, grouped_sentence = display_rows(table, question, lang, grouping)
    data = _plain_shares(table)
    labels = table[f"label_{lang}"].astype(str).tolist()
    k = len(data)

    title_lines = wrap_text(question.text[lang], WIDTH - 0.3, TITLE_SIZE, 0.62)
    paragraphs = [" ".join([t["wave"].format(wave=facts["wave"]),
                            n_phrase(facts, lang, question.base.get(lang)),
                            _interval_sentence([facts], lang)]
                           + ([t["multi"]] if facts["kind"] == "multi" else [])),
                  grouped_sentence or "",
                  note or ""]
    caption = caption_lines(paragraphs, WIDTH - 0.3)
    height = (len(title_lines) * TITLE_SIZE * 1.25 / 72 + 0.25  # title
              + max(1.0, 0.34 * k) + 0.6  # bars, x axis and its label
              + caption_height(caption))  # caption band
    height = round(height, 2)

    with figure_rc():
        import seaborn as sns

        fig = new_figure(WIDTH, height)
        ax = fig.add_subplot()
        sns.barplot(data=data, x="pct", y="option", order=data["option"].tolist(), orient="y",
                    color=COLORS[0], errorbar=None, width=0.7, ax=ax, zorder=2)
        _whiskers(ax, _bar_centres(ax, 0), data)
        ax.set_yticks(range(k), labels=["\n".join(wrap_text(lb, 2.9, FONT_SIZE)) for lb in labels])
        for y, row, count, n in zip(_bar_centres(ax, 0), data.itertuples(), table["count"], table["n"]):
            right = row.pct if row.missing or pd.isna(row.high) else max(row.pct, row.high)
            ax.text(right + 1.2, y, format_share(count, n, lang), va="center", ha="left", fontsize=FONT_SIZE - 1,
                    color="#333333", clip_on=False, zorder=VALUE_LABEL_ZORDER, bbox=VALUE_LABEL_BOX)
        percent_axis(ax, lang, k)
        fig.suptitle("\n".join(title_lines), x=0.12 / WIDTH, ha="left", fontsize=TITLE_SIZE,
                     fontweight="bold")
        layout_with_caption(fig, caption)
        save_figure(fig, path_png, path_svg, question.text[lang], " ".join(p for p in paragraphs if p), lang)
    return fig


AGE_OPTIONS = ("age_0_4", "age_5_7", "age_8_10", "age_11_13", "age_14_16", "age_17")


def plot_grouped_ages(
    seen_grooming: pd.DataFrame,
    seen_sextortion: pd.DataFrame,
    common_grooming: pd.DataFrame,
    common_sextortion: pd.DataFrame,
    lang: str,
    path_png: str | Path,
    path_svg: str | Path,
    note: str | None,
) -> None:
    """Two panels (ages seen, most common ages), each grouped horizontal bars of grooming
    against sexual extortion per age bracket, with whiskers; n per group in the caption."""
    check_lang(lang)
    t = TEXTS[lang]
    groups = (t["grooming"], t["sextortion"])
    panels = ((t["ages_seen"], seen_grooming, seen_sextortion),
              (t["ages_common"], common_grooming, common_sextortion))

    order: list[str] = []
    label_of: dict[str, str] = {}
    for _, *tables in panels:
        for table in tables:
            for oid, label in zip(table["option"].astype(str), table[f"label_{lang}"].astype(str)):
                if oid not in label_of:
                    order.append(oid)
                    label_of[oid] = label
    known = [o for o in AGE_OPTIONS if o in label_of]
    order = known + [o for o in order if o not in AGE_OPTIONS]  # age order, anything else after

    all_facts = []
    n_sentences, asked = [], []
    for panel, grooming, sextortion in panels:
        fg, fs = question_facts(grooming), question_facts(sextortion)
        all_facts += [fg, fs]
        n_sentences.append(t["ages_n"].format(panel=panel,
                                              g=fg["n"], s=fs["n"]))
        for group, f in zip(groups, (fg, fs)):
            if f["nonresponse"]:
                asked.append(t["ages_asked"].format(group=group, panel=panel.lower(),
                                                    n_asked=f["n_asked"], nonresponse=f["nonresponse"]))
    waves = list(dict.fromkeys(str(f["wave"]) for f in all_facts))
    first = " ".join([t["wave"].format(wave=", ".join(waves)), ". ".join(n_sentences) + ".",
                      *([capitalise("; ".join(asked)) + "."] if asked else []),
                      _interval_sentence(all_facts, lang), t["multi"]])
    paragraphs = [first, note or ""]
    caption = caption_lines(paragraphs, WIDTH_AGES - 0.3)
    title_lines = wrap_text(t["ages_title"], WIDTH_AGES - 0.3, TITLE_SIZE, 0.62)
    k = len(order)
    height = round(len(title_lines) * TITLE_SIZE * 1.25 / 72 + 0.25 + 0.35  # title, legend
                   + max(1.5, 0.5 * k) + 0.75 + caption_height(caption), 2)

    with figure_rc():
        import seaborn as sns

        fig = new_figure(WIDTH_AGES, height)
        axes = fig.subplots(1, 2, sharey=True, sharex=True)
        for ax, (panel, grooming, sextortion) in zip(axes, panels):
            parts = []
            for group, table in zip(groups, (grooming, sextortion)):
                d = _plain_shares(table).set_index("option").reindex(order)
                d["missing"] = d["missing"].fillna(True).astype(bool)
                d["pct"] = d["pct"].fillna(0.0)
                d["group"] = group
                parts.append(d.reset_index())
            data = pd.concat(parts, ignore_index=True)
            sns.barplot(data=data, x="pct", y="option", hue="group", order=order, hue_order=list(groups),
                        orient="y", palette=list(COLORS), errorbar=None, width=0.8, ax=ax, zorder=2,
                        legend=ax is axes[0])
            for j, part in enumerate(parts):
                _whiskers(ax, _bar_centres(ax, j), part)
            ax.set_yticks(range(k), labels=[label_of[o] for o in order])
            ax.set_title(panel, loc="left", fontsize=FONT_SIZE + 1)
            percent_axis(ax, lang, k)
        handles, legend_labels = axes[0].get_legend_handles_labels()
        axes[0].get_legend().remove()
        # top right, on the title's line (a figure legend "outside" would ignore the caption band)
        fig.legend(handles, legend_labels, loc="upper right", ncols=2, frameon=False,
                   bbox_to_anchor=(1 - 0.05 / WIDTH_AGES, 1 - 0.02 / height), borderaxespad=0)
        fig.suptitle("\n".join(title_lines), x=0.12 / WIDTH_AGES, ha="left", fontsize=TITLE_SIZE,
                     fontweight="bold")
        layout_with_caption(fig, caption)
        save_figure(fig, path_png, path_svg, t["ages_title"], " ".join(p for p in paragraphs if p), lang)


def write_figures(estimates: pd.DataFrame, wave: Wave, out_dir: str | Path, languages: list[str],
                  settings: Mapping | None = None, processes: int = 1) -> list[Path]:
    """``{question}.{lang}.png`` and ``.svg`` per question, and the grouped age chart, in ``out_dir``.
    ``settings``: config ``figures`` (its ``group_small_options``: :meth:`Grouping.from_config`);
    None or a key left out: the defaults. With ``processes`` > 1 the charts are drawn in that many
    forked processes (the job's threads): each chart is drawn on its own, so the files are the same."""
    out_dir = Path(out_dir)
    estimates = published_estimates(estimates)
    grouping = Grouping.from_config((settings or {}).get("group_small_options"))
    charts, written = [], []  # (function, arguments) of each chart; its PNG and SVG
    for lang in languages:
        for question in published_questions(wave):
            png, svg = out_dir / f"{question.id}.{lang}.png", out_dir / f"{question.id}.{lang}.svg"
            charts.append((plot_question, (question_rows(estimates, question.id), question, lang, png, svg,
                                           note(wave, lang), grouping)))
            written += [png, svg]
        if has_age_figure(wave):
            png, svg = out_dir / f"{AGES_FIGURE}.{lang}.png", out_dir / f"{AGES_FIGURE}.{lang}.svg"
            tables = [question_rows(estimates, q) for q in AGE_QUESTIONS]
            charts.append((plot_grouped_ages, (*tables, lang, png, svg, note(wave, lang))))
            written += [png, svg]
    draw_charts(charts, processes)
    return written


def draw_charts(charts: list[tuple[Callable, tuple]], processes: int = 1) -> None:
    """Draw each chart, ``function(*arguments)`` (each writes its own PNG and SVG), in this process or,
    with ``processes`` > 1 and more than one chart, in that many forked processes (the job's
    threads). A chart is drawn on its own from its arguments alone, so where it is drawn changes no
    byte of its files; a chart that fails raises here."""
    context = _fork_context() if processes > 1 and len(charts) > 1 else None
    if context is None:
        for function, arguments in charts:
            function(*arguments)
        return
    from concurrent.futures import ProcessPoolExecutor

    charts[0][0](*charts[0][1])  # the first in this process: the workers inherit what it imported
    rest = charts[1:]
    with ProcessPoolExecutor(max_workers=min(processes, len(rest)), mp_context=context) as pool:
        list(pool.map(_draw_chart, rest))  # list(): a chart that fails raises here


def _draw_chart(chart: tuple) -> None:
    """One chart, in a worker process (the figure itself stays there: only its files matter)."""
    function, arguments = chart
    function(*arguments)


def _fork_context():
    """A fork start method where the system has one (the children inherit the imported libraries:
    no second import of seaborn per process); None (draw in this process) otherwise."""
    import multiprocessing

    return multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
