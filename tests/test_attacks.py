"""Every way an attack (issue 13) found to lose data, hang or crash, run again.

Each test is one attack, named by its item: it runs the attack through the command line,
then checks the one-line error and exit status, and that nothing outside the intended
output changed (the input, a symlink's real target, a device node). Tests that need root
(``mknod``) or a non-root user (read-only files) skip on the other.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run_cli, run_process

ROOT_USER = os.geteuid() == 0
PAGE = "2025年，汽车整车进口47.6万辆，同比下降32.4%。\n\nImports fell again.\n"


def one_line_error(result: subprocess.CompletedProcess[str], *parts: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("bilingual: error: "), result.stderr
    assert "Traceback" not in result.stderr
    for part in parts:
        assert part in lines[0], (part, lines[0])


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- 1, 14: models remove ----------------------------------------------------------------------


def _fake_model(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "metadata.json").write_text('{"from_code": "zh", "to_code": "en"}')
    (folder / "keep.txt").write_text("precious")
    return folder


@pytest.mark.parametrize("name", ["../../victim", "/ABS/victim", "..", ".", "a/b", ""])
def test_01_models_remove_stays_inside_the_models_folder(
    bilingual_home: Path, tmp_path: Path, name: str
) -> None:
    victim = _fake_model(tmp_path / "victim")
    (bilingual_home / "models").mkdir(parents=True)
    name = name.replace("/ABS/victim", str(victim))
    one_line_error(run_cli("models", "remove", name))
    assert (victim / "keep.txt").read_text() == "precious"


def test_14_removing_a_symlinked_model_removes_the_link_only(
    bilingual_home: Path, tmp_path: Path
) -> None:
    target = _fake_model(tmp_path / "elsewhere" / "my-model")
    (bilingual_home / "models").mkdir(parents=True)
    (bilingual_home / "models" / "my-model").symlink_to(target)
    result = run_cli("models", "remove", "my-model")
    assert result.returncode == 0, result.stderr
    assert not (bilingual_home / "models" / "my-model").exists()
    assert (target / "keep.txt").read_text() == "precious"


# --- 2: outputs that are not regular files --------------------------------------------------


def test_02_output_to_a_symlink_replaces_its_target_and_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    result = run_cli("normalize", "-o", str(link), input="数据,进口")
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and real.read_text() == "数据，进口"


def test_02_output_to_a_fifo_streams_into_it(tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    result = run_process("normalize", "-o", str(fifo), input="数据,进口")
    out, _ = reader.communicate(timeout=60)
    assert result.returncode == 0, result.stderr
    assert out.decode() == "数据，进口"
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


@pytest.mark.skipif(not ROOT_USER, reason="mknod needs root")
def test_02_output_to_a_device_is_written_not_replaced(tmp_path: Path) -> None:
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a /dev/null of our own
    result = run_cli("normalize", "-o", str(null), input="数据,进口")
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(os.stat(null).st_mode)
    assert files_in(tmp_path) == ["null"]


def test_02_modes_follow_the_umask_and_existing_files_keep_theirs(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        new = tmp_path / "new.txt"
        assert run_cli("normalize", "-o", str(new), input="x").returncode == 0
        assert stat.S_IMODE(new.stat().st_mode) == 0o644
        kept = tmp_path / "kept.txt"
        kept.write_text("old")
        kept.chmod(0o640)
        assert run_cli("normalize", "-o", str(kept), input="x").returncode == 0
        assert stat.S_IMODE(kept.stat().st_mode) == 0o640 and kept.read_text() == "x"
    finally:
        os.umask(old)


def test_02_output_to_a_folder_is_one_line(tmp_path: Path) -> None:
    one_line_error(run_cli("normalize", "-o", str(tmp_path), input="x"), "is a folder")


# --- 3: an output that is an input or another output -----------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["run", "{page}", "--report", "{page}", "--memory", "none"],
        ["run", "{page}", "-o", "{page}", "--memory", "none"],
        ["run", "{page}", "-o", "{out}", "--report", "{out}", "--memory", "none"],
        ["dedupe", "{page}", "--report", "{page}"],
        ["normalize", "{page}", "-o", "{alias}"],
        ["run", "{folder}", "-o", "{page}", "--memory", "none"],
    ],
    ids=["run-report-input", "run-output-input", "report-output", "dedupe", "hardlink", "folder"],
)
def test_03_outputs_never_overwrite_inputs(tmp_path: Path, args: list[str]) -> None:
    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    alias = tmp_path / "alias.txt"
    os.link(page, alias)
    names = {"page": page, "out": tmp_path / "out.txt", "alias": alias, "folder": tmp_path}
    result = run_cli(*(a.format(**names) for a in args))
    one_line_error(result, "choose another path")
    assert page.read_text(encoding="utf-8") == PAGE
    assert not (tmp_path / "out.txt").exists()


# --- 4: a removed duplicate keeps the blank line it carried ------------------------------------


def test_04_removing_a_duplicate_never_merges_paragraphs() -> None:
    text = "Nickel prices rose.\nNickel prices rose.\n\nCobalt prices fell.\n"
    result = run_cli("run", "--to", "none", "-q", input=text)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Nickel prices rose.\n\nCobalt prices fell.\n"
    from bilingual import segment

    assert len(segment(result.stdout, "paragraph")) == 2


# --- 5: a worker killed during run --jobs --------------------------------------------------------


def test_05_a_killed_worker_ends_the_run_with_one_line(tmp_path: Path) -> None:
    items = tmp_path / "items.jsonl"
    with items.open("w", encoding="utf-8") as out:
        for i in range(40_000):
            text = f"2025年{i % 12 + 1}月，镍进口{i}吨，同比下降{i % 50}%。\n\nItem {i} is here."
            out.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
    output = tmp_path / "out.jsonl"
    command = ["run", "--jsonl", "--jobs", "2", str(items), "-q", "-o", str(output)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "bilingual", *command, "--memory", "none"],
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        workers: list[int] = []
        deadline = time.monotonic() + 60
        while not workers and time.monotonic() < deadline:
            time.sleep(0.5)
            workers = [c for c in _children(proc.pid) if _is_worker(c)]
        assert workers, "no worker started"
        time.sleep(1.0)
        os.kill(workers[0], signal.SIGKILL)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 2, err
    assert "a worker process died" in err and "Traceback" not in err
    assert not output.exists() and files_in(tmp_path) == ["items.jsonl"]


def _children(parent: int) -> list[int]:
    found = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            found.append(int(stat_file.parent.name))
    return found


def _running(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie nobody has reaped yet has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def _is_worker(pid: int) -> bool:
    try:
        return b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


# --- 6, 7: decoding and reading ------------------------------------------------------------------


@pytest.mark.parametrize("command", ["segment", "detect", "normalize"])
def test_06_a_character_across_the_64k_boundary_is_decoded(tmp_path: Path, command: str) -> None:
    text = "a" * 65_535 + "镍价上涨" * 100  # byte 65,536 falls inside 镍
    path = tmp_path / "one-line.txt"
    path.write_bytes(text.encode("utf-8"))
    result = run_cli(command, str(path))
    assert result.returncode == 0, result.stderr
    if command == "segment":
        joined = "".join(json.loads(line)["text"] for line in result.stdout.splitlines())
        assert joined == text
    elif command == "detect":
        from bilingual import detect_language

        assert result.stdout == detect_language(text) + "\n"
    else:
        assert result.stdout.endswith("镍价上涨")


def test_07_a_file_truncated_while_read_is_an_error(tmp_path: Path) -> None:
    from bilingual import InputError
    from bilingual.io import iter_text_lines

    path = tmp_path / "shrinking.txt"
    path.write_text("一行。\n" * 50_000, encoding="utf-8")
    lines = iter_text_lines(str(path))
    next(lines)
    os.truncate(path, 100_000)
    with pytest.raises(InputError, match="changed while it was read"):
        list(lines)


# --- 8: memory and glossary names --------------------------------------------------------------


def test_08_an_empty_memory_path_is_refused() -> None:
    one_line_error(run_cli("translate", "--memory", "", input="进口。"), "memory", "none")


def test_08_a_local_file_named_like_a_bundled_glossary_is_not_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("automotive").write_text("zh\ten\n汽车整车\tmy car\n", encoding="utf-8")
    page = "汽车整车进口3.0万辆。"
    bundled = run_cli("translate", "-g", "automotive", "--memory", "none", input=page)
    local = run_cli("translate", "-g", "./automotive", "--memory", "none", input=page)
    assert bundled.stdout == "30,000 complete vehicles were imported."
    assert local.stdout == "30,000 my cars were imported."


# --- 9: JSON Lines that the json module chokes on -------------------------------------------


BAD_JSONL = {
    "nested": b'{"text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n",
    "huge-int": b'{"text": "x", "n": ' + b"9" * 5000 + b"}\n",
    "nan": b'{"text": "x", "n": NaN}\n',
}


@pytest.mark.parametrize("kind", sorted(BAD_JSONL))
@pytest.mark.parametrize(
    "command", ["normalize", "segment", "detect", "translate", "dedupe", "run"]
)
def test_09_bad_json_lines_are_one_line_or_skipped(kind: str, command: str) -> None:
    data = b'{"text": "ok"}\n' + BAD_JSONL[kind]
    args = [command, "--jsonl"] + (["--memory", "none"] if command in ("translate", "run") else [])
    one_line_error(run_cli(*args, input=data), "<stdin>:2: invalid JSON")
    skipped = run_cli(*args, "--on-error", "skip", input=data)
    assert skipped.returncode == 0, skipped.stderr
    assert "Traceback" not in skipped.stderr and "<stdin>:2" in skipped.stderr
    for line in skipped.stdout.splitlines():
        json.loads(line, parse_constant=lambda c: pytest.fail(f"{c} in output"))


def test_09_a_line_over_the_limit_is_skipped_and_the_next_lines_read(tmp_path: Path) -> None:
    from bilingual.io import MAX_ITEM_BYTES

    data = tmp_path / "long.jsonl"
    with data.open("wb") as out:
        out.write(b'{"text": "first"}\n{"text": "')
        out.write(b"a" * (MAX_ITEM_BYTES + 1) + b'"}\n{"text": "third"}\n')
    result = run_cli("normalize", "--jsonl", "--on-error", "skip", str(data))
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["text"] for line in result.stdout.splitlines()] == ["first", "third"]
    assert "long.jsonl:2: a line longer than 64 MiB" in result.stderr


def test_09_glossary_extract_refuses_bad_json_lines(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_bytes(BAD_JSONL["nested"])
    one_line_error(run_cli("glossary", "extract", str(pairs)), "pairs.jsonl:1: invalid JSON")


def test_09_a_byte_order_mark_starts_json_lines_fine() -> None:
    result = run_cli("normalize", "--jsonl", input=b'\xef\xbb\xbf{"text": "a,b"}\n')
    assert result.returncode == 0 and json.loads(result.stdout) == {"text": "a,b"}


# --- 10: a model that does not load ------------------------------------------------------------


def test_10_a_garbage_model_is_refused_at_install(
    bilingual_home: Path, tiny_archive: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.argosmodel"
    with zipfile.ZipFile(tiny_archive) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = b"garbage" * 100 if info.filename.endswith("model.bin") else src.read(info)
            dst.writestr(info, data)
    one_line_error(run_cli("models", "install-file", str(bad)), "does not load")
    assert not (bilingual_home / "models").exists() or files_in(bilingual_home / "models") == []


def test_10_an_installed_model_broken_later_is_one_line(tiny_installed: Path) -> None:
    (model_bin,) = (tiny_installed / "models").glob("*/model/model.bin")
    model_bin.write_bytes(b"broken")
    result = run_cli("translate", "--engine", "argos", "--memory", "none", input="进口下降。")
    one_line_error(result, "does not load", str(model_bin.parent.parent))


# --- 11: unbounded reads --------------------------------------------------------------------


def test_11_devices_are_refused_or_bounded() -> None:
    one_line_error(run_cli("models", "install-file", "/dev/zero"), "not a regular file")
    one_line_error(run_cli("translate", "-g", "/dev/zero", input="x"), "not a regular file")
    one_line_error(run_cli("normalize", "/dev/zero"), "/dev/zero", "larger than 64 MiB")


def test_11_archive_bombs_are_refused(bilingual_home: Path, tmp_path: Path) -> None:
    many = tmp_path / "many.argosmodel"
    with zipfile.ZipFile(many, "w") as archive:
        for i in range(1_200):
            archive.writestr(f"m/file{i}", b"")
    one_line_error(run_cli("models", "install-file", str(many)), "more than 1000 members")
    bomb = tmp_path / "bomb.argosmodel"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("m/metadata.json", "{}")
        archive.writestr("m/model/model.bin", b"\0" * 200_000_000)
    one_line_error(run_cli("models", "install-file", str(bomb)), "times its size")


# --- 12: disk full, size limits, locked or foreign memories ----------------------------------


def test_12_a_file_size_limit_is_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (10_000, 10_000))

    proc = subprocess.run(
        [sys.executable, "-m", "bilingual", "normalize", "-o", str(out)],
        input=("数据,进口\n" * 20_000).encode(),
        capture_output=True,
        preexec_fn=limit,
        timeout=120,
    )
    result = subprocess.CompletedProcess(proc.args, proc.returncode, "", proc.stderr.decode())
    one_line_error(result, str(out), "cannot write")
    assert files_in(tmp_path) == []


def _read_only_folder_command(folder: Path, args: list[str]) -> list[str] | None:
    """``args`` run with ``folder`` mounted read-only (root, in a mount namespace of its
    own), or None where that cannot be done; not root: a folder without write bits."""
    command = [sys.executable, "-m", "bilingual", *args]
    if not ROOT_USER:
        folder.chmod(0o555)
        return command
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    if probe.returncode:
        return None
    mount = f"mount --bind -o ro {folder} {folder}"
    return ["unshare", "-m", "sh", "-c", f'{mount} && exec "$@"', "sh", *command]


def test_12_a_memory_on_a_read_only_file_system_fails_before_the_work(tmp_path: Path) -> None:
    from bilingual.translate import Memory

    folder = tmp_path / "ro"
    folder.mkdir()
    memory = folder / "tm.sqlite"
    Memory(memory).close()
    before = memory.read_bytes()
    command = _read_only_folder_command(folder, ["translate", "--memory", str(memory)])
    if command is None:
        pytest.skip("no mount namespace here to make a read-only folder")
    proc = subprocess.run(command, input="进口下降。".encode(), capture_output=True, timeout=120)
    result = subprocess.CompletedProcess(proc.args, proc.returncode, "", proc.stderr.decode())
    one_line_error(result, "read-only", "choose another --memory")
    assert memory.read_bytes() == before


def test_12_a_locked_memory_is_one_line(tmp_path: Path) -> None:
    from bilingual import InputError
    from bilingual.translate import Memory

    path = tmp_path / "tm.sqlite"
    Memory(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        with pytest.raises(InputError, match="cannot write the memory: database is locked"):
            Memory(path, timeout=0.2)  # found when it is opened, before any work
    finally:
        holder.execute("ROLLBACK")


def test_12_an_unwritable_home_is_one_line(tmp_path: Path) -> None:
    home = tmp_path / "file-not-folder"
    home.write_text("x")
    env_home = os.environ["BILINGUAL_HOME"]
    os.environ["BILINGUAL_HOME"] = str(home)
    try:
        one_line_error(run_cli("translate", input="进口下降。"), "memory")
    finally:
        os.environ["BILINGUAL_HOME"] = env_home


# --- 13: config values are checked ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (b"\x00\xff\xfe binary", "not a TOML file"),
        (b"quiet = 2\n", "option 'quiet' must be bool"),
        (b"memory = {a = 1}\n", "option 'memory' must be"),
        (b"jobs = 0\n", "option 'jobs' must be in"),
        (b'engine = "deepl-free"\n', "option 'engine' must be one of"),
        (b"glossary = 3\n", "option 'glossaries' must be a list"),
        (b"threshold = nan\n", "option 'threshold' must be a finite number"),
        (b"timeout = inf\n", "option 'timeout' must be a finite number"),
        (b'memory = "a\\u0000b"\n', "option 'memory' has a NUL character"),
        (b"a = " + b"[" * 10_000 + b"]" * 10_000 + b"\n", "nested too deeply"),
    ],
    ids=[
        *("binary", "quiet-int", "memory-table", "jobs-zero", "engine", "glossary"),
        *("nan", "inf", "nul", "nested"),
    ],
)
def test_13_config_values_are_checked(tmp_path: Path, config: bytes, message: str) -> None:
    path = tmp_path / "bilingual.toml"
    path.write_bytes(config)
    one_line_error(run_cli("run", "--config", str(path), input="x"), str(path), message)
    assert files_in(tmp_path) == ["bilingual.toml"]  # no file named after a bad value


# --- 15: an output in a missing folder -----------------------------------------------------------


def test_15_an_output_in_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "out.txt"
    one_line_error(run_cli("normalize", "-o", str(target), input="x"), "does not exist")


# --- 16, 17: glossary files ----------------------------------------------------------------------


def test_16_csv_export_neutralises_formulas(tmp_path: Path) -> None:
    tsv = tmp_path / "g.tsv"
    tsv.write_text('zh\ten\n公式\t=HYPERLINK("x")\n负数\t-1 grade\n', encoding="utf-8")
    out = tmp_path / "g.csv"
    assert run_cli("glossary", "convert", str(tsv), "-o", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8").splitlines()[0] == '公式,"\'=HYPERLINK(""x"")"'
    from bilingual.glossary import read_glossary

    assert [e.en for e in read_glossary(out)] == ['=HYPERLINK("x")', "-1 grade"]


def test_17_a_header_error_never_echoes_the_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.tsv"
    secret.write_text("root:$6$SECRETHASH:19000:0:99999:7:::\n", encoding="utf-8")
    result = run_cli("glossary", "lint", str(secret))
    assert "SECRETHASH" not in result.stdout + result.stderr
    assert f"{secret}:1" in result.stdout + result.stderr


# --- 18: temporary files of a killed run ----------------------------------------------------------


def test_18_stale_temporary_files_are_removed_by_the_next_write(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True
    )
    pid = int(dead.stdout)
    stale = tmp_path / f".out.txt.bilingual-{pid}-abc123.tmp"
    stale.write_text("half")
    live = tmp_path / f".out.txt.bilingual-{os.getpid()}-def456.tmp"
    live.write_text("ours, still being written")
    assert run_cli("normalize", "-o", str(tmp_path / "out.txt"), input="x").returncode == 0
    assert files_in(tmp_path) == sorted([live.name, "out.txt"])


# --- 19: an output that is a file the options read ------------------------------------------


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("tm.sqlite", ["run", "{page}", "--memory", "{file}", "-o", "{file}"]),
        ("tm.sqlite", ["memory", "export", "--memory", "{file}", "-o", "{file}"]),
        ("t.tsv", ["translate", "{page}", "-g", "{file}", "--memory", "none", "-o", "{file}"]),
        ("t.tsv", ["glossary", "coverage", "{page}", "-g", "{file}", "-o", "{file}"]),
        ("ov.tsv", ["normalize", "{page}", "--overrides", "{file}", "-o", "{file}"]),
        ("c.toml", ["run", "{page}", "--config", "{file}", "--memory", "none", "-o", "{file}"]),
    ],
    ids=["memory", "memory-export", "glossary", "coverage", "overrides", "config"],
)
def test_19_outputs_never_overwrite_what_the_options_read(
    tmp_path: Path, name: str, args: list[str]
) -> None:
    from bilingual.translate import Memory

    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    file = tmp_path / name
    if name.endswith(".sqlite"):
        Memory(file).close()
    else:
        file.write_text({"c.toml": 'to = "en"\n', "ov.tsv": "電\t电\n"}.get(name, "zh\ten\n"))
    before = file.read_bytes()
    result = run_cli(*(a.format(page=page, file=file) for a in args))
    one_line_error(result, str(file), "choose another path")
    assert file.read_bytes() == before


# --- 20: TMX units with inline codes or an empty side ------------------------------------------


def test_20_tmx_inline_codes_never_cut_a_unit_and_empty_ones_never_translate(
    tmp_path: Path,
) -> None:
    def tu(zh: str, en: str) -> str:
        tuvs = f'<tuv xml:lang="zh"><seg>{zh}</seg></tuv><tuv xml:lang="en"><seg>{en}</seg></tuv>'
        return f"<tu>{tuvs}</tu>"

    tmx = tmp_path / "in.tmx"
    tmx.write_text(
        '<?xml version="1.0"?><tmx version="1.4"><header/><body>'
        + tu(
            '价格<bpt i="1">&lt;b&gt;</bpt>上涨<ept i="1">&lt;/b&gt;</ept>了。', "Prices <ph/>rose."
        )
        + tu("市场低迷。", "")
        + "</body></tmx>",
        encoding="utf-8",
    )
    memory = tmp_path / "tm.sqlite"
    assert run_cli("memory", "import", str(tmx), "--memory", str(memory)).returncode == 0
    args = ["translate", "--memory", str(memory), "-g", "none", "-q"]
    assert run_cli(*args, input="价格上涨了。").stdout == "Prices rose."
    kept = run_cli(*args, input="市场低迷。")  # no memory hit: left in Chinese, reported
    assert kept.returncode == 0 and kept.stdout == "市场低迷。"


# --- 21: a server that echoes the key --------------------------------------------------------


def test_21_a_key_echoed_by_a_server_in_any_form_is_never_shown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import base64
    from urllib.parse import quote

    from servers.local import LocalServer, send

    key = "sk-SECRETvalue+/="

    class Echo(LocalServer):
        def _handle(self, h: Any, method: str) -> None:
            h.rfile.read(int(h.headers.get("Content-Length") or 0))
            forms = [quote(key), base64.b64encode(key.encode()).decode(), key[:-2], key]
            send(h, 401, {"error": {"message": "bad key " + " / ".join(forms)}})

    server = Echo().start()
    try:
        monkeypatch.setenv("OPENAI_API_KEY", key)
        args = ["translate", "--engine", "openai", "--model", "m", "--url", server.url]
        result = run_cli(*args, "--retries", "0", "--memory", "none", input="市场低迷。")
        one_line_error(result, "refused the API key", "check $OPENAI_API_KEY")
        assert "SECRET" not in result.stderr and "U0VDUkVU" not in result.stderr
        monkeypatch.setenv("OPENAI_API_KEY", "sk-A\r\nX-Injected: 1")
        result = run_cli(*args, "--memory", "none", input="市场低迷。")
        one_line_error(result, "OPENAI_API_KEY", "a character no key has")
        assert "Injected" not in result.stderr
    finally:
        server.stop()


# --- 22: translate keeps the lines and paragraphs ---------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "市场低迷。\n\n价格上涨。\n",
        "汽车出口3.0万辆。\n受需求影响，市场低迷。\n",
        "汽车出口3.0万辆。 \n\n宁德时代在德国建厂。\r\n\r\n市场低迷。\n",
        "The deal covers Europe.\n \n汽车出口3.0万辆。\r\n\r\n市场低迷。\n",
    ],
)
def test_22_a_sentence_left_in_chinese_never_joins_the_line_before(text: str) -> None:
    result = run_cli("translate", "--memory", "none", "-g", "none", "-q", input=text)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.replace("\r\n", "\n").split("\n")
    assert len(lines) == len(text.replace("\r\n", "\n").split("\n")), result.stdout
    assert "exported。" not in result.stdout


# --- 23: DNS rebinding against a loopback server ---------------------------------------------


def test_23_a_loopback_server_answers_no_other_host_name(serve: Any, tmp_path: Path) -> None:
    import httpx

    home = tmp_path / "home"
    server = serve("--memory", "none", home=home)
    rebound = {"Host": "evil.example", "Origin": "http://evil.example"}
    with httpx.Client(base_url=server.url, trust_env=False, timeout=60) as client:
        put = client.put("/glossaries/mine", content="zh\ten\n黑粉\tx\n", headers=rebound)
        assert put.status_code == 403 and "evil.example" in put.json()["error"]
        assert client.get("/glossaries", headers=rebound).status_code == 403
        assert client.get("/health").status_code == 200
    assert not (home / "glossaries").exists() or files_in(home / "glossaries") == []


# --- 24: a server that answers forever ------------------------------------------------------


def test_24_an_answer_that_never_ends_times_out_as_a_whole() -> None:
    from servers.local import LocalServer

    class Pings(LocalServer):  # server-sent event comments, one every 0.2 s, for a minute
        def _handle(self, h: Any, method: str) -> None:
            h.rfile.read(int(h.headers.get("Content-Length") or 0))
            h.send_response(200)
            h.send_header("Content-Type", "text/event-stream")
            h.send_header("Transfer-Encoding", "chunked")
            h.end_headers()
            with contextlib.suppress(OSError):
                for _ in range(300):
                    h.wfile.write(b"9\r\n: ping\n\n\n\r\n")
                    h.wfile.flush()
                    time.sleep(0.2)

    server = Pings().start()
    try:
        started = time.monotonic()
        args = ["translate", "--engine", "openai", "--model", "m", "--url", server.url]
        result = run_cli(
            *args, "--timeout", "1", "--retries", "0", "--memory", "none", input="市场低迷。"
        )
        one_line_error(result, "did not answer within 1 s")
        assert time.monotonic() - started < 20
    finally:
        server.stop()


# --- 25: files read whole that are not regular files --------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["normalize", "--config", "{fifo}"], "not a regular file"),
        (["normalize", "--script", "t2s", "--overrides", "{fifo}"], "not a regular file"),
        (["normalize", "--script", "t2s", "--overrides", "/dev/zero"], "not a regular file"),
        (["memory", "import", "{fifo}", "--memory", "{tm}"], "not a regular file"),
        (["memory", "import", "/dev/zero", "--memory", "{tm}"], "not a regular file"),
        (["normalize", "--jsonl", "/dev/zero"], "longer than 64 MiB"),
    ],
    ids=["config", "overrides", "overrides-device", "tmx", "tmx-device", "jsonl-device"],
)
def test_25_files_read_whole_are_never_waited_on_nor_read_forever(
    tmp_path: Path, args: list[str], message: str
) -> None:
    fifo = tmp_path / "f.fifo"
    os.mkfifo(fifo)  # no writer: opening it to read would wait forever
    names = {"fifo": fifo, "tm": tmp_path / "tm.sqlite"}
    result = run_cli(*(a.format(**names) for a in args), input="電動")
    one_line_error(result, message)


# --- 26: a review result of the wrong shape -------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"translation": None},
        {"translation": {"alignment": [[0, 1, 0]]}},
        {"paragraphs": [[1, 2]]},
        {"duplicates": "abc"},
        {"text_en": 5},
    ],
    ids=["translation-null", "alignment-rows", "paragraph-rows", "duplicates-string", "text-en"],
)
def test_26_a_result_of_the_wrong_shape_is_refused_in_one_line(
    tmp_path: Path, change: dict[str, Any]
) -> None:
    good = tmp_path / "good.jsonl"
    assert run_cli("run", "--format", "jsonl", "-o", str(good), "-q", input=PAGE).returncode == 0
    record = json.loads(good.read_text(encoding="utf-8"))
    (tmp_path / "r.jsonl").write_text(json.dumps({**record, **change}) + "\n", encoding="utf-8")
    result = run_cli(
        "serve", "--port", "0", "--memory", "none", "--review", str(tmp_path / "r.jsonl")
    )
    one_line_error(result, "r.jsonl:1: not a `bilingual run --format jsonl` result")


# --- 27: the memory cannot grow -------------------------------------------------------------


def test_27_a_memory_that_cannot_grow_is_one_line(tmp_path: Path) -> None:
    tuv = '<tuv xml:lang="{}"><seg>{}</seg></tuv>'
    units = "".join(
        f"<tu>{tuv.format('zh', f'句子{i}。')}{tuv.format('en', f'S {i}.')}</tu>"
        for i in range(20_000)
    )
    tmx = tmp_path / "many.tmx"
    tmx.write_text(f'<tmx version="1.4"><body>{units}</body></tmx>', encoding="utf-8")

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))

    memory = tmp_path / "tm.sqlite"
    proc = subprocess.run(
        [sys.executable, "-m", "bilingual", "memory", "import", str(tmx), "--memory", str(memory)],
        capture_output=True,
        preexec_fn=limit,
        timeout=120,
    )
    result = subprocess.CompletedProcess(proc.args, proc.returncode, "", proc.stderr.decode())
    one_line_error(result, str(memory), "cannot write the memory")


# --- 28: glossary terms a format cannot hold -------------------------------------------------


def test_28_a_glossary_is_never_written_in_a_form_that_does_not_read_back(tmp_path: Path) -> None:
    from bilingual.glossary import read_glossary

    tsv = tmp_path / "t.tsv"
    tsv.write_text("zh\ten\n", encoding="utf-8")
    for zh in ["黑\u2028粉", "黑\x85粉"]:  # line breaks to str.splitlines, not to TSV
        assert run_cli("glossary", "add", str(tsv), zh, "black mass").returncode == 0
    assert [e.zh for e in read_glossary(tsv)] == ["黑\u2028粉", "黑\x85粉"]
    before = tsv.read_bytes()
    one_line_error(run_cli("glossary", "add", str(tsv), "#标签", "hashtag"), "starting with #")
    assert tsv.read_bytes() == before
    (tmp_path / "c.tsv").write_text("zh\ten\n黑\x01粉\tblack\n", encoding="utf-8")
    result = run_cli("glossary", "convert", str(tmp_path / "c.tsv"), str(tmp_path / "c.tbx"))
    one_line_error(result, "U+0001")
    assert not (tmp_path / "c.tbx").exists()


def test_28_a_stored_term_xml_cannot_hold_is_a_422_not_a_broken_tbx(serve: Any) -> None:
    import httpx

    server = serve("--memory", "none")
    with httpx.Client(base_url=server.url, trust_env=False, timeout=60) as client:
        assert client.put("/glossaries/nul", content="zh\ten\n黑\x01粉\tblack\n").status_code == 201
        tbx = client.get("/glossaries/nul", params={"format": "tbx"})
        assert tbx.status_code == 422 and "U+0001" in tbx.json()["error"]
        assert client.get("/glossaries").status_code == 200


# --- 29: one bad request batched with good ones ----------------------------------------------


def test_29_a_request_that_is_not_text_fails_alone(serve: Any) -> None:
    import threading

    import httpx

    server = serve("--memory", "none", "--batch-window", "0.3")
    answers: dict[str, httpx.Response] = {}

    def post(name: str, body: bytes) -> None:
        headers = {"Content-Type": "application/json"}
        answers[name] = httpx.post(
            server.url + "/translate", content=body, headers=headers, timeout=60, trust_env=False
        )

    good = json.dumps({"q": "汽车出口3.0万辆。", "source": "zh", "target": "en"}).encode()
    lone = b'{"q": "\\ud800\\u8fdb\\u53e3", "source": "zh", "target": "en"}'
    threads = [threading.Thread(target=post, args=a) for a in (("good", good), ("lone", lone))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers["good"].status_code == 200, answers["good"].text
    assert answers["lone"].status_code == 400 and "surrogate" in answers["lone"].json()["error"]


# --- 30: answers of the wrong shape --------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        {"choices": ["x", 1, None]},
        {"choices": [{"delta": "x"}]},
        {"choices": [{"message": {"content": "x"}}], "usage": {"prompt_tokens": "lots"}},
    ],
    ids=["choices", "delta", "usage"],
)
def test_30_an_answer_of_the_wrong_shape_is_one_line(answer: dict[str, Any]) -> None:
    from servers.local import LocalServer, send

    class Odd(LocalServer):
        def _handle(self, h: Any, method: str) -> None:
            h.rfile.read(int(h.headers.get("Content-Length") or 0))
            event = f"data: {json.dumps(answer)}\n\ndata: [DONE]\n\n"
            send(h, 200, event, content_type="text/event-stream")

    server = Odd().start()
    try:
        args = ["translate", "--engine", "openai", "--model", "m", "--url", server.url]
        result = run_cli(*args, "--retries", "0", "--memory", "none", input="市场低迷。")
        assert "Traceback" not in result.stderr
        if "usage" in answer:  # a count that is not a number counts nothing
            assert result.returncode == 0, result.stderr
        else:
            one_line_error(result, "not a chat completion")
    finally:
        server.stop()


# --- 31: the workers of a process killed with SIGKILL ---------------------------------------


def test_31_workers_end_quietly_with_a_killed_parent(serve: Any, tmp_path: Path) -> None:
    server = serve("--memory", "none", "--workers", "2")
    deadline = time.monotonic() + 60
    while len(workers := _children(server.process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    server.process.kill()  # SIGKILL: the parent cannot stop its workers
    server.process.wait()
    deadline = time.monotonic() + 30
    while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_running(pid) for pid in workers)

    items = tmp_path / "items.jsonl"
    items.write_text(
        "".join(
            json.dumps({"text": f"2025年{i % 12 + 1}月，镍进口{i}吨。"}) + "\n"
            for i in range(20_000)
        ),
        encoding="utf-8",
    )
    command = ["run", "--jsonl", "--jobs", "2", str(items), "--memory", "none", "-q", "-o", "-"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "bilingual", *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not [c for c in _children(proc.pid) if _is_worker(c)] and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1.0)
    proc.kill()
    _, err = proc.communicate(timeout=60)  # the workers hold stderr until they end
    assert b"Traceback" not in err, err.decode()


# --- 32: an empty host ----------------------------------------------------------------------


def test_32_an_empty_host_never_listens_on_every_interface(tmp_path: Path) -> None:
    (tmp_path / "bilingual.toml").write_text('host = ""\nport = 0\n', encoding="utf-8")
    result = run_cli("serve", "--memory", "none", cwd=tmp_path)
    one_line_error(result, "host: empty", "0.0.0.0")


# --- 33: editing a glossary keeps its comments ---------------------------------------------


def test_33_glossary_edits_keep_every_comment(tmp_path: Path) -> None:
    tsv = tmp_path / "t.tsv"
    tsv.write_text(
        "# top\nzh\ten\n# --- cars: reviewed ---\n整车\tcomplete vehicle\n"
        "# --- batteries ---\n黑粉\tblack mass\n# end\n",
        encoding="utf-8",
    )
    assert run_cli("glossary", "sort", str(tsv)).returncode == 0  # 黑粉 (hei) first
    text = tsv.read_text(encoding="utf-8")
    assert text.index("# --- batteries ---") < text.index("黑粉") < text.index("# --- cars")
    assert text.index("# --- cars: reviewed ---") < text.index("整车") < text.index("# end")
    assert run_cli("glossary", "add", str(tsv), "镍", "nickel").returncode == 0
    assert run_cli("glossary", "remove", str(tsv), "整车").returncode == 0
    comments = [line for line in tsv.read_text(encoding="utf-8").splitlines() if line[:1] == "#"]
    assert sorted(comments) == sorted(
        ["# top", "# --- cars: reviewed ---", "# --- batteries ---", "# end"]
    )


# --- 34: one request naming a glossary many times ---------------------------------------------


def test_34_a_glossary_named_many_times_is_loaded_once(serve: Any, tmp_path: Path) -> None:
    import httpx

    server = serve("--memory", "none")
    rows = "".join(f"术语{i:05d}甲\tterm {i:05d} a\n" for i in range(30_000))
    with httpx.Client(base_url=server.url, trust_env=False, timeout=120) as client:
        assert client.put("/glossaries/big", content="zh\ten\n" + rows).status_code == 201
        body = {"q": "汽车出口3.0万辆。", "source": "zh", "target": "en"}
        started = time.monotonic()
        many = client.post("/translate", json={**body, "glossary": ",".join(["big"] * 300)})
        assert many.status_code == 200, many.text
        assert time.monotonic() - started < 20
        too_many = ",".join(["big", *(f"g{i}" for i in range(20))])
        assert client.post("/translate", json={**body, "glossary": too_many}).status_code == 400


# --- every command, random input ------------------------------------------------------------

COMMANDS = [
    ["normalize"],
    ["convert"],
    ["segment"],
    ["detect"],
    ["translate", "--memory", "none"],
    ["dedupe"],
    ["run", "--memory", "none", "-q"],
]
_json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
_jsonl = st.lists(
    st.one_of(
        st.dictionaries(st.sampled_from(["text", "id", "x"]), _json_value, max_size=3).map(
            lambda d: json.dumps(d, ensure_ascii=False).encode()
        ),
        st.binary(max_size=40),
    ),
    max_size=4,
).map(lambda lines: b"\n".join(lines) + b"\n")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    command=st.sampled_from(COMMANDS),
    jsonl=st.booleans(),
    data=st.one_of(st.binary(max_size=300), _jsonl, st.text(max_size=200).map(str.encode)),
)
def test_random_input_never_crashes_nor_leaves_partial_output(
    command: list[str], jsonl: bool, data: bytes
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out"
        result = run_cli(*command, *(["--jsonl"] if jsonl else []), "-o", str(out), input=data)
        assert result.returncode in (0, 2), result.stderr
        assert "Traceback" not in result.stderr
        if result.returncode == 2:
            assert result.stderr.startswith("bilingual: error: ")
            assert not out.exists()
        assert [p.name for p in Path(folder).iterdir()] in ([], ["out"])
