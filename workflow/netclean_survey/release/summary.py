"""The closing summary of a run (the Snakefile's ``onsuccess``): what the published release holds,
counted per part and kind from its manifest, how the claims audit came out, where the logs are and
how to read the report. Reads JSON and CSV only (the Snakefile imports no pandas)."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

# What a file is, by its suffix, in the words of the summary (in this order).
KINDS = {".csv": "CSV tables", ".md": "Markdown texts", ".xlsx": "workbooks", ".png": "figures (PNG)",
         ".svg": "figures (SVG)"}


def release_parts(paths: list[str]) -> dict[str, Counter]:
    """Files per part of the release (a wave, ``compare``, ``audit``) and kind; paths relative to
    the release folder. The manifest itself is not counted."""
    parts: dict[str, Counter] = {}
    for path in paths:
        part, _, rest = path.partition("/")
        if not rest:
            continue
        kind = KINDS.get(Path(path).suffix, "other files")
        parts.setdefault(part, Counter())[kind] += 1
    return parts


def verdict_counts(claims_summary: Path) -> Counter:
    """Survey claims per verdict of the claims audit (``audit/claims_summary.csv``)."""
    if not claims_summary.is_file():
        return Counter()
    with claims_summary.open(encoding="utf-8", newline="") as handle:
        return Counter(row["verdict"] for row in csv.DictReader(handle))


def release_summary(release_dir: str, log_dir: str, synthetic: bool, promoted_now: bool) -> str:
    """A few lines that end the run: the release's parts and files, the claims' verdicts, where the
    logs are, and the command to read the report."""
    folder = Path(release_dir)
    manifest = folder / "MANIFEST.json"
    if not manifest.is_file():
        return f"No release in {release_dir}/ yet: the targets of this run stop before rule promote."
    records = json.loads(manifest.read_text("utf-8"))
    prefix = f"results/{records.get('release', folder.name)}/"  # the manifest's paths are the project's
    paths = [record["path"].removeprefix(prefix) for record in records["artifacts"]]
    head = (f"Release {release_dir}/ ({'published by this run' if promoted_now else 'as before: this run did not reach rule promote'}): "
            f"{len(paths)} files, each listed with its sha256 in MANIFEST.json"
            + ("; the raw exports it is made from are synthetic (README)." if synthetic else "."))
    parts = release_parts(paths)
    width = max(len(part) for part in parts) if parts else 0
    lines = [head]
    for part in sorted(parts, key=lambda p: (not p[:1].isdigit(), p)):  # waves first, then compare, audit
        counts = parts[part]
        kinds = [f"{counts[kind]} {kind}" for kind in [*KINDS.values(), "other files"] if counts[kind]]
        lines.append(f"  {part:<{width}}  {sum(counts.values()):>3} files: {', '.join(kinds)}")
    verdicts = verdict_counts(folder / "audit" / "claims_summary.csv")
    if verdicts:
        said = "; ".join(f"{n} {verdict}" for verdict, n in sorted(verdicts.items(), key=lambda item: (-item[1], item[0])))
        lines.append(f"Claims audit: {sum(verdicts.values())} claims of the report: {said} "
                     f"({release_dir}/audit/claims.en.md, claims.sv.md).")
    lines.append(f"Logs of every job: {log_dir}/. To read the release: make report, then open results/report.html "
                 "in a browser.")
    return "\n".join(lines)
