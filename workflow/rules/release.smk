# The release as a whole: its manifest, its promotion from the staging tree into results/{release}/,
# and the check that a rerun gives the same bytes as the release on record.


rule datapackage:
    """The release as a Frictionless Data Package: every published file with its bytes and sha256,
    every table's columns with types, units and descriptions in English and Swedish."""
    input:
        artifacts=published_data(),
        questionnaire=QUESTIONNAIRE,
    output:
        f"{STAGE}/{DATAPACKAGE_NAME}",
    log:
        f"logs/{RELEASE}/datapackage.log",
    benchmark:
        f"benchmarks/runs/{RELEASE}/datapackage.tsv"
    group:
        "release"
    conda:
        "../../environment.yml"
    params:
        code=code("datapackage"),
        release=RELEASE,
        version=VERSION,
        staged=lambda wildcards, output: str(Path(output[0]).parent),
        synthetic=SYNTHETIC,
    script:
        "../scripts/datapackage.py"


rule manifest:
    """Every staged artifact of the release with its sha256 and size, every input, the provenance."""
    input:
        artifacts=release_artifacts(),
        sources=release_sources(),
    output:
        f"{STAGE}/MANIFEST.json",
    log:
        f"logs/{RELEASE}/manifest.log",
    benchmark:
        f"benchmarks/runs/{RELEASE}/manifest.tsv"
    group:
        "release"
    conda:
        "../../environment.yml"
    params:
        release=RELEASE,
        version=VERSION,
        staged=lambda wildcards, output: str(Path(output[0]).parent),
        published=RELEASE_DIR,
    script:
        "../scripts/manifest.py"


rule promote:
    """The last job of a run: check the staged release against its manifest, then put it in place of
    results/{release}/ in one step. Only a run whose every job succeeded gets here; the published
    release is never an output of a rule, so Snakemake never removes a file of it.
    """
    input:
        manifest=rules.manifest.output[0],  # itself made from every staged artifact
    output:
        PROMOTED,
    log:
        f"logs/{RELEASE}/promote.log",
    localrule: True
    conda:
        "../../environment.yml"
    params:
        staged=lambda wildcards, input: str(Path(input.manifest).parent),
        release=RELEASE_DIR,
    script:
        "../scripts/promote.py"


rule verify:
    """Re-run the release in a scratch folder and compare it, byte for byte, with the release on
    record: as committed at a git revision (default HEAD) or as its manifest lists it; never with the
    working tree. Run it as `snakemake --cores 4 verify` (`--config verify_revision=<rev>` or
    `verify_manifest=<path>`): it reads the recorded release, it does not rebuild it.
    """
    input:
        sources=release_sources(),
    log:
        f"logs/{RELEASE}/verify.log",
    conda:
        "../../environment.yml"
    threads: 4  # scaled down to --cores; the rerun uses as many
    params:
        release=RELEASE,
        committed=RELEASE_DIR,
        revision=optional_text(config.get("verify_revision")),
        manifest=optional_text(config.get("verify_manifest")),
    script:
        "../scripts/verify.py"


# Parsed when the run starts: a promotion stamp newer than this is this run's.
RUN_STARTED = time.time()


onsuccess:
    from netclean_survey.release.summary import release_summary

    promoted_now = (
        Path(PROMOTED).exists() and Path(PROMOTED).stat().st_mtime >= RUN_STARTED
    )
    logger.info(
        release_summary(RELEASE_DIR, f"logs/{RELEASE}", SYNTHETIC, promoted_now)
    )
