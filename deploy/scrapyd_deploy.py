"""``scrapyd-deploy`` for this project, from a staged copy, with the prompt catalogs in the egg.

Run it with the Python of an environment that has scrapyd-client (and setuptools):

    /opt/scrapyd/bin/python deploy/scrapyd_deploy.py                  # build, deploy to [deploy]
    /opt/scrapyd/bin/python deploy/scrapyd_deploy.py --build-egg aggregator.egg   # build only

Any other argument is scrapyd-deploy's (a target name, ``-p``, ``--version``). Plain
``scrapyd-deploy`` in the checkout would not do: it writes a ``setup.py`` (and ``build/``)
into the checkout, its ``setup.py`` lists no package data (the egg would lack
``aggregator/prompts/strings/*.toml``), and beside ``pyproject.toml`` setuptools warns that
it ignores the entry point scrapyd needs (the ``[project]`` table does not declare it). So
this script copies ``aggregator/`` and
``scrapy.cfg`` into a temporary folder, writes a ``setup.py`` there from ``pyproject.toml``
(name, version, packages, package data) and ``scrapy.cfg`` (the settings module), builds the
egg with ``scrapyd-deploy --build-egg``, checks it holds the entry point and every data file,
and then deploys it (``scrapyd-deploy --egg``) unless only the egg was asked for.
The checkout is only read.
"""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "aggregator"

SETUP_PY = """\
# written by deploy/scrapyd_deploy.py into a staged copy of the project
from setuptools import find_packages, setup

setup(
    name={name!r},
    version={version!r},
    packages=find_packages(include={include!r}),
    package_data={package_data!r},
    entry_points={{"scrapy": ["settings = {settings}"]}},
)
"""


def settings_module(root: Path = ROOT) -> str:
    """The project's settings module, from scrapy.cfg's ``[settings] default``."""
    config = configparser.ConfigParser(interpolation=None)
    config.read(root / "scrapy.cfg", encoding="utf-8")
    return config.get("settings", "default")


def package_data(root: Path = ROOT) -> dict[str, list[str]]:
    """``[tool.setuptools.package-data]`` of pyproject.toml."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    data: dict[str, list[str]] = project["tool"]["setuptools"]["package-data"]
    return data


def setup_py(root: Path = ROOT) -> str:
    """The ``setup.py`` of the staged copy."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    include = project["tool"]["setuptools"]["packages"]["find"]["include"]
    return SETUP_PY.format(
        name=project["project"]["name"],
        version=project["project"]["version"],
        include=include,
        package_data=package_data(root),
        settings=settings_module(root),
    )


def stage(into: Path, root: Path = ROOT) -> Path:
    """Copy the package and scrapy.cfg into ``into``, with the ``setup.py`` to build from."""
    shutil.copytree(
        root / PACKAGE,
        into / PACKAGE,
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    shutil.copy2(root / "scrapy.cfg", into / "scrapy.cfg")
    (into / "setup.py").write_text(setup_py(root), encoding="utf-8")
    return into


def expected_files(root: Path = ROOT) -> list[str]:
    """The data files the egg must hold, as paths inside the egg."""
    files: list[str] = []
    for package, patterns in package_data(root).items():
        folder = root.joinpath(*package.split("."))
        for pattern in patterns:
            files += sorted(path.relative_to(root).as_posix() for path in folder.glob(pattern))
    return files


def check_egg(egg: Path, root: Path = ROOT) -> list[str]:
    """What is wrong with ``egg``: a missing entry point or data file (empty when good)."""
    problems: list[str] = []
    with zipfile.ZipFile(egg) as archive:
        names = set(archive.namelist())
        entry_points = configparser.ConfigParser(interpolation=None)
        if "EGG-INFO/entry_points.txt" in names:
            entry_points.read_string(archive.read("EGG-INFO/entry_points.txt").decode())
    want = settings_module(root)
    if entry_points.get("scrapy", "settings", fallback=None) != want:
        problems.append(f"no entry point [scrapy] settings = {want}")
    problems += [f"no data file {name}" for name in expected_files(root) if name not in names]
    return problems


def build_egg(egg: Path, root: Path = ROOT, python: str = sys.executable) -> Path:
    """Build the project's egg into ``egg`` with scrapyd-deploy, from a staged copy."""
    egg = egg.resolve()
    with tempfile.TemporaryDirectory(prefix="aggregator-egg-") as folder:
        staged = stage(Path(folder), root)
        done = subprocess.run(
            [python, "-m", "scrapyd_client.deploy", f"--build-egg={egg}"],
            cwd=staged,
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"scrapyd-deploy --build-egg failed:\n{done.stdout}{done.stderr}")
    problems = check_egg(egg, root)
    if problems:
        raise RuntimeError(f"{egg}: {'; '.join(problems)}")
    return egg


def _option(arguments: list[str], name: str) -> tuple[list[str], str | None]:
    """``arguments`` without ``name VALUE`` / ``name=VALUE``, and the value."""
    rest: list[str] = []
    value: str | None = None
    items = iter(arguments)
    for argument in items:
        if argument == name:
            value = next(items, None)
        elif argument.startswith(f"{name}="):
            value = argument.partition("=")[2]
        else:
            rest.append(argument)
    return rest, value


def main(arguments: list[str]) -> int:
    if any(a in ("-h", "--help") for a in arguments):
        print(__doc__)
        return 0
    arguments, only_egg = _option(arguments, "--build-egg")
    arguments, given_egg = _option(arguments, "--egg")
    try:
        if only_egg is not None:
            egg = build_egg(Path(only_egg))
            print(f"{egg}: built", file=sys.stderr)
            return 0
        with tempfile.TemporaryDirectory(prefix="aggregator-egg-") as folder:
            egg = Path(given_egg).resolve() if given_egg else build_egg(Path(folder) / "a.egg")
            staged = Path(folder) / "project"
            staged.mkdir()
            shutil.copy2(ROOT / "scrapy.cfg", staged / "scrapy.cfg")
            command = [sys.executable, "-m", "scrapyd_client.deploy", f"--egg={egg}", *arguments]
            return subprocess.call(command, cwd=staged)
    except RuntimeError as error:
        print(f"deploy/scrapyd_deploy.py: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
