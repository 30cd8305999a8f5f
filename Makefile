# Two commands do all the set-up on a fresh machine:
#   make run   create .venv from requirements.lock, install the package, run the pipeline
#   make test  the same set-up, then the test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-from-lock
# every core of the machine; make run CORES=2 for fewer
CORES ?= $(shell nproc 2>/dev/null || echo 4)
RELEASE := $(shell sed -n 's/^release: *//p' config/config.yaml)

.PHONY: run test report screenshot lint raw verify scheduled bench tag

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/snakemake --cores $(CORES)

test: $(STAMP)
	$(BIN)/python -m pytest

# Re-run the release in a scratch folder and compare it, byte for byte, with the release committed at
# HEAD (REV=<revision> for another commit, MANIFEST=<path> for a manifest's records); never with the
# working tree.
verify: $(STAMP)
	$(BIN)/snakemake --cores $(CORES) verify $(if $(REV)$(MANIFEST),--config $(if $(REV),verify_revision=$(REV)) $(if $(MANIFEST),verify_manifest=$(MANIFEST)))

# Tag the committed release as $(RELEASE)-v<version> (config/config.yaml, version:), once the working
# tree is clean and the committed manifest records that version (README, "Releases").
tag: $(STAMP)
	$(BIN)/python -m netclean_survey.release.versions tag

# The scheduled rerun (README, "A scheduled run"): verify the committed release first, then pull the
# new export and publish its release. Any failure stops it, with a non-zero exit.
scheduled: verify
	git pull --ff-only
	$(MAKE) run

report: run
	$(BIN)/snakemake --report results/report.html

# The README's picture of the report, taken in headless Chromium (installed when missing, as root).
screenshot: report
	$(BIN)/python -m netclean_survey.release.report_view results/report.html results/screenshots/$(RELEASE).png

lint: $(STAMP)
	$(BIN)/snakemake --lint
	$(BIN)/snakefmt --check Snakefile workflow

# Regenerate the synthetic raw exports (they are committed; tests check they are reproduced byte for byte).
raw: $(STAMP)
	for wave in 2016 2018; do \
	  $(BIN)/python -m netclean_survey.synth --wave config/waves/$$wave.yaml \
	    --questionnaire config/questionnaire.yaml --targets config/synthetic/$$wave.yaml \
	    --out resources/raw/$$wave.csv; \
	done

# The benchmark suite (issue 6): results/benchmarks/{runs,summary,targets,environment}.csv and scaling.png.
# About an hour on 2 cores; BENCH_ARGS="--repeats 1 --sizes 1000 10000" for a quick look.
bench: $(STAMP)
	$(BIN)/python benchmarks/suite.py $(BENCH_ARGS)
