"""Promotion of the staged release: checked against its manifest, published whole or not at all."""

from __future__ import annotations

import errno
import hashlib
import shutil

import pytest

import netclean_survey.release.promote as release_promote
from netclean_survey.release.manifest import build_manifest, write_manifest
from netclean_survey.core.errors import PromotionError
from netclean_survey.release.promote import promote_release

PUBLISHED = "results/r"


def stage(root, files: dict[str, bytes]):
    """A staging tree with ``files`` and its manifest, recorded as published under results/r."""
    staged = root / "results" / ".staging" / "r"
    for name, data in files.items():
        (staged / name).parent.mkdir(parents=True, exist_ok=True)
        (staged / name).write_bytes(data)
    artifacts = [staged / name for name in files]
    manifest = build_manifest("r", artifacts, [], root, staged=str(staged.relative_to(root)), published=PUBLISHED)
    write_manifest(manifest, staged / "MANIFEST.json")
    return staged


def digests(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_manifest_names_staged_files_by_their_published_paths(project):
    staged = stage(project, {"2018/tables/a.csv": b"x\n1\n"})
    text = (staged / "MANIFEST.json").read_text(encoding="utf-8")
    assert '"path": "results/r/2018/tables/a.csv"' in text and ".staging" not in text


def test_a_first_promotion_publishes_exactly_the_manifest(project):
    staged = stage(project, {"2018/a.csv": b"a\n", "2018/b.md": b"# b\n"})
    (staged / "old" / "left.csv").parent.mkdir()
    (staged / "old" / "left.csv").write_bytes(b"from an earlier configuration\n")
    result = promote_release(staged, "results/r")
    assert result.changed and result.files == 3 and result.left_in_staging == ("old/left.csv",)
    assert set(digests(project / "results" / "r")) == {"2018/a.csv", "2018/b.md", "MANIFEST.json"}
    assert (project / "results" / "r" / "2018" / "a.csv").read_bytes() == b"a\n"
    assert not (project / "results" / ".staging" / "r.incoming").exists()
    assert not (project / "results" / ".staging" / "r.previous").exists()


def test_a_new_release_replaces_the_old_one_whole(project):
    promote_release(stage(project, {"2018/a.csv": b"old\n", "compare/x/t.csv": b"gone\n"}), "results/r")
    shutil.rmtree(project / "results" / ".staging")
    promote_release(stage(project, {"2018/a.csv": b"new\n"}), "results/r")
    assert set(digests(project / "results" / "r")) == {"2018/a.csv", "MANIFEST.json"}  # compare/x is gone
    assert (project / "results" / "r" / "2018" / "a.csv").read_bytes() == b"new\n"


def test_an_unchanged_release_is_not_rewritten(project):
    staged = stage(project, {"a.csv": b"a\n"})
    promote_release(staged, "results/r")
    published = project / "results" / "r" / "a.csv"
    before = published.stat().st_ino, published.stat().st_mtime_ns
    assert not promote_release(staged, "results/r").changed
    assert (published.stat().st_ino, published.stat().st_mtime_ns) == before


def test_a_staged_file_changed_after_its_manifest_stops_the_promotion(project):
    promote_release(stage(project, {"a.csv": b"a\n"}), "results/r")
    before = digests(project / "results" / "r")
    staged = stage(project, {"a.csv": b"b\n"})
    (staged / "a.csv").write_bytes(b"c\n")
    with pytest.raises(PromotionError, match="a.csv: its bytes are not those the staged manifest records"):
        promote_release(staged, "results/r")
    (staged / "a.csv").unlink()
    with pytest.raises(PromotionError, match="missing"):
        promote_release(staged, "results/r")
    assert digests(project / "results" / "r") == before


def test_a_full_disk_during_promotion_leaves_the_release_as_it_was(project, monkeypatch):
    promote_release(stage(project, {"a.csv": b"a\n", "b.csv": b"b\n"}), "results/r")
    before = digests(project / "results" / "r")
    staged = stage(project, {"a.csv": b"A\n", "b.csv": b"B\n"})
    copies = []
    real_copyfile = shutil.copyfile

    def copyfile(source, target, **options):
        if copies:
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        copies.append(target)
        return real_copyfile(source, target, **options)

    monkeypatch.setattr(release_promote.shutil, "copyfile", copyfile)
    with pytest.raises(PromotionError) as error:
        promote_release(staged, "results/r")
    message = str(error.value)
    assert "No space left on device" in message and "the published release is unchanged" in message
    assert "Free some disk space" in message and "\n" not in message
    assert digests(project / "results" / "r") == before
    assert not (project / "results" / ".staging" / "r.incoming").exists()


def test_without_an_atomic_exchange_two_renames_do(project, monkeypatch):
    promote_release(stage(project, {"a.csv": b"a\n"}), "results/r")
    monkeypatch.setattr(release_promote, "exchange", lambda a, b: False)
    promote_release(stage(project, {"a.csv": b"b\n"}), "results/r")
    assert (project / "results" / "r" / "a.csv").read_bytes() == b"b\n"
    assert not (project / "results" / ".staging" / "r.previous").exists()


def test_the_exchange_swaps_two_folders(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "x").write_text("a"), (b / "x").write_text("b")
    if not release_promote.exchange(a, b):
        pytest.skip("renameat2(RENAME_EXCHANGE) is not available here: promotion uses two renames")
    assert (a / "x").read_text() == "b" and (b / "x").read_text() == "a"
