# The release as a whole: its manifest, and the check that a rerun gives the same bytes.


rule manifest:
    """Every artifact of the release with its sha256 and size, every input, the provenance."""
    input:
        artifacts=release_artifacts(),
        sources=release_sources(),
    output:
        f"{RESULTS}/MANIFEST.json",
    log:
        f"logs/{RELEASE}/manifest.log",
    benchmark:
        f"benchmarks/runs/{RELEASE}/manifest.tsv"
    conda:
        "../../environment.yml"
    params:
        release=RELEASE,
    script:
        "../scripts/manifest.py"


rule verify:
    """Re-run the release in a scratch folder and compare it, byte for byte, with the committed one.
    Run it as `snakemake --cores 4 verify`: it reads the committed release, it does not rebuild it.
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
        committed=RESULTS,
    script:
        "../scripts/verify.py"
