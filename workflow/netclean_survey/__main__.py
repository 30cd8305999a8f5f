"""The package's commands: ``python -m netclean_survey draft-wave EXPORT --wave NAME [--like WAVE_FILE]
[--survey-definition QSF]``.

draft-wave writes ``config/waves/NAME.yaml`` (every placement commented) and adds a drafted entry to
the questionnaire for each question it lacks, then prints what it placed, guessed and could not
place (:mod:`.clean.draft`). A problem is one paragraph on stderr and exit status 2, never a
traceback."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .clean.draft import add_to_questionnaire, draft_wave
from .core.codebook import load_codebook, load_wave
from .core.errors import ConfigError, ExportError


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
    args = parser.parse_args(argv)
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
