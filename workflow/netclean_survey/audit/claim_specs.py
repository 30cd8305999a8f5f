"""The claims in their structured form (``config/claims/*.yaml``): one kind each, checked when
loaded against ``workflow/schemas/claims.schema.yaml`` and then for what a schema cannot say, and
the settings they are evaluated with."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..core.errors import ClaimError
from ..core.schema import check_against_schema, validator
from ..core.yamlfile import read_yaml
from ..estimate.intervals import check_conf_level, check_interval_method
from .lexicon import LANGS, printed_interval

#: Claim kinds (their fields: ``claims.schema.yaml``, and the header of ``config/claims/2018.yaml``).
CLAIM_KINDS = ("share", "order", "mode", "top", "equal", "present", "change", "shift")


#: Settings of :func:`evaluate_claims` and their defaults. ``equivalence_margin`` is in
#: percentage points; ``alpha`` is the level of the tests (Holm-adjusted where several are needed).
DEFAULT_SETTINGS = {
    "conf_level": 0.95,
    "alpha": 0.05,
    "equivalence_margin": 10.0,
    "interval_method": "wilson",
}


def _ids(value) -> list[str]:
    """An id or a list of ids (the schema allows both) as a list."""
    return [value] if isinstance(value, str) else list(value)


def _plain(claims):
    """Lists and mappings as the schema's validator knows them (list, dict), whatever the caller's
    sequence and mapping types; anything else as it is, for the schema to refuse."""
    if isinstance(claims, Sequence) and not isinstance(claims, (str, bytes)):
        return [dict(c) if isinstance(c, Mapping) else c for c in claims]
    return claims


def check_claim(claim: Mapping, source: str = "claim", index: int | None = None) -> dict:
    """One claim, validated, as a plain dict with its lists normalised and its ``remark`` (if any) as
    ``{sv, en}`` (a plain-text remark in both; see ``config/claims``).

    ``source`` names the file and ``index`` the claim's place in its ``claims`` list, for the
    messages (``config/claims/2018.yaml: claims[3].kind: ...``). ClaimError, one paragraph naming
    the key, for what ``claims.schema.yaml`` refuses (a missing or unknown field, a kind not in
    :data:`CLAIM_KINDS`, words not in both languages, a field of the wrong type) and for a printed
    value over 100, options both higher and lower, a contrast weight that is not finite, or waves
    that are not those of a change claim's sides.
    """
    at = ("claims", index) if index is not None else ()
    check_against_schema(dict(claim) if isinstance(claim, Mapping) else claim, validator("claims", "claim"),
                         source, error=ClaimError, at=at)
    return _normalised(claim, f"{source}: claims[{index}]." if index is not None else f"{source}: ")


def _normalised(claim: Mapping, where: str) -> dict:
    """A claim that passed the schema as a plain dict, its id lists as lists, after the checks the
    schema cannot make; ``where`` prefixes a key of the claim in a message."""
    out = dict(claim)
    out["words"] = {k: claim["words"][k].strip() for k in LANGS}
    if "remark" in out:  # {sv, en}; a plain text is the remark of both languages' notes
        remark = out["remark"]
        out["remark"] = {k: remark for k in LANGS} if isinstance(remark, str) else {k: remark[k] for k in LANGS}
    kind = out["kind"]
    if kind == "share":
        for key in ("option", "options", "other_than"):
            if key in out:
                out[key] = _ids(out[key])
        if "printed" in out:
            try:
                printed_interval(out["printed"])
            except ClaimError as error:
                raise ClaimError(f"{where}printed: {error}") from None
        out.setdefault("scope", "population")
    elif kind == "order":
        out["higher"], out["lower"] = _ids(out["higher"]), _ids(out["lower"])
        overlap = sorted(set(out["higher"]) & set(out["lower"]))
        if overlap:
            raise ClaimError(f"{where}lower: options {overlap} are both higher and lower; name each on one side")
    elif kind in ("top", "equal"):
        out["options"] = _ids(out["options"])
    elif kind == "present":
        out["questions"] = _ids(out.pop("question") if "question" in out else out["questions"])
    elif kind == "change":
        out["a"], out["b"] = dict(out["a"]), dict(out["b"])
        if "contrast" in out:
            for option, weight in out["contrast"].items():
                if not math.isfinite(weight):
                    raise ClaimError(f"{where}contrast.{option}: {weight!r} is not a finite weight; give a number")
            out["contrast"] = {k: float(v) for k, v in out["contrast"].items()}
        waves = [out["a"]["wave"], out["b"]["wave"]]
        if "waves" in out and list(out["waves"]) != waves:
            raise ClaimError(f"{where}waves: {list(out['waves'])} must be [a.wave, b.wave] = {waves}, or left out")
        out["waves"] = waves
    return out


def check_claims(claims: Sequence[Mapping], source: str = "claims") -> list[dict]:
    """Every claim validated as :func:`check_claim` validates one, the first problem in list order;
    ClaimError for an id given twice."""
    data = {"claims": _plain(claims)}
    check_against_schema(data, "claims", source, error=ClaimError)
    checked = [_normalised(c, f"{source}: claims[{i}].") for i, c in enumerate(data["claims"])]
    _refuse_repeated_ids(checked, source)
    return checked


def _refuse_repeated_ids(claims: list[dict], source: str) -> None:
    ids = [c["id"] for c in claims]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ClaimError(f"{source}: repeated claim ids {repeated}; each claim has its own id")


def load_claims(*paths: str | Path) -> list[dict]:
    """The claims of one or more files (``claims:`` a list, read with ``yaml.safe_load``), in order.

    ClaimError naming the file and the key path for a file that is not ``claims.schema.yaml``'s
    form or an invalid claim, and naming the files for an id repeated within or across them.
    """
    claims: list[dict] = []
    for path in paths:
        data = read_yaml(path)
        check_against_schema(data, "claims", str(path), error=ClaimError)
        checked = [_normalised(c, f"{path}: claims[{i}].") for i, c in enumerate(data["claims"])]
        _refuse_repeated_ids(checked, str(path))
        claims += checked
    _refuse_repeated_ids(claims, ", ".join(str(p) for p in paths))
    return claims


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
