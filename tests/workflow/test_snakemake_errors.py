"""Through Snakemake: bad input stops the run with one paragraph naming the file, row and column,
no traceback, and nothing of that wave written or changed; what the wave file declares (semicolons
and decimal commas, Windows-1252) and a UTF-8 BOM are read; a raw export changed since the last run
is noticed.

Each hostile export is a small, readable change to the shipped 2018 export (SurveyMonkey: two
header rows, question text then option text; CRLF; UTF-8 with a BOM), made on a copy."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil

import pytest

from test_workflow import COPIED, RELEASE, ROOT, run_snakemake

pytestmark = pytest.mark.slow
CLEANED = f"results/.staging/{RELEASE}/2018/clean/responses.csv"  # a target: rules write the staging tree
PUBLISHED_CLEANED = f"results/{RELEASE}/2018/clean/responses.csv"  # the committed release
RAW = "resources/raw/2018.csv"
WAVE_FILE = "config/waves/2018.yaml"
SWEDISH = "Sverige – Malmö"  # "–", "ö": other bytes in Windows-1252 than in UTF-8

# columns of the 2018 export (0-based), as its two header rows name them
RESPONDENT_ID = 0  # "Respondent ID", a metadata column (row 2 is empty there)
END_DATE = 3  # "End Date"
EMAIL = 5  # "Email Address"
COUNTRY = 9  # "In which country do you work?" / "Response"
TRAFFICKING_EUROPE = 57  # "In which parts of the world do you see this connection?" / "Europe"


@pytest.fixture
def copy(tmp_path):
    for name in COPIED:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, tmp_path / name)
    return tmp_path


def read_records(raw) -> list[list[str]]:
    return list(csv.reader(io.StringIO(raw.read_text(encoding="utf-8-sig"), newline="")))


def write_records(raw, records, delimiter=",", encoding="utf-8", bom=True) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(records)
    raw.write_bytes((("\ufeff" if bom else "") + buffer.getvalue()).encode(encoding))


def row(records, number) -> list[str]:
    """A record by its row number in the file, as a spreadsheet shows it (header rows are 1 and 2)."""
    return records[number - 1]


def edit(change):
    """Change the export's records in place, then write them back as SurveyMonkey does."""
    def apply(raw):
        records = read_records(raw)
        change(records)
        write_records(raw, records)
    return apply


def empty(raw):
    raw.write_bytes(b"")


def header_only(records):
    del records[2:]


def second_header_row_missing(records):
    del records[1]


def duplicated_column_name(records):
    records[0][EMAIL] = "IP Address"


def unknown_column(records):
    records[0].append("Shoe size?")
    records[1].append("Response")
    for record in records[2:]:
        record.append("")
    row(records, 6)[-1] = "42"
    row(records, 10)[-1] = "43"


def missing_required_column(records):
    for record in records:
        del record[END_DATE]


def semicolons_not_declared(raw):
    write_records(raw, read_records(raw), delimiter=";")  # as Excel saves it in a Swedish locale


def windows_1252_not_declared(raw):
    records = read_records(raw)
    row(records, 9)[COUNTRY] = SWEDISH
    write_records(raw, records, encoding="cp1252", bom=False)


def ragged_row(records):
    row(records, 6).pop()


def respondent_id_repeated_with_other_answers(records):
    row(records, 7)[RESPONDENT_ID] = row(records, 6)[RESPONDENT_ID]


def single_choice_with_two_answers(records):
    row(records, 9)[COUNTRY] = "Sweden, Norway"


def saved_as_an_excel_workbook(raw):
    """The export opened in Excel and saved as .xlsx, under its old name."""
    import openpyxl

    workbook = openpyxl.Workbook()
    for record in read_records(raw):
        workbook.active.append(record)
    workbook.save(raw)


def tick_outside_the_option_list(records):
    row(records, 11)[TRAFFICKING_EUROPE] = "Antarctica"


def case(name, corrupt, *messages):
    return pytest.param(corrupt, messages, id=name)


FILE = "error: resources/raw/2018.csv"
LABELS = f"{FILE}: labels the wave file does not know"
TRAFFICKING_REGIONS = ("'In which parts of the world do you see this connection? (Tick all that apply)' "
                       "(trafficking_regions)")
HOSTILE = [
    case("empty", empty, f"{FILE}: the export is empty"),
    case("header-only", edit(header_only), f"{FILE}: the export has its header rows but not one response row"),
    case("one-header-row-missing", edit(second_header_row_missing), FILE, "row 2 holds values under the columns",
         "a header row is missing"),
    case("duplicated-column-names", edit(duplicated_column_name),
         f"{FILE}: repeated column names in the header: ['IP Address']"),
    case("unknown-column", edit(unknown_column), f"{FILE}: columns the wave file {WAVE_FILE} does not know",
         "column 62 'Shoe size? / Response': data in 2 row(s), rows 6, 10"),
    case("missing-required-column", edit(missing_required_column),
         f"{FILE}: the header lacks the required columns ['End Date']"),
    case("semicolons-not-declared", semicolons_not_declared, FILE,
         f"looks ';'-delimited while {WAVE_FILE} declares delimiter ','"),
    case("windows-1252-not-declared", windows_1252_not_declared, f"{FILE}: byte", "is not valid utf-8-sig",
         f"{WAVE_FILE} declares encoding 'utf-8-sig'", "Windows-1252"),
    case("ragged-row", edit(ragged_row), f"{FILE}, row 6: 60 fields where the header has 61"),
    case("respondent-id-repeated", edit(respondent_id_repeated_with_other_answers),
         f"{FILE}: column 'Respondent ID': respondent ids repeated with different answers", "rows [6, 7]"),
    case("single-choice-with-two-answers", edit(single_choice_with_two_answers), LABELS,
         "'Sweden, Norway' in column 'In which country do you work?' (country): 1 row(s), rows 9"),
    case("tick-outside-the-option-list", edit(tick_outside_the_option_list), LABELS,
         f"'Antarctica' in column {TRAFFICKING_REGIONS}: 1 row(s), rows 11"),
]


@pytest.mark.parametrize("corrupt, messages", HOSTILE)
def test_a_hostile_export_stops_the_wave_without_traceback_or_output(copy, corrupt, messages):
    corrupt(copy / RAW)
    result = run_snakemake(copy, CLEANED)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "Error in rule clean_export" in result.stderr  # the export is refused before rule clean runs
    assert not [p for p in (copy / "results").rglob("*") if p.is_file()], "nothing of the wave is written"
    for message in messages:
        assert message in result.stderr


def test_unknown_label_stops_the_wave_without_traceback_or_output(copy):
    raw = copy / RAW
    raw.write_bytes(raw.read_bytes().replace(b",Sweden,", b",Narnia,", 1))
    result = run_snakemake(copy, CLEANED)
    assert result.returncode != 0
    assert "error: resources/raw/2018.csv: labels the wave file does not know" in result.stderr
    assert "'Narnia' in column 'In which country do you work?' (country): 1 row(s)" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (copy / "results" / RELEASE / "2018" / "clean").exists()


def declare(copy, **settings):
    """Set top-level keys of the copy's 2018 wave file (each is on one line of its own)."""
    path = copy / WAVE_FILE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for key, value in settings.items():
        [number] = [i for i, line in enumerate(lines) if line.startswith(f"{key}:")]
        lines[number] = f'{key}: "{value}"\n'
    path.write_text("".join(lines), encoding="utf-8")


def as_shipped_with_a_bom(copy):
    assert (copy / RAW).read_bytes().startswith(b"\xef\xbb\xbf")


def semicolons_and_decimal_commas_declared(copy):
    semicolons_not_declared(copy / RAW)  # a SurveyMonkey export has no decimal number: the mark is declared only
    declare(copy, delimiter=";", decimal=",")


def windows_1252_declared(copy):
    windows_1252_not_declared(copy / RAW)
    declare(copy, encoding="cp1252")
    wave_file = copy / WAVE_FILE  # the Swedish label is mapped to the option it stands for
    text = wave_file.read_text(encoding="utf-8")
    wave_file.write_text(text.replace('sweden: ["Sweden"]', f'sweden: ["Sweden", "{SWEDISH}"]'), encoding="utf-8")


def saved_as_an_excel_workbook_under_its_old_name(copy):
    saved_as_an_excel_workbook(copy / RAW)  # read as the workbook it is (its first sheet), whatever its name


VARIANTS = [as_shipped_with_a_bom, semicolons_and_decimal_commas_declared, windows_1252_declared,
            saved_as_an_excel_workbook_under_its_old_name]


@pytest.mark.parametrize("variant", VARIANTS)
def test_declared_variants_of_the_export_give_the_committed_responses(copy, variant):
    """Read as declared, each variant gives the committed responses byte for byte (mojibake in the
    Swedish label would be an unknown label and stop the run)."""
    variant(copy)
    result = run_snakemake(copy, CLEANED)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (copy / CLEANED).read_bytes() == (ROOT / PUBLISHED_CLEANED).read_bytes()


def digests(folder) -> dict[str, str]:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def test_a_bad_export_leaves_the_committed_release_of_its_wave_untouched(copy):
    """Snakemake removes a job's outputs before running it: the export is read, screened and tidied
    in rule clean_export (a temporary file), so a bad export fails before rule clean would remove
    the committed clean/*.csv of its wave."""
    shutil.copytree(ROOT / "results", copy / "results", ignore=shutil.ignore_patterns("report.html"))
    release = copy / "results" / RELEASE
    before = digests(release / "2018"), (release / "MANIFEST.json").read_bytes()
    assert before[0]["clean/responses.csv"]
    edit(single_choice_with_two_answers)(copy / RAW)
    result = run_snakemake(copy)  # the whole release, as a scheduled run does
    assert result.returncode != 0
    assert "error: resources/raw/2018.csv: labels the wave file does not know" in result.stderr
    assert "Traceback" not in result.stderr
    assert (digests(release / "2018"), (release / "MANIFEST.json").read_bytes()) == before
    assert not (release / "tmp" / "2018").exists()


def test_a_raw_export_changed_since_the_last_run_is_noticed(copy):
    first = run_snakemake(copy, CLEANED)
    assert first.returncode == 0, first.stderr[-3000:]
    assert "Nothing to be done" in run_snakemake(copy, "--dry-run", CLEANED).stdout
    raw = copy / RAW
    raw.write_bytes(raw.read_bytes().replace(b"Sweden", b"sweden", 1))  # a case variant: still valid
    dry = run_snakemake(copy, "--dry-run", CLEANED)
    assert dry.returncode == 0
    assert "Updated input files: resources/raw/2018.csv" in dry.stdout


def misspell_config_key(copy):
    config = copy / "config" / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("release: netclean-2018", "relase: netclean-2018"), encoding="utf-8")


def wave_name_with_a_path(copy):
    config = copy / "config" / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace('waves: ["2016", "2018"]', 'waves: ["2016", "../2018"]'), encoding="utf-8")


def misspell_wave_file_key(copy):
    wave = copy / WAVE_FILE
    wave.write_text(wave.read_text(encoding="utf-8").replace("exclusions:", "exclusion:", 1), encoding="utf-8")


@pytest.mark.parametrize("corrupt, messages", [
    pytest.param(misspell_config_key, ["config/config.yaml is not valid", "'relase'"], id="config-key"),
    pytest.param(wave_name_with_a_path, ["config/config.yaml is not valid", "../2018"], id="wave-name-with-a-path"),
    pytest.param(misspell_wave_file_key, [WAVE_FILE, "unknown keys ['exclusion']"], id="wave-file-key"),
])
def test_a_bad_configuration_stops_before_any_job(copy, corrupt, messages):
    corrupt(copy)
    result = run_snakemake(copy)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    for message in messages:
        assert message in result.stderr, result.stderr[-2000:]
    assert not (copy / "results").exists()


RAW_2016, WAVE_FILE_2016 = "resources/raw/2016.csv", "config/waves/2016.yaml"


def a_survey_definition_that_is_no_qsf(copy):
    (copy / "resources" / "raw" / "2016.qsf").write_text("Q1,Q2\n", encoding="utf-8")
    path = copy / WAVE_FILE_2016
    path.write_text(path.read_text(encoding="utf-8").replace("\nquestions:\n", "\nsurvey_definition: resources/raw/2016.qsf\nquestions:\n", 1),
                    encoding="utf-8")


def loop_and_merge_columns(copy):
    raw = copy / RAW_2016
    records = read_records(raw)
    records[0][records[0].index("Q2")] = "1_Q2"  # the workload question asked in a loop
    records[2] = [cell.replace('"QID2"', '"1_QID2"') for cell in records[2]]
    write_records(raw, records)


def a_password_protected_workbook(copy):
    # an encrypted .xlsx is an OLE2 file whose directory names EncryptedPackage (MS-OFFCRYPTO)
    entry = "EncryptedPackage".encode("utf-16-le") + b"\0\0"
    (copy / RAW).write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504) + entry.ljust(128, b"\0"))


@pytest.mark.parametrize("corrupt, wave, messages", [
    pytest.param(a_survey_definition_that_is_no_qsf, "2016",
                 ["resources/raw/2016.qsf is not a Qualtrics survey definition (.qsf is JSON"], id="qsf-not-json"),
    pytest.param(loop_and_merge_columns, "2016",
                 ["the header lacks the columns ['Q2']", "The columns Q2: ['1_Q2'] are loop-and-merge columns"],
                 id="loop-and-merge"),
    pytest.param(a_password_protected_workbook, "2018", ["this is a password-protected Excel workbook"],
                 id="password-protected-workbook"),
])
def test_a_refused_layout_leaves_the_committed_release_untouched(copy, corrupt, wave, messages):
    """The refusals this issue added, through a whole run against the committed release: one
    paragraph, no traceback, every byte of the release as committed."""
    shutil.copytree(ROOT / "results", copy / "results", ignore=shutil.ignore_patterns("report.html"))
    release = copy / "results" / RELEASE
    before = digests(release)
    corrupt(copy)
    result = run_snakemake(copy)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "Error in rule clean_export:\n" in result.stderr
    for message in messages:
        assert message in result.stderr, result.stderr[-2000:]
    assert digests(release) == before


def a_wave_file_quasi_identifier_it_does_not_ask(copy):
    path = copy / WAVE_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("\nquestions:\n", "\nquasi_identifiers: [shoe_size]\nquestions:\n", 1),
                    encoding="utf-8")


def test_a_bad_disclosure_setting_stops_before_any_job_and_leaves_the_release(copy):
    shutil.copytree(ROOT / "results", copy / "results", ignore=shutil.ignore_patterns("report.html"))
    before = digests(copy / "results" / RELEASE)
    a_wave_file_quasi_identifier_it_does_not_ask(copy)
    result = run_snakemake(copy)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "quasi_identifiers: ['shoe_size'] are not questions of this wave" in result.stderr
    assert digests(copy / "results" / RELEASE) == before
