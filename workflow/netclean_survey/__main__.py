"""The package's commands: ``python -m netclean_survey draft-wave EXPORT --wave NAME [--like WAVE_FILE]
[--survey-definition QSF]`` and ``python -m netclean_survey release-changes OLD NEW [--release NAME]
[--out DIR] [--changelog]``.

draft-wave writes ``config/waves/NAME.yaml`` (every placement commented) and adds a drafted entry to
the questionnaire for each question it lacks, then prints what it placed, guessed and could not
place (:mod:`.clean.draft`).

release-changes compares two versions of a release cell by cell (OLD and NEW: a git revision or tag,
or ``working`` for the working tree; NAME defaults to ``release:`` in config/config.yaml) and writes
changes.csv, CHANGES.sv.md and CHANGES.en.md into DIR (default ``results/changes/NAME/OLD..NEW/``);
``--changelog`` also puts NEW's entry first in ``results/changelog/NAME.{sv,en}.md``
(:mod:`.release.changes`).

A problem is one paragraph on stderr and exit status 2, never a traceback."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from .clean.draft import add_to_questionnaire, draft_wave
from .core.codebook import load_codebook, load_wave
from .core.errors import ConfigError, ExportError, VerifyError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m netclean_survey")
    commands = parser.add_subparsers(dest="command", required=True)
    draft = commands.add_parser("draft-wave", help="draft a wave file from an export")
    draft.add_argument("export", type=Path, help="the raw export (CSV, .xlsx or Qualtrics .sav)")
    draft.add_argument("--wave", required=True, help="the new wave's name (letters, digits, _ or -)")
    draft.add_argument("--like", type=Path, help="an earlier wave's file whose mapping the export shares")
    draft.add_argument("--survey-definition", type=Path, help="Qualtrics: the survey's .qsf (choice texts and codes)")
    draft.add_argument("--questionnaire", type=Path, default=Path("config/questionnaire.yaml"))
    draft.add_argument("--out", type=Path, help="where to write the wave file (default config/waves/NAME.yaml)")
    draft.add_argument("--force", action="store_true", help="overwrite an existing wave file")
    changes = commands.add_parser("release-changes", help="what changed between two versions of a release")
    changes.add_argument("old", help="the earlier version: a git revision or tag, or `working`")
    changes.add_argument("new", help="the later version: a git revision or tag, or `working`")
    changes.add_argument("--release", help="the release's name (default: release: in config/config.yaml)")
    changes.add_argument("--out", type=Path, help="where to write (default results/changes/NAME/OLD..NEW/)")
    changes.add_argument("--changelog", action="store_true",
                         help="also put NEW's entry first in results/changelog/NAME.{sv,en}.md")
    args = parser.parse_args(argv)
    if args.command == "release-changes":
        return release_changes_command(args)
    out = args.out or Path("config/waves") / f"{args.wave}.yaml"
    try:
        if out.exists() and not args.force:
            raise ConfigError(f"{out} exists: draft-wave does not overwrite a wave file; name another --out or pass --force")
        codebook = load_codebook(args.questionnaire)
        like = load_wave(args.like, codebook) if args.like else None
        result = draft_wave(args.export, args.wave, codebook, like, args.survey_definition)
    except (ConfigError, ExportError, ValueError, OSError) as error:
        print(f"draft-wave: {error}", file=sys.stderr)
        return 2
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(result.wave_yaml, encoding="utf-8")
    if result.questionnaire_yaml:
        text = args.questionnaire.read_text(encoding="utf-8")
        args.questionnaire.write_text(add_to_questionnaire(text, result.questionnaire_yaml), encoding="utf-8")
    print(f"wrote {out}" + (f" and drafted questions into {args.questionnaire}" if result.questionnaire_yaml else ""))
    for line in result.report:
        print(f"  {line}")
    print(f"Next: check the lines marked CHECK in {out}, name the wave in config/config.yaml, then run "
          "`.venv/bin/snakemake --cores all --dry-run`.")
    return 0


def release_changes_command(args: argparse.Namespace, root: Path = Path(".")) -> int:
    """release-changes: compare, write the change log (and the changelog), print one line."""
    from .release.changes import LANGS, changelog_entry, default_out_dir, release_changes, write_changelog, write_changes

    try:
        release = args.release or _configured_release(root)
        found = release_changes(root, args.old, args.new, release)
        out = args.out or default_out_dir(root, release, args.old, args.new)
        if args.changelog:
            for lang in LANGS:
                changelog_entry(found, lang)  # refuses a NEW without a version before anything is written
        written = write_changes(found, out)
        if args.changelog:
            written += write_changelog(found, root / "results" / "changelog")
    except (ConfigError, VerifyError, OSError, subprocess.SubprocessError) as error:
        print(f"release-changes: {' '.join(str(error).split())}", file=sys.stderr)
        return 2
    counts = found.counts
    what = ("no differences" if not found.any else
            f"{counts['tables']} table(s) with {counts['cells']} changed cell(s) ({counts['rows_added']} row(s) added, "
            f"{counts['rows_removed']} removed), {counts['files_added']} file(s) added, {counts['files_removed']} "
            f"removed, {counts['files_changed']} changed, {counts['inputs']} input(s) changed")
    print(f"{release} {args.old} -> {args.new}: {what}")
    for path in written:
        print(f"  wrote {path}")
    return 0


def _configured_release(root: Path) -> str:
    from .core.yamlfile import read_yaml

    config = root / "config" / "config.yaml"
    if not config.is_file():
        raise ConfigError(f"there is no {config} to take the release's name from: name it with --release")
    release = (read_yaml(config) or {}).get("release")
    if not isinstance(release, str) or not release:
        raise ConfigError(f"{config} names no release (key release:): name it with --release")
    return release


def run() -> int:
    """main, quiet when its reader stops early (`... | head`): no BrokenPipeError traceback."""
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's documented recipe
        return 1
    return status


if __name__ == "__main__":
    sys.exit(run())
