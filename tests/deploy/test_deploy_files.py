"""deploy/: the systemd service and timer and the crontab line agree, parse, and work.

The files hold placeholders under /srv/aggregator. The last tests run their commands, with
the placeholders pointed at this checkout, its venv and a temporary folder, in the bare
environment cron and systemd give: a run publishes, a run that finds the lock held is
skipped with status 3.
"""

from __future__ import annotations

import fcntl
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.crawl import ROOT

DEPLOY = ROOT / "deploy"
SERVICE = DEPLOY / "aggregator-crawl.service"
TIMER = DEPLOY / "aggregator-crawl.timer"
CRONTAB = DEPLOY / "crontab"
PLACEHOLDER = "/srv/aggregator"
APP = f"{PLACEHOLDER}/app"  # the checkout
LOCKED = 3  # README.md: another run holds the state file
HEALTHY = "aggregator: healthy: 45 articles, 69 teasers published"

Unit = dict[str, dict[str, list[str]]]


def read_unit(path: Path) -> Unit:
    """A unit file's sections: key -> values, in order (systemd lets keys repeat)."""
    unit: Unit = {}
    section: dict[str, list[str]] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        assert not line.endswith("\\"), f"{path.name}:{number}: keep each key on one line"
        if line.startswith("[") and line.endswith("]"):
            section = unit.setdefault(line[1:-1], {})
            continue
        key, equals, value = line.partition("=")
        assert equals and section is not None, f"{path.name}:{number}: not a key: {raw!r}"
        section.setdefault(key.strip(), []).append(value.strip())
    return unit


def one(unit: Unit, section: str, key: str) -> str:
    values = unit.get(section, {}).get(key, [])
    assert len(values) == 1, f"[{section}] {key}= is set {len(values)} times"
    return values[0]


def exec_start() -> list[str]:
    command = one(read_unit(SERVICE), "Service", "ExecStart")
    # no systemd specifiers (%h, %n…) or variables: the line is the argv as written
    assert "%" not in command and "$" not in command, command
    return shlex.split(command)


def cron_jobs() -> list[str]:
    """The crontab's job lines (not comments, blank lines or VAR=value lines)."""
    lines = [line.strip() for line in CRONTAB.read_text(encoding="utf-8").splitlines()]
    return [
        line
        for line in lines
        if line and not line.startswith("#") and not re.match(r"^[A-Za-z_]\w*\s*=", line)
    ]


def cron_command() -> tuple[list[str], str]:
    """The one job line's 5 schedule fields and its command."""
    jobs = cron_jobs()
    assert len(jobs) == 1, jobs
    fields = jobs[0].split(None, 5)
    assert len(fields) == 6, f"5 schedule fields and a command: {jobs[0]!r}"
    return fields[:5], fields[5]


def crawl_argv(command: str) -> list[str]:
    """The ``flock … scrapy crawl …`` words of a shell command, up to its ``;``."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    words = list(lexer)
    start = next(i for i, word in enumerate(words) if Path(word).name == "flock")
    end = words.index(";", start)
    return words[start:end]


def settings(argv: list[str]) -> dict[str, str]:
    pairs = [argv[i + 1] for i, word in enumerate(argv[:-1]) if word == "-s"]
    return dict(pair.split("=", 1) for pair in pairs)


# -- the files -----------------------------------------------------------------------------------


def test_the_service_runs_an_incremental_crawl_under_flock() -> None:
    unit = read_unit(SERVICE)
    assert one(unit, "Service", "Type") == "oneshot"
    argv = exec_start()
    assert argv[0] == "/usr/bin/flock"
    scrapy = argv.index("crawl") - 1  # flock OPTIONS… LOCKFILE SCRAPY crawl issues …
    options, lock = argv[1 : scrapy - 1], argv[scrapy - 1]
    assert "-n" in options, "flock -n: a run still going makes the next one skip"
    assert options[options.index("-E") + 1] == str(LOCKED), "a skipped run exits 3"
    assert argv[scrapy] == f"{APP}/.venv/bin/scrapy", "the project's venv"
    assert argv[scrapy + 1 : scrapy + 3] == ["crawl", "issues"]
    values = settings(argv)
    state, output = values["AGGREGATOR_STATE"], values["OUTPUT_DIR"]
    for path in (lock, state, output, values.get("AGGREGATOR_STATS_FILE", output)):
        assert path.startswith(f"{PLACEHOLDER}/"), path
    # the crawler itself flocks <state>.lock: flock(1) on that file would make every run exit 3
    assert lock != f"{state}.lock"
    assert one(unit, "Service", "WorkingDirectory") == APP, "scrapy.cfg is found from here"
    assert str(LOCKED) in one(unit, "Service", "SuccessExitStatus").split()
    writable = one(unit, "Service", "ReadWritePaths").split()
    for path in (lock, state, output):
        assert any(path == w or path.startswith(f"{w}/") for w in writable), path
    assert one(unit, "Service", "User")


def test_the_timer_starts_the_service_hourly() -> None:
    unit = read_unit(TIMER)
    assert one(unit, "Timer", "Unit") == SERVICE.name
    assert one(unit, "Timer", "OnCalendar") == "hourly"
    assert one(unit, "Timer", "Persistent") == "true"
    assert one(unit, "Install", "WantedBy") == "timers.target"


def test_systemd_analyze_verifies_the_units(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (the keys are checked above)")
    for path in (SERVICE, TIMER):
        shutil.copy(path, tmp_path / path.name)
    units = [str(tmp_path / SERVICE.name), str(tmp_path / TIMER.name)]
    done = subprocess.run(
        [analyze, "verify", *units], capture_output=True, text=True, timeout=60, check=False
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    ours = [line for line in output.splitlines() if "aggregator-crawl" in line]
    assert not ours, ours  # unknown keys and bad values are only warned about
    calendar = one(read_unit(TIMER), "Timer", "OnCalendar")
    checked = subprocess.run(
        [analyze, "calendar", calendar], capture_output=True, text=True, timeout=60, check=False
    )
    assert checked.returncode == 0, checked.stderr


FIELD_RANGES = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]  # minute hour day month weekday


@pytest.mark.parametrize("field", ["*", "17", "*/15", "0-30/10", "1,15,30"])
def test_cron_field_check_accepts(field: str) -> None:
    assert valid_cron_field(field, 0, 59)


@pytest.mark.parametrize("field", ["60", "*/0", "5-", "a", "", "1,,2"])
def test_cron_field_check_refuses(field: str) -> None:
    assert not valid_cron_field(field, 0, 59)


def valid_cron_field(field: str, low: int, high: int) -> bool:
    """A numeric cron field: ``*``, ``N``, ``N-M``, each with an optional ``/STEP``, in lists."""
    for item in field.split(","):
        match = re.fullmatch(r"(\*|(\d+)(?:-(\d+))?)(?:/(\d+))?", item)
        if match is None:
            return False
        numbers = [int(n) for n in match.group(2, 3) if n is not None]
        if any(not low <= n <= high for n in numbers) or numbers != sorted(numbers):
            return False
        if match.group(4) is not None and int(match.group(4)) < 1:
            return False
    return True


def test_the_crontab_line_runs_the_service_command_hourly() -> None:
    fields, command = cron_command()
    for field, (low, high) in zip(fields, FIELD_RANGES, strict=True):
        assert valid_cron_field(field, low, high), fields
    minute, *rest = fields
    assert minute.isdigit() and rest == ["*", "*", "*", "*"], "hourly, at a fixed minute"
    # cron turns an unescaped % into a newline
    assert "%" not in command.replace("\\%", ""), command
    parsed = subprocess.run(
        ["/bin/sh", "-n", "-c", command], capture_output=True, text=True, timeout=30, check=False
    )
    assert parsed.returncode == 0, parsed.stderr
    assert command.startswith(f"cd {APP} && "), "scrapy.cfg is found from the checkout"
    assert crawl_argv(command) == exec_start(), "the crontab and the service run one command"
    assert re.search(r">>\s*/srv/aggregator/log/\S+\.log 2>&1$", command), "a log file"
    assert 'echo "aggregator-crawl: exit $?"' in command


# -- the commands, run -----------------------------------------------------------------------------


def localize(text: str, here: Path) -> str:
    """The placeholders pointed at this checkout, its venv and the folder ``here``."""
    return (
        text.replace(f"{APP}/.venv", sys.prefix)
        .replace(APP, str(ROOT))
        .replace(PLACEHOLDER, str(here))
    )


@pytest.fixture
def here(tmp_path: Path) -> Path:
    """The folders an installation makes before the first run (deploy/README.md)."""
    if shutil.which("flock") is None or not Path("/usr/bin/flock").exists():
        pytest.skip("/usr/bin/flock (util-linux) is not installed")
    if not (Path(sys.prefix) / "bin" / "scrapy").exists():
        pytest.skip(f"no scrapy script in {sys.prefix}/bin")
    for folder in ("state", "output", "log"):
        (tmp_path / folder).mkdir()
    return tmp_path


BARE = {"PATH": "/usr/bin:/bin", "SHELL": "/bin/sh"}  # about all cron or systemd pass


def test_the_commands_publish_skip_when_locked_and_resume(here: Path) -> None:
    _, command = cron_command()
    cron = subprocess.run(
        ["/bin/sh", "-c", localize(command, here)],
        env={**BARE, "HOME": str(here)},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert cron.returncode == 0 and not cron.stdout + cron.stderr, cron
    log = (here / "log" / "crawl.log").read_text(encoding="utf-8").splitlines()
    assert log[-1] == "aggregator-crawl: exit 0", log[-5:]
    assert HEALTHY in log[-2], log[-5:]
    latest = here / "output" / "runs" / "latest"
    assert len((latest / "articles.jsonl").read_text(encoding="utf-8").splitlines()) == 45
    assert len((latest / "teasers.jsonl").read_text(encoding="utf-8").splitlines()) == 69
    last_run = json.loads((here / "output" / "last-run.json").read_text(encoding="utf-8"))
    assert last_run["aggregator/health/verdict"] == "healthy"
    first = latest.resolve().name

    service = read_unit(SERVICE)
    argv = [localize(word, here) for word in exec_start()]
    cwd = localize(one(service, "Service", "WorkingDirectory"), here)
    lock = Path(argv[argv.index("crawl") - 2])
    with lock.open("a") as held:  # a run still going
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        skipped = subprocess.run(
            argv, cwd=cwd, env=BARE, capture_output=True, text=True, timeout=60, check=False
        )
    assert skipped.returncode == LOCKED, skipped
    assert latest.resolve().name == first, "a skipped run publishes nothing"

    again = subprocess.run(
        argv, cwd=cwd, env=BARE, capture_output=True, text=True, timeout=180, check=False
    )
    assert again.returncode == 0, again.stderr[-3000:]
    summary = again.stderr.strip().splitlines()[-1]
    assert "aggregator: healthy: 0 articles, 0 teasers published" in summary, summary
    assert summary.endswith("; 0 stories lost") and "nothing new" in summary, summary
    assert latest.resolve().name == first  # nothing new: no new folder, latest stays
