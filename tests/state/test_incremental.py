"""Incremental runs with a state file (``-s AGGREGATOR_STATE=…``): run folders holding only
what is new or changed, resumption after ``kill -9``, crash safety at every named point, and
one run at a time per state file.

Real ``scrapy crawl issues`` processes over a generated mirror (``benchmarks.mirror``) served
on 127.0.0.1 by ``tests.servers.slow``. Kills land after a counted number of story pages
served, never on a timer alone. Items are compared by ``id``, read from the published run
folders ``OUT/runs/<run-id>/{articles,teasers}.jsonl`` (folders starting with ``.`` are work
in progress and ignored; ``latest`` is a symlink).

What every item id should be is derived from the generator's plan, independently of the
crawler: an article's id is ``article_id(canonical URL)``, a teaser's (every card links its
story) ``teaser_id(canonical URL of the target)``, and every story of the plan is mirrored and
has its card on its issue page. ``test_a_plain_crawl_reads_every_story_of_the_plan`` checks
that derivation against a plain (non-incremental) crawl of today's code.

One state chain (session fixtures, in this order whatever order the tests run in) makes the
fewest full crawls: a clean run, a run right after it (an empty delta), then a run over a copy
of the mirror with K stories changed and one issue added. The port of the server stays the
same along the chain: ``issue_url`` and a teaser's ``url`` hold it, and they count in the
content hash. The crash points run over a smaller mirror of the same generator.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from parsel import Selector

from aggregator.site.urls import article_id, teaser_id
from benchmarks.mirror import Mirror, Plan, _story, issue_date, plan, render, write_mirror
from sitegen import Issue, Para, StorySpec, render_archive
from tests.servers.loopback import HOST
from tests.servers.slow import SlowServer, serve
from tests.support.crawl import ROOT, scrapy_command

# -- sizes and limits -----------------------------------------------------------------------

STORY_PAGES = 2_000  # the main mirror
SMALL_STORY_PAGES = 240  # the crash-point mirror: 30 issues, two publications
SEED = 0
STORY_DELAY = 0.005  # seconds per story page on the server
CRAWL_TIMEOUT = 300.0  # one full crawl of the main mirror takes ~16 s here
WAIT_TIMEOUT = 240.0  # for a counted number of story pages to be served
KILL_AT = (100, 700, 1_500)  # kill -9 once the server served this many story pages in all
CHANGED_STORIES = 5  # K
STAGED_CRASH_AT = 60  # staged:<N> on the small mirror (it holds 480 items)
CRASH_STATUS = 70
LOCK_STATUS = 3
RUN_ID = re.compile(r"^\d{8}T\d{6}Z(-\d+)?$")
FEEDS = ("articles", "teasers")
CORRECTION = "Correction: an earlier version of this story gave the wrong figures ({key})."


# -- ids the plan says the mirror holds ------------------------------------------------------


@dataclass(frozen=True)
class Ids:
    """Item ids per feed."""

    articles: frozenset[str]
    teasers: frozenset[str]

    @classmethod
    def of_stories(cls, specs: list[StorySpec]) -> Ids:
        """What a crawl reads from these stories' pages and the cards of their issue pages."""
        return cls(
            articles=frozenset(article_id(s.canonical_url) for s in specs),
            teasers=frozenset(teaser_id(s.canonical_url, None, s.title) for s in specs),
        )

    def __or__(self, other: Ids) -> Ids:
        return Ids(self.articles | other.articles, self.teasers | other.teasers)

    @property
    def count(self) -> int:
        return len(self.articles) + len(self.teasers)


def all_stories(content: Plan) -> list[StorySpec]:
    return [spec for specs in content.stories.values() for spec in specs]


@dataclass(frozen=True)
class Site:
    mirror: Mirror
    ids: Ids


# -- the changed copy of the mirror -----------------------------------------------------------


@dataclass(frozen=True)
class ChangedSite:
    root: Path
    changed: list[StorySpec]  # K stories whose body text was edited
    new_issue: Issue
    new_stories: list[StorySpec]  # the new issue's table of contents
    reordered: list[StorySpec]  # an issue's stories, whose cards now come in reverse order
    changed_files: frozenset[str]  # paths from the root whose bytes differ from the mirror's
    new_files: frozenset[str]  # paths not in the mirror
    expected_changed_files: frozenset[str]
    expected_new_files: frozenset[str]

    @property
    def delta(self) -> Ids:
        """The next run's items: how they are derived.

        Articles: an article's content is read from its own story page only. The K edited
        stories are changed (same id: same canonical URL, other body); the new issue's
        stories are new. The story pages of the reordered issue differ only in the order of
        their "more stories" cards, which is no part of an article. No other story page
        differs by a byte (checked when the copy is made), so no other article can differ.

        Teasers: every card is first seen on its issue page (story pages are only linked
        from issue pages, and repeats of a card on story pages are dropped), and a card
        prints title, summary, read time, date and link, never the body. So the edited
        stories' cards are unchanged; the new issue's cards are new; the reordered issue's
        cards differ only in ``position``, which is no change. The former newest issue of
        the publication that got the new one is unchanged too: the new issue links it by
        ``rel=prev``, not the other way round. Only that publication's archive pages
        (navigation, no items) differ, since each lists three issues, newest first.
        """
        new = Ids.of_stories(self.new_stories)
        return Ids(
            articles=new.articles | Ids.of_stories(self.changed).articles,
            teasers=new.teasers,
        )


def pick_changed(content: Plan, k: int) -> list[StorySpec]:
    """``k`` stories spread over the layouts (each reads its body its own way) and issues."""
    layouts = ("classic", "gold2025", "reader", "generic")
    picked: list[StorySpec] = []
    specs = all_stories(content)
    step = len(specs) // (k + 1)
    for n in range(k):
        want = layouts[n % len(layouts)]
        spec = next(s for s in specs[(n + 1) * step :] + specs if s.layout == want)
        picked.append(spec)
    assert len({s.key for s in picked}) == k
    return picked


def edit_body(spec: StorySpec) -> None:
    """A sentence-long paragraph inserted after the first one. The generator prints the
    paragraphs both in the body markup and in the JSON-LD ``articleBody``, so the two stay
    consistent."""
    spec.paragraphs = [
        spec.paragraphs[0],
        Para.plain(CORRECTION.format(key=spec.key)),
        *spec.paragraphs[1:],
    ]


def add_issue(content: Plan, publication_index: int) -> tuple[Issue, list[StorySpec]]:
    """A new newest issue of one publication, with a full table of contents of new stories.

    It is reachable as the crawler navigates: the publication's archive page 1 lists it
    (every archive page of the publication shifts by one issue), and its own page links the
    former newest issue by ``rel=prev``."""
    pub = content.publications[publication_index]
    oldest_first = content.issues[pub.slug]
    issue_count = sum(len(v) for v in content.issues.values())
    issue = Issue(pub, str(2_000_000 + issue_count), issue_date(pub, -1))
    assert issue.date > oldest_first[-1].date
    number = len(all_stories(content))
    rng = random.Random(f"new-issue-{SEED}")
    specs = [_story(rng, number + n, issue) for n in range(8)]
    oldest_first.append(issue)
    content.stories[issue.path] = specs
    content.story_pages += sum(len(s.locales) for s in specs)
    return issue, specs


def write_changed_copy(mirror: Mirror, root: Path) -> ChangedSite:
    """A copy of ``mirror`` with ``CHANGED_STORIES`` story bodies edited, one issue added and
    another issue's table of contents reversed, written from the same plan, so that every
    page that need not change stays byte-identical (checked here)."""
    content = plan(STORY_PAGES, SEED)
    changed = pick_changed(content, CHANGED_STORIES)
    for spec in changed:
        edit_body(spec)
    pub = content.publications[2]
    old_archive = set(render_archive(pub, content.issues[pub.slug][::-1]))
    new_issue, new_stories = add_issue(content, 2)
    reordered_issue = content.issues[content.publications[5].slug][10]
    reordered = content.stories[reordered_issue.path]
    reordered.reverse()
    assert not {s.key for s in reordered} & {s.key for s in changed}
    new_archive = set(render_archive(pub, content.issues[pub.slug][::-1]))
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(mirror.root, root)
    (root / "MIRROR.json").unlink()  # not the generator's mirror any more: never reused
    changed_files: set[str] = set()
    new_files: set[str] = set()
    for relative, text in render(content).items():
        target = root / relative
        data = text.encode("utf-8")
        if not target.exists():
            new_files.add(relative)
        elif target.read_bytes() != data:
            changed_files.add(relative)
        else:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    expected_changed = {p for s in changed for p in (s.path(loc) for loc in s.locales)}
    expected_changed |= old_archive
    expected_changed |= {reordered_issue.path}
    expected_changed |= {s.path(loc) for s in reordered for loc in s.locales}
    expected_new = {new_issue.path} | (new_archive - old_archive)
    expected_new |= {s.path(loc) for s in new_stories for loc in s.locales}
    return ChangedSite(
        root=root,
        changed=changed,
        new_issue=new_issue,
        new_stories=new_stories,
        reordered=reordered,
        changed_files=frozenset(changed_files),
        new_files=frozenset(new_files),
        expected_changed_files=frozenset(expected_changed),
        expected_new_files=frozenset(expected_new),
    )


# -- crawls -------------------------------------------------------------------------------------


@dataclass
class Place:
    """Where one chain of runs keeps its state and writes its run folders."""

    out: Path
    state: Path
    logs: Path
    runs_started: int = 0

    @classmethod
    def fresh(cls, folder: Path) -> Place:
        folder.mkdir(parents=True, exist_ok=True)
        logs = folder / "logs"
        logs.mkdir(exist_ok=True)
        return cls(out=folder / "out", state=folder / "state.sqlite", logs=logs)

    def command(self, start_url: str, *extra: str) -> list[str]:
        return scrapy_command(
            "crawl",
            "issues",
            "-a",
            f"start_urls={start_url}",
            "-s",
            f"OUTPUT_DIR={self.out}",
            "-s",
            f"AGGREGATOR_STATE={self.state}",
            "-s",
            "LOG_LEVEL=INFO",
            # these runs check the exact deltas of full re-reads: every page read again, an
            # empty delta published as a folder (what a run skips: tests/state/)
            "-s",
            "AGGREGATOR_STATE_REFRESH=all",
            "-s",
            "AGGREGATOR_STATE_PUBLISH_EMPTY_ENABLED=1",
            *extra,
        )

    def next_log(self) -> Path:
        self.runs_started += 1
        return self.logs / f"run-{self.runs_started:02d}.stderr"


def environment(crash_at: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "AGGREGATOR_CRASH_AT"}
    if crash_at is not None:
        env["AGGREGATOR_CRASH_AT"] = crash_at
    return env


@dataclass
class Run:
    returncode: int
    stderr: str
    seconds: float

    @property
    def last_line(self) -> str:
        lines = self.stderr.strip().splitlines()
        return lines[-1] if lines else ""

    def tail(self) -> str:
        return self.stderr[-3000:]


class Started:
    """A ``scrapy crawl`` running in the background, its stderr in a file."""

    def __init__(self, command: list[str], log: Path, env: Mapping[str, str]) -> None:
        self.log = log
        self.began = time.monotonic()
        self._stream = log.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._stream,
            env=dict(env),
        )

    def running(self) -> bool:
        return self.process.poll() is None

    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait(self, timeout: float) -> Run:
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"scrapy crawl ran over {timeout} s:\n{self.stderr()[-3000:]}")
        return self._run()

    def kill(self) -> Run:
        """kill -9, then reap it."""
        if self.running():
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        return self._run()

    def _run(self) -> Run:
        self._stream.close()
        seconds = time.monotonic() - self.began
        returncode = self.process.returncode
        assert returncode is not None
        return Run(returncode, self.log.read_text(encoding="utf-8", errors="replace"), seconds)


def start(place: Place, start_url: str, crash_at: str | None = None) -> Started:
    return Started(place.command(start_url), place.next_log(), environment(crash_at))


def crawl(
    place: Place, start_url: str, crash_at: str | None = None, timeout: float = CRAWL_TIMEOUT
) -> Run:
    """The command, to its end; killed in any case when it overruns or the test fails."""
    started = start(place, start_url, crash_at)
    try:
        return started.wait(timeout)
    finally:
        if started.running():
            started.kill()


def wait_for_story_pages(server: SlowServer, count: int, started: Started) -> None:
    """Until the server served ``count`` story pages in all, with the crawl still running."""
    deadline = time.monotonic() + WAIT_TIMEOUT
    while not server.wait_for_story_pages(count, timeout=0.2):
        if not started.running():
            pytest.fail(
                f"the crawl ended (status {started.process.returncode}) after "
                f"{server.story_pages} story pages, before {count}:\n{started.stderr()[-3000:]}"
            )
        if time.monotonic() > deadline:
            pytest.fail(f"{server.story_pages} story pages served in {WAIT_TIMEOUT} s, not {count}")


# -- run folders ----------------------------------------------------------------------------------


@dataclass
class RunFolder:
    path: Path
    items: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.path.name

    def ids(self) -> Ids:
        return Ids(
            frozenset(r["id"] for r in self.items["articles"]),
            frozenset(r["id"] for r in self.items["teasers"]),
        )

    @property
    def count(self) -> int:
        return sum(len(records) for records in self.items.values())


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    text = path.read_text(encoding="utf-8")
    records = [json.loads(line) for line in text.splitlines()]
    assert all(isinstance(r, dict) for r in records), path
    return records


def runs_dir(place: Place) -> Path:
    return place.out / "runs"


def published_names(place: Place) -> list[str]:
    """The published run folders' names, oldest first (work in progress and latest left out)."""
    folder = runs_dir(place)
    if not folder.is_dir():
        return []
    return sorted(
        p.name
        for p in folder.iterdir()
        if not p.name.startswith(".") and p.name != "latest" and not p.is_symlink()
    )


def read_runs(place: Place) -> list[RunFolder]:
    """Every published run folder, checked for its shape: the two feeds (one JSON object a
    line, sorted by id, each id once) and stats.json naming the run."""
    folders = []
    for name in published_names(place):
        path = runs_dir(place) / name
        assert RUN_ID.match(name), f"run folder {name!r} is not named <run-id>"
        assert path.is_dir()
        for file in ("articles.jsonl", "teasers.jsonl", "stats.json"):
            assert (path / file).is_file(), f"{name}/{file} is missing"
        folder = RunFolder(path)
        for feed in FEEDS:
            records = read_jsonl(path / f"{feed}.jsonl")
            ids = [r["id"] for r in records]
            assert ids == sorted(ids), f"{name}/{feed}.jsonl is not sorted by id"
            assert len(ids) == len(set(ids)), f"{name}/{feed}.jsonl holds an id twice"
            folder.items[feed] = records
        stats = json.loads((path / "stats.json").read_text(encoding="utf-8"))
        assert isinstance(stats, dict)
        folder.stats = stats
        assert stats.get("aggregator/state/run_id") == name, "stats.json names another run"
        folders.append(folder)
    return folders


def latest(place: Place) -> str | None:
    """The name of the folder ``runs/latest`` points at; None without it."""
    link = runs_dir(place) / "latest"
    if not link.is_symlink():
        assert not link.exists(), "runs/latest is not a symlink"
        return None
    return link.resolve().name


def union(folders: list[RunFolder]) -> Ids:
    """The ids of all folders together (a changed item is in each folder it changed in)."""
    result = Ids(frozenset(), frozenset())
    for folder in folders:
        result = result | folder.ids()
    return result


def union_once(folders: list[RunFolder]) -> Ids:
    """The ids of all folders together, once checked that no id is in two folders: nothing
    changed between them, so nothing may be published twice."""
    for feed in FEEDS:
        seen = Counter(r["id"] for folder in folders for r in folder.items[feed])
        twice = {i: n for i, n in seen.items() if n > 1}
        assert not twice, f"{len(twice)} {feed} published in more than one folder: {twice}"
    return union(folders)


def assert_same_ids(got: Ids, want: Ids) -> None:
    for feed in FEEDS:
        g, w = getattr(got, feed), getattr(want, feed)
        assert g == w, (
            f"{feed}: {len(g)} published, {len(w)} expected; "
            f"{len(w - g)} missing (e.g. {sorted(w - g)[:3]}), "
            f"{len(g - w)} unexpected (e.g. {sorted(g - w)[:3]})"
        )


def assert_healthy(run: Run) -> None:
    assert run.returncode == 0, run.tail()
    assert "aggregator: healthy" in run.last_line, run.tail()


def assert_no_top_level_feeds(place: Place) -> None:
    for feed in FEEDS:
        assert not (place.out / f"{feed}.jsonl").exists(), f"OUT/{feed}.jsonl written"


def stat(folder: RunFolder, key: str) -> int:
    value = folder.stats.get(f"aggregator/state/{key}", 0)
    assert isinstance(value, int), (key, value)
    return value


# -- fixtures --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The main mirror (2,000 story pages), written once a session."""
    root = tmp_path_factory.mktemp("incremental") / "mirror"
    mirror = write_mirror(root, STORY_PAGES, SEED)
    assert mirror.story_pages == STORY_PAGES
    return Site(mirror, Ids.of_stories(all_stories(plan(STORY_PAGES, SEED))))


@pytest.fixture(scope="session")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("incremental-small") / "mirror"
    mirror = write_mirror(root, SMALL_STORY_PAGES, SEED)
    return Site(mirror, Ids.of_stories(all_stories(plan(SMALL_STORY_PAGES, SEED))))


@pytest.fixture(scope="session")
def changed_site(site: Site, tmp_path_factory: pytest.TempPathFactory) -> ChangedSite:
    return write_changed_copy(site.mirror, tmp_path_factory.mktemp("incremental") / "changed")


@pytest.fixture(scope="module")
def server(site: Site) -> Iterator[SlowServer]:
    """The chain's server: one port for the whole chain (``issue_url`` and teaser ``url``
    hold it)."""
    with serve(site.mirror.root, story_delay=STORY_DELAY) as running:
        yield running


@dataclass
class Step:
    """One run of the chain, and the published run folders right after it."""

    run: Run
    folders: list[RunFolder]
    latest: str | None
    story_pages_served: int


@dataclass
class Chain:
    place: Place
    start_url: str
    steps: list[Step] = field(default_factory=list)

    def step(self, server: SlowServer) -> Step:
        before = server.story_pages
        run = crawl(self.place, self.start_url)
        done = Step(run, read_runs(self.place), latest(self.place), server.story_pages - before)
        self.steps.append(done)
        return done


@pytest.fixture(scope="module")
def chain(server: SlowServer, tmp_path_factory: pytest.TempPathFactory) -> Chain:
    place = Place.fresh(tmp_path_factory.mktemp("chain"))
    return Chain(place, server.url_for("index.html"))


@pytest.fixture(scope="module")
def clean_run(chain: Chain, server: SlowServer) -> Step:
    """The chain's first run, on a fresh state file."""
    assert not chain.steps
    return chain.step(server)


@pytest.fixture(scope="module")
def repeat_run(clean_run: Step, chain: Chain, server: SlowServer) -> Step:
    """The same command right after the clean run finished, nothing changed."""
    assert chain.steps[-1] is clean_run
    return chain.step(server)


@pytest.fixture(scope="module")
def changed_run(
    repeat_run: Step, chain: Chain, server: SlowServer, changed_site: ChangedSite, site: Site
) -> Step:
    """The same command over the changed copy (same URL: the server's folder is swapped)."""
    assert chain.steps[-1] is repeat_run
    server.root = changed_site.root
    try:
        return chain.step(server)
    finally:
        server.root = site.mirror.root


# -- the test tools themselves (these pass on today's code) ---------------------------------------


def fetch(url: str, timeout: float = 10.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return int(response.status), bytes(response.read())
    except urllib.error.HTTPError as error:
        return int(error.code), b""


def test_the_slow_server_counts_holds_and_refuses(tmp_path: Path) -> None:
    (tmp_path / "stories").mkdir()
    (tmp_path / "stories" / "a.html").write_text("<p>a</p>")
    (tmp_path / "index.html").write_text("<p>index</p>")
    with serve(tmp_path, story_delay=0.02, max_requests=6) as server:
        assert server.url.startswith(f"http://{HOST}:")
        assert fetch(server.url_for("index.html")) == (200, b"<p>index</p>")
        began = time.monotonic()
        assert fetch(server.url_for("stories/a.html")) == (200, b"<p>a</p>")
        assert time.monotonic() - began >= 0.02
        assert fetch(server.url_for("stories/none.html"))[0] == 404  # not counted
        assert (server.story_pages, server.requests) == (1, 3)
        assert server.wait_for_story_pages(1, timeout=1)
        assert not server.wait_for_story_pages(2, timeout=0.1)
        event = server.story_pages_event(2)
        server.hold_story_pages()
        answers: list[tuple[int, bytes]] = []

        def held_request() -> None:
            answers.append(fetch(server.url_for("stories/a.html")))

        held = threading.Thread(target=held_request)
        held.start()
        assert not event.wait(0.3) and not answers  # held: not answered
        server.release_story_pages()
        assert event.wait(5)
        held.join(5)
        assert answers == [(200, b"<p>a</p>")] and server.story_pages == 2
        assert fetch(server.url_for("index.html"))[0] == 200  # request 5
        assert fetch(server.url_for("index.html"))[0] == 200  # request 6: the last one
        assert fetch(server.url_for("index.html"))[0] == 503  # over max_requests
        assert server.refused == 1
    with serve(tmp_path, max_seconds=0.3) as server:
        url = server.url_for("index.html")
        assert fetch(url)[0] == 200
        time.sleep(0.6)
        with pytest.raises(OSError):
            fetch(url, timeout=2)  # stopped by itself: connection refused


def test_a_plain_crawl_reads_every_story_of_the_plan(
    site: Site, server: SlowServer, tmp_path: Path
) -> None:
    """Without a state file: the top-level feeds hold exactly the ids derived from the plan
    (so the derivation the incremental tests rely on is the crawler's)."""
    before = server.story_pages
    out = tmp_path / "out"
    command = scrapy_command(
        "crawl", "issues",
        "-a", f"start_urls={server.url_for('index.html')}", "-s", f"OUTPUT_DIR={out}",
    )  # fmt: skip
    done = subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=CRAWL_TIMEOUT,
        check=False,
        env=environment(),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert server.story_pages - before == STORY_PAGES  # each story page once
    got = Ids(
        frozenset(r["id"] for r in read_jsonl(out / "articles.jsonl")),
        frozenset(r["id"] for r in read_jsonl(out / "teasers.jsonl")),
    )
    assert_same_ids(got, site.ids)
    assert len(site.ids.articles) == len(site.ids.teasers) == STORY_PAGES
    assert not (out / "runs").exists()


def test_the_changed_copy_differs_only_where_the_delta_says(
    site: Site, changed_site: ChangedSite
) -> None:
    assert changed_site.changed_files == changed_site.expected_changed_files
    assert changed_site.new_files == changed_site.expected_new_files
    stories = [p for p in changed_site.changed_files if "/stories/" in f"/{p}"]
    assert len(stories) == CHANGED_STORIES + len(changed_site.reordered)
    assert len({s.layout for s in changed_site.changed}) == 4  # every way of reading a body
    for spec in changed_site.changed:
        (locale,) = spec.locales
        page = Selector(text=(changed_site.root / spec.path(locale)).read_text("utf-8"))
        sentence = CORRECTION.format(key=spec.key)
        # printed once among the body paragraphs, and in the JSON-LD articleBody if any
        paragraphs = [" ".join(p.css("::text").getall()) for p in page.css("p")]
        assert paragraphs.count(sentence) == 1, spec.layout
        for payload in page.css('script[type="application/ld+json"]::text').getall():
            data = json.loads(payload)
            if "articleBody" in data:
                assert sentence in data["articleBody"].split("\n\n"), spec.layout
    # the new issue is linked from archive page 1 of its publication
    pub = changed_site.new_issue.publication
    archive = (changed_site.root / pub.archive_path(1)).read_text(encoding="utf-8")
    assert changed_site.new_issue.path in archive
    new = Ids.of_stories(changed_site.new_stories)
    assert not (new.articles | new.teasers) & (site.ids.articles | site.ids.teasers)


# -- a clean run, an empty delta, a delta of changes ----------------------------------------------


def test_a_clean_incremental_run_publishes_everything_in_one_folder(
    clean_run: Step, chain: Chain, site: Site
) -> None:
    assert_healthy(clean_run.run)
    assert len(clean_run.folders) == 1, [f.name for f in clean_run.folders]
    (folder,) = clean_run.folders
    assert_same_ids(folder.ids(), site.ids)
    assert clean_run.latest == folder.name
    assert_no_top_level_feeds(chain.place)
    assert clean_run.story_pages_served == STORY_PAGES
    assert (stat(folder, "new"), stat(folder, "changed")) == (site.ids.count, 0)
    assert (stat(folder, "unchanged"), stat(folder, "resumed_pages")) == (0, 0)


def test_a_run_right_after_a_finished_one_publishes_an_empty_delta(
    clean_run: Step, repeat_run: Step, chain: Chain, site: Site
) -> None:
    assert_healthy(repeat_run.run)
    names = [f.name for f in repeat_run.folders]
    assert len(names) == 2 and names[0] == clean_run.folders[0].name, names
    newest = repeat_run.folders[-1]
    for feed in FEEDS:
        assert (newest.path / f"{feed}.jsonl").read_bytes() == b"", f"{feed} not empty"
    assert repeat_run.latest == newest.name
    assert (stat(newest, "new"), stat(newest, "changed")) == (0, 0)
    assert stat(newest, "unchanged") == site.ids.count
    assert_same_ids(union_once(repeat_run.folders), site.ids)
    assert_no_top_level_feeds(chain.place)


def test_changed_stories_and_a_new_issue_are_the_next_delta(
    repeat_run: Step, changed_run: Step, changed_site: ChangedSite, site: Site
) -> None:
    assert_healthy(changed_run.run)
    before = [f.name for f in repeat_run.folders]
    assert [f.name for f in changed_run.folders][:-1] == before
    assert len(changed_run.folders) == len(before) + 1
    delta = changed_run.folders[-1]
    assert changed_run.latest == delta.name
    assert_same_ids(delta.ids(), changed_site.delta)
    assert len(changed_site.delta.articles) == CHANGED_STORIES + len(changed_site.new_stories)
    assert len(changed_site.delta.teasers) == len(changed_site.new_stories)
    # the changed articles carry the edit
    bodies = {a["id"]: a["body"] for a in delta.items["articles"]}
    for spec in changed_site.changed:
        assert CORRECTION.format(key=spec.key) in bodies[article_id(spec.canonical_url)]
    new_items = Ids.of_stories(changed_site.new_stories).count
    assert (stat(delta, "new"), stat(delta, "changed")) == (new_items, CHANGED_STORIES)
    assert stat(delta, "unchanged") == site.ids.count - CHANGED_STORIES
    # every item of the changed site was published, and only the K changed articles twice
    assert_same_ids(union(changed_run.folders), site.ids | Ids.of_stories(changed_site.new_stories))
    twice = Counter(a["id"] for f in changed_run.folders for a in f.items["articles"])
    assert {i for i, n in twice.items() if n > 1} == Ids.of_stories(changed_site.changed).articles


# -- resumption after kill -9 ----------------------------------------------------------------------


def test_kill_9_at_counted_points_then_the_same_command_publishes_everything_once(
    site: Site, tmp_path: Path
) -> None:
    place = Place.fresh(tmp_path)
    with serve(site.mirror.root, story_delay=STORY_DELAY) as server:
        url = server.url_for("index.html")
        for count in KILL_AT:
            started = start(place, url)
            try:
                wait_for_story_pages(server, count, started)
            finally:
                killed = started.kill()
            assert killed.returncode == -signal.SIGKILL, killed.tail()
            assert published_names(place) == [], "a killed run published a folder"
        before = server.story_pages
        final = crawl(place, url)
        served = server.story_pages - before
    assert_healthy(final)
    folders = read_runs(place)
    # the finished run's folder holds the interrupted runs' items as well
    assert len(folders) == 1, [f.name for f in folders]
    assert_same_ids(union_once(folders), site.ids)
    assert latest(place) == folders[0].name
    assert_no_top_level_feeds(place)
    # story pages already staged were not fetched again; every other one was, once
    resumed = stat(folders[0], "resumed_pages")
    assert resumed > 0
    assert served + resumed == STORY_PAGES, (served, resumed)


# -- crash safety ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "point",
    [
        f"staged:{STAGED_CRASH_AT}",
        "folder_written",
        "folder_renamed",
        "latest_updated",
        "published",
    ],
)
def test_a_crash_at_each_point_then_a_rerun_publishes_everything_once(
    point: str, small_site: Site, tmp_path: Path
) -> None:
    place = Place.fresh(tmp_path)
    with serve(small_site.mirror.root, story_delay=STORY_DELAY) as server:
        url = server.url_for("index.html")
        crashed = crawl(place, url, crash_at=point)
        assert crashed.returncode == CRASH_STATUS, crashed.tail()
        after_crash = read_runs(place)
        # what the contract says is on disk at each point
        if point.startswith("staged:") or point == "folder_written":
            assert after_crash == [] and latest(place) is None
        elif point == "folder_renamed":
            assert len(after_crash) == 1 and latest(place) is None
        else:  # latest_updated, published
            assert len(after_crash) == 1 and latest(place) == after_crash[0].name
        if after_crash:
            assert_same_ids(after_crash[0].ids(), small_site.ids)
        rerun = crawl(place, url)
    assert_healthy(rerun)
    folders = read_runs(place)
    assert folders, "the rerun published no run folder"
    assert_same_ids(union_once(folders), small_site.ids)
    assert latest(place) == folders[-1].name
    assert_no_top_level_feeds(place)


# -- one run at a time per state file --------------------------------------------------------------


def test_a_second_run_on_the_same_state_file_exits_3_at_once(site: Site, tmp_path: Path) -> None:
    place = Place.fresh(tmp_path)
    with serve(site.mirror.root, story_delay=STORY_DELAY) as server:
        url = server.url_for("index.html")
        first = start(place, url)
        try:
            wait_for_story_pages(server, 20, first)
            server.hold_story_pages()  # the first run cannot finish while the second runs
            published = published_names(place)
            second = crawl(place, url, timeout=120)
            assert first.running(), "the first run ended: the lock was not tested"
        finally:
            first.kill()
            server.release_story_pages()
    assert second.returncode == LOCK_STATUS, second.tail()
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1, second.stderr
    assert "state file" in lines[0] and "another run" in lines[0], lines[0]
    assert second.seconds < 60, f"the second run took {second.seconds:.1f} s to give up"
    assert published_names(place) == published  # the refused run published nothing
