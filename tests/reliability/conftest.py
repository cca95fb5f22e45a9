"""Fixtures of the fault-injection tests, and the table of injections printed at the end.

CI mode (plain `pytest`): each fault a few times. Long mode: `RELIABILITY_REPEAT=20
pytest tests/reliability` injects each fault at least 20 times (hypothesis: 20x the
examples, or $RELIABILITY_EXAMPLES). Set $RELIABILITY_REPORT to a file to get the
table as JSON too.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.reliability.support import BUNDESTAG_GZ, FaultCount, Tally, bundestag_records

TALLY = Tally()


@pytest.fixture(scope="session")
def tally() -> Tally:
    """The session's count of injected faults and of runs that lost something."""
    return TALLY


@pytest.fixture(scope="session")
def speeches() -> list[dict]:
    """The first 400 real Bundestag speeches (a few seconds of indexing for 300)."""
    if not BUNDESTAG_GZ.exists():
        pytest.skip(f"needs the shared corpus {BUNDESTAG_GZ}")
    return bundestag_records(400)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "fault(name): count this test as one injection of the named fault"
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """A test marked fault(name) is one injection; it lost something if it failed."""
    outcome = yield
    report = outcome.get_result()
    marker = item.get_closest_marker("fault")
    if marker is None or report.when != "call" or report.skipped:
        return
    count = TALLY.faults.setdefault(marker.args[0], FaultCount())
    count.injected += 1
    if report.failed:
        count.failed += 1
        count.lost += "DataLost" in str(report.longrepr)
        count.failures.append(f"{item.name}: {str(report.longrepr)[-2000:]}")


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if not TALLY.faults:
        return
    mode = os.environ.get("RELIABILITY_REPEAT") or "CI"
    terminalreporter.section(f"fault injections (RELIABILITY_REPEAT={mode})")
    terminalreporter.write_line(TALLY.table())
    target = os.environ.get("RELIABILITY_REPORT")
    if target:
        data = {fault: {"injected": c.injected, "failed": c.failed, "lost": c.lost,
                        "failures": c.failures}
                for fault, c in sorted(TALLY.faults.items())}
        Path(target).write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
