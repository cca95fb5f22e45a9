"""The real server: `python -m indexer serve` with waitress, over HTTP, under load."""

from __future__ import annotations

import json
import os
import signal
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from tests.processes import alive, children
from tests.webui.ui_support import running_server

QUERIES = ["Ukraine", "Soldaten", "Trump -Selenskyj", '"seltene Erden"', "Sicherheits*", ""]


def fetch(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, dict(exc.headers), exc.read()


def test_serves_pages_and_json_over_http(live_server: str) -> None:
    status, headers, body = fetch(live_server + "/search?q=Ukraine")
    assert status == 200
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert headers["Server"] == "Artikelsuche"
    status, headers, body = fetch(live_server + "/api/search?q=x&since=kaputt")
    assert status == 400 and json.loads(body)["error"]["status"] == 400


def test_parallel_requests_share_one_index(live_server: str) -> None:
    urls = [f"{live_server}/api/search?q={q}" for q in ("Ukraine", "Trump", "Kursk")] * 10
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(fetch, urls))
    assert {status for status, _, _ in results} == {200}
    ukraine = [json.loads(body)["total"] for _, _, body in results[::3]]
    assert len(set(ukraine)) == 1 and ukraine[0] > 10


def test_the_server_answers_as_the_app_does(client, live_server: str) -> None:
    """Over HTTP (waitress, worker processes) the same hits as in-process; no timing."""
    for q in QUERIES:
        path = "/api/search?" + urllib.parse.urlencode({"q": q})
        status, _, body = fetch(live_server + path)
        local = client.get(path)
        assert status == local.status_code == 200, q
        over_http, in_process = json.loads(body), local.get_json()
        assert over_http["total"] == in_process["total"], q
        assert [h["id"] for h in over_http["hits"]] == [h["id"] for h in in_process["hits"]], q
        html = fetch(live_server + "/search?" + urllib.parse.urlencode({"q": q}))
        assert html[0] == 200, q


def _wait_for(condition, timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def test_workers_share_the_port_and_a_dead_one_is_replaced(sample_index_dir) -> None:
    procs: list = []
    with running_server(sample_index_dir, "--workers", "2", procs=procs) as base:
        parent = procs[0].pid
        assert _wait_for(lambda: len(children(parent)) == 2)
        first = min(children(parent))
        os.kill(first, signal.SIGKILL)
        assert _wait_for(lambda: len(children(parent) - {first}) == 2)
        answers = [fetch(base + "/api/search?q=Ukraine")[0] for _ in range(20)]
        assert answers == [200] * 20
        workers = children(parent)
    assert _wait_for(lambda: not any(alive(pid) for pid in workers))  # stopped with it


def test_workers_stop_when_the_parent_is_killed(sample_index_dir) -> None:
    procs: list = []
    with running_server(sample_index_dir, "--workers", "2", procs=procs):
        parent = procs[0].pid
        assert _wait_for(lambda: len(children(parent)) == 2)
        workers = children(parent)
        os.kill(parent, signal.SIGKILL)
        assert _wait_for(lambda: not any(alive(pid) for pid in workers))
