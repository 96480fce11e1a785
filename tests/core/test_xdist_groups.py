"""`--dist loadgroup` keeps the tests of one `xdist_group` on one worker (tests/xdist_groups.py
makes it so on pytest 9.2, where pytest-xdist's own grouping is silently lost)."""

import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

GROUPED = """
import os
import pytest


@pytest.mark.parametrize("n", range(8))
@pytest.mark.xdist_group("{group}")
def test_grouped(n):
    with open(os.environ["WORKERS_LOG"], "a") as log:
        log.write("{group} " + os.environ["PYTEST_XDIST_WORKER"] + "\\n")
"""


def test_the_tests_of_a_group_run_on_one_worker(tmp_path):
    """Two groups of eight tests over two workers: each group runs whole on one worker (the
    demo is loaded once, a matrix type's rows made once)."""
    for group in ("first", "second"):
        (tmp_path / f"test_{group}.py").write_text(GROUPED.format(group=group))
    log = tmp_path / "workers.log"
    env = {**os.environ, "WORKERS_LOG": str(log), "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-q"]
    plugins = ["-p", "no:django", "-p", "no:cacheprovider", "-p", "tests.xdist_groups"]
    result = subprocess.run(
        [*command, *plugins, str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    workers = defaultdict(list)
    for line in log.read_text().splitlines():
        group, worker = line.split()
        workers[group].append(worker)
    assert {group: len(ran) for group, ran in workers.items()} == {"first": 8, "second": 8}
    assert all(len(set(ran)) == 1 for ran in workers.values()), dict(workers)
