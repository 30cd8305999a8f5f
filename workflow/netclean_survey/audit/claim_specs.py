"""The claims in their structured form (``config/claims/*.yaml``): one kind each, checked when
loaded, and the settings they are evaluated with."""

from __future__ import annotations

from .lexicon import LANGS

from ..core.errors import ClaimError
from .lexicon import printed_interval

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from ..core.yamlfile import read_yaml
from ..estimate.intervals import check_conf_level, check_interval_method


#: Claim kinds and the fields each needs (besides ``id``, ``survey_claim``, ``words``, ``kind``).
CLAIM_KINDS = ("share", "order", "mode", "top", "equal", "present", "change", "shift")


#: Settings of :func:`evaluate_claims` and their defaults. ``equivalence_margin`` is in
#: percentage points; ``alpha`` is the level of the tests (Holm-adjusted where several are needed).
DEFAULT_SETTINGS = {
    "conf_level": 0.95,
    "alpha": 0.05,
    "equivalence_margin": 10.0,
    "interval_method": "wilson",
}


_COMMON_FIELDS = {"id", "survey_claim", "words", "kind", "remark"}


_KIND_FIELDS = {
    "share": ({"wave", "question"}, {"option", "options", "other_than", "phrase", "printed", "scope", "harmonise"}),
    "order": ({"wave", "question", "higher", "lower"}, {"harmonise"}),
    "mode": ({"wave", "question", "option"}, {"harmonise"}),
    "top": ({"wave", "question", "options"}, {"harmonise"}),
    "equal": ({"wave", "question", "options"}, {"harmonise"}),
    "present": ({"wave"}, {"question", "questions"}),
    "shift": ({"wave", "first", "second", "direction"}, set()),
    "change": ({"a", "b", "direction"}, {"waves", "harmonise", "contrast", "option"}),
}


def _text_list(value, where: str) -> list[str]:
    """An option id or a list of option ids as a list of strings; ClaimError otherwise."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(v, str) and v for v in items):
        raise ClaimError(f"{where}: expected an option id or a non-empty list of option ids, got {value!r}")
    if len(set(items)) != len(items):
        raise ClaimError(f"{where}: repeated option ids in {items}")
    return list(items)


def _wave_name(value, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ClaimError(f'{where}: a wave is a name such as "2018", got {value!r}')
    return str(value)


def check_claim(claim: Mapping, where: str = "claim") -> dict:
    """One claim, validated, as a plain dict with its lists normalised (see ``config/claims``).

    ClaimError naming the claim and the field for a missing or unknown field, a kind not in
    :data:`CLAIM_KINDS`, words not given in both languages, or a field of the wrong shape.
    """
    if not isinstance(claim, Mapping):
        raise ClaimError(f"{where}: a claim is a mapping, got {claim!r}")
    cid = claim.get("id")
    if not isinstance(cid, str) or not cid:
        raise ClaimError(f'{where}: a claim needs an id (text such as "2018-06")')
    where = f"{where} ({cid})"
    kind = claim.get("kind")
    if kind not in CLAIM_KINDS:
        raise ClaimError(f"{where}: kind must be one of {CLAIM_KINDS}, got {kind!r}")
    required, optional = _KIND_FIELDS[kind]
    allowed = _COMMON_FIELDS | required | optional
    missing = sorted((required | {"survey_claim", "words"}) - set(claim))
    if missing:
        raise ClaimError(f"{where}: a {kind} claim needs {missing}")
    unknown = sorted(set(claim) - allowed)
    if unknown:
        raise ClaimError(f"{where}: unknown fields {unknown} for a {kind} claim; allowed: {sorted(allowed)}")
    number = claim["survey_claim"]
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise ClaimError(
            f"{where}: survey_claim is the claim's number in the survey reference (1, 2, ...), got {number!r}"
        )
    words = claim["words"]
    if (
        not isinstance(words, Mapping)
        or set(words) != set(LANGS)
        or not all(isinstance(words[k], str) and words[k].strip() for k in LANGS)
    ):
        raise ClaimError(f"{where}: words must give the report's words in sv and en, got {words!r}")
    if "remark" in claim and not isinstance(claim["remark"], str):
        raise ClaimError(f"{where}: remark must be text")

    out = dict(claim)
    out["words"] = {k: str(words[k]).strip() for k in LANGS}
    if "harmonise" in out and not isinstance(out["harmonise"], bool):
        raise ClaimError(f"{where}: harmonise must be true or false")
    if "wave" in out:
        out["wave"] = _wave_name(out["wave"], f"{where}: wave")
    for key in ("question", "first", "second"):
        if key in out and (not isinstance(out[key], str) or not out[key]):
            raise ClaimError(f"{where}: {key} must be a question id")

    if kind == "share":
        given = [k for k in ("option", "options", "other_than") if k in out]
        if len(given) != 1:
            raise ClaimError(f"{where}: a share claim needs exactly one of option, options, other_than; got {given}")
        for key in given:
            out[key] = _text_list(out[key], f"{where}: {key}")
        if ("phrase" in out) == ("printed" in out):
            raise ClaimError(f'{where}: a share claim needs exactly one of phrase ({{sv, en}}) and printed ("54.4")')
        if "phrase" in out:
            phrase = out["phrase"]
            if (
                not isinstance(phrase, Mapping)
                or set(phrase) != set(LANGS)
                or not all(isinstance(phrase[k], str) for k in LANGS)
            ):
                raise ClaimError(f"{where}: phrase must give the quantity words in sv and en, got {phrase!r}")
        else:
            printed_interval(out["printed"])  # ClaimError if not a quoted plain number
        scope = out.setdefault("scope", "population")
        if scope not in ("population", "sample"):
            raise ClaimError(f"{where}: scope must be population (default) or sample, got {scope!r}")
    elif kind == "order":
        out["higher"] = _text_list(out["higher"], f"{where}: higher")
        out["lower"] = _text_list(out["lower"], f"{where}: lower")
        overlap = sorted(set(out["higher"]) & set(out["lower"]))
        if overlap:
            raise ClaimError(f"{where}: options {overlap} are both higher and lower")
    elif kind == "mode":
        if not isinstance(out["option"], str):
            raise ClaimError(f"{where}: option must be one option id")
    elif kind in ("top", "equal"):
        out["options"] = _text_list(out["options"], f"{where}: options")
        if kind == "equal" and len(out["options"]) < 2:
            raise ClaimError(f"{where}: options equally common needs at least two options")
    elif kind == "present":
        given = [k for k in ("question", "questions") if k in out]
        if len(given) != 1:
            raise ClaimError(f"{where}: a present claim needs exactly one of question, questions")
        out["questions"] = _text_list(out.pop(given[0]), f"{where}: {given[0]}")
    elif kind == "shift":
        if out["direction"] not in ("higher", "lower"):
            raise ClaimError(
                f"{where}: direction must be higher or lower (second against first), got {out['direction']!r}"
            )
    elif kind == "change":
        for key in ("a", "b"):
            spec = out[key]
            if not isinstance(spec, Mapping) or set(spec) != {"wave", "question"}:
                raise ClaimError(f"{where}: {key} must be {{wave, question}}, got {spec!r}")
            out[key] = {"wave": _wave_name(spec["wave"], f"{where}: {key}.wave"), "question": str(spec["question"])}
        if ("contrast" in out) == ("option" in out):
            raise ClaimError(f"{where}: a change claim needs exactly one of contrast (option: weight) and option")
        if "contrast" in out:
            contrast = out["contrast"]
            if (
                not isinstance(contrast, Mapping)
                or not contrast
                or not all(
                    isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
                    for v in contrast.values()
                )
            ):
                raise ClaimError(f"{where}: contrast must map option ids to finite weights, got {contrast!r}")
            out["contrast"] = {str(k): float(v) for k, v in contrast.items()}
        elif not isinstance(out["option"], str):
            raise ClaimError(f"{where}: option must be one option id")
        if out["direction"] not in ("increase", "decrease", "differs"):
            raise ClaimError(
                f"{where}: direction must be increase, decrease or differs (b against a), got {out['direction']!r}"
            )
        waves = [out["a"]["wave"], out["b"]["wave"]]
        if "waves" in out and [_wave_name(w, f"{where}: waves") for w in out["waves"]] != waves:
            raise ClaimError(f"{where}: waves {out['waves']} must be [a.wave, b.wave] = {waves}")
        out["waves"] = waves
    return out


def check_claims(claims: Sequence[Mapping], source: str = "claims") -> list[dict]:
    """Every claim validated by :func:`check_claim`; ClaimError for a repeated id."""
    if isinstance(claims, Mapping) or isinstance(claims, str) or not isinstance(claims, Sequence):
        raise ClaimError(f"{source}: expected a list of claims")
    checked = [check_claim(c, f"{source}: claims[{i}]") for i, c in enumerate(claims)]
    ids = [c["id"] for c in checked]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ClaimError(f"{source}: repeated claim ids {repeated}")
    return checked


def load_claims(*paths: str | Path) -> list[dict]:
    """The claims of one or more files (``claims:`` a list, read with ``yaml.safe_load``), in order.

    ClaimError naming the file for a file without a ``claims`` list, an invalid claim, or an id
    repeated within or across the files.
    """
    claims: list[dict] = []
    for path in paths:
        data = read_yaml(path)
        if not isinstance(data.get("claims"), list):
            raise ClaimError(f"{path}: expected a list under 'claims'")
        claims += check_claims(data["claims"], str(path))
    return check_claims(claims, ", ".join(str(p) for p in paths))


def claim_settings(settings: Mapping | None = None) -> dict:
    """:data:`DEFAULT_SETTINGS` updated with ``settings``, validated.

    ValueError for an unknown key, a conf_level or alpha outside (0, 1), a margin that is not a
    positive number (percentage points, at most 100), or an unknown interval method.
    """
    merged = dict(DEFAULT_SETTINGS)
    if settings:
        unknown = sorted(set(settings) - set(DEFAULT_SETTINGS))
        if unknown:
            raise ValueError(f"unknown claim settings {unknown}; known: {sorted(DEFAULT_SETTINGS)}")
        merged.update(settings)
    merged["conf_level"] = check_conf_level(merged["conf_level"])
    try:
        alpha = float(merged["alpha"])
        margin = float(merged["equivalence_margin"])
    except (TypeError, ValueError):
        raise ValueError(f"alpha and equivalence_margin must be numbers, got {merged}") from None
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie strictly between 0 and 1, got {merged['alpha']!r}")
    if not 0 < margin <= 100:
        raise ValueError(
            f"equivalence_margin must be a positive number of percentage points, got {merged['equivalence_margin']!r}"
        )
    check_interval_method(merged["interval_method"])
    merged.update(alpha=alpha, equivalence_margin=margin)
    return merged
