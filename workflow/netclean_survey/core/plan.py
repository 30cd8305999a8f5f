"""What a release contains: its comparisons, worked out from the config and the wave files.

Light on purpose (no statistics imports): the Snakefile reads it at parse time.
"""

from __future__ import annotations

from dataclasses import dataclass

from .codebook import Codebook, Wave

KINDS = ("between", "within", "paired_questions", "contrasts")


@dataclass(frozen=True)
class Comparison:
    """One configured comparison: its kind, name and the (wave, question) it reads."""

    kind: str
    name: str
    spec: dict
    group: str | None = None  # the comparisons of two consecutive waves: "{earlier}_vs_{later}"

    @property
    def job(self) -> str:
        """The job that makes it. The comparisons of two consecutive waves share one: a process per
        question and pair would make 20 similar waves several hundred jobs, each reading both waves."""
        return self.group or self.name

    @property
    def waves(self) -> list[str]:
        if self.kind in ("between", "contrasts"):
            return [str(self.spec["a"]["wave"]), str(self.spec["b"]["wave"])]
        return [str(self.spec["wave"])]

    @property
    def between_waves(self) -> bool:
        """Whether it compares two different waves (independent samples): the comparisons that have
        weighted tables when weights are on."""
        return self.kind in ("between", "contrasts") and self.waves[0] != self.waves[1]


def configured_comparisons(config: dict, waves: dict[str, Wave], codebook: Codebook) -> list[Comparison]:
    """Every comparison of the release: consecutive waves on each shared question, then those listed."""
    settings = config.get("compare") or {}
    found: list[Comparison] = []
    order = [str(w) for w in config["waves"]]
    if settings.get("consecutive_waves", True):
        for earlier, later in zip(order, order[1:]):
            shared = _comparable_questions(codebook, waves[earlier], waves[later])
            for qid in shared:
                spec = {"a": {"wave": earlier, "question": qid}, "b": {"wave": later, "question": qid}}
                found.append(Comparison("between", f"{qid}_{earlier}_vs_{later}", spec, f"{earlier}_vs_{later}"))
    for kind in KINDS:
        for spec in settings.get(kind) or []:
            found.append(Comparison(kind, spec["name"], spec))
    names = [c.name for c in found]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"config compare: comparison names must be unique; repeated: {repeated}")
    clashes = sorted({c.group for c in found if c.group} & set(names))
    if clashes:
        raise ValueError(f"config compare: {clashes} name both a comparison and the job of two consecutive waves")
    for comparison in found:
        missing = [w for w in comparison.waves if w not in waves]
        if missing:
            raise ValueError(f"config compare: {comparison.name} names waves {missing} not in `waves`")
    return found


def _comparable_questions(codebook: Codebook, a: Wave, b: Wave) -> list[str]:
    def ids(wave):
        asked = [wq.question.id for wq in wave.questions if wq.question.kind != "text"]
        return asked + [q.id for q in codebook.derived_for(wave)]

    later = ids(b)
    return [qid for qid in ids(a) if qid in later]


def last_two_waves_comparisons(comparisons: list[Comparison], waves: list[str]) -> list[Comparison]:
    """The comparisons between the release's last two waves (earlier first), which the plan of the
    next wave looks at: none when the release has one wave."""
    if len(waves) < 2:
        return []
    last_two = [str(waves[-2]), str(waves[-1])]
    return [c for c in comparisons if c.kind == "between" and c.waves == last_two]
