"""The `artikelsuche` command line, run through click's runner on real indexes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from indexer.cli import cli
from tests.paths import SAMPLE_CORPUS

COMMANDS = ["index", "search", "stats", "serve"]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented_with_an_example(runner, command):
    result = runner.invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Example: artikelsuche " + command in result.output


def test_index_then_search_json(runner, tmp_path):
    index_dir = str(tmp_path / "ix")
    built = runner.invoke(cli, ["index", str(SAMPLE_CORPUS), "--index", index_dir])
    assert built.exit_code == 0, built.output
    assert "2 articles, 16 paragraphs (2 added, 0 updated, 0 removed" in built.output
    found = runner.invoke(cli, ["search", "Pufferzone", "--index", index_dir, "--json"])
    data = json.loads(found.output)
    assert list(data) == ["query", "total", "page", "took_ms", "suggestion", "hits"]
    assert data["total"] == 1 and data["hits"][0]["id"] == "000_ab060a02463f3657#12"
    assert "<mark>Pufferzone</mark>" in data["hits"][0]["snippet"]


def test_search_text_output_and_filters(runner, sample_index_dir):
    result = runner.invoke(
        cli, ["search", "Soldaten", "--index", str(sample_index_dir), "--source", "afp",
              "--since", "2025-02", "--sort", "date", "--limit", "1", "--page", "2"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("2 paragraphs match")
    assert "page 2 of 2" in result.output


def test_environment_variable_names_the_index(runner, sample_index_dir):
    result = runner.invoke(cli, ["stats"], env={"ARTIKELSUCHE_INDEX": str(sample_index_dir)})
    assert result.exit_code == 0
    assert "paragraphs  16" in result.output


def test_missing_index_is_a_one_line_error(runner, tmp_path):
    result = runner.invoke(cli, ["search", "Trump", "--index", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0
    assert "artikelsuche index CORPUS" in result.output


def test_bad_date_is_a_one_line_error(runner, sample_index_dir):
    args = ["search", "x", "--index", str(sample_index_dir), "--since", "bald"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1 and "invalid date" in result.output


def test_python_dash_m_runs_the_same_cli(sample_index_dir):
    out = subprocess.run(
        [sys.executable, "-m", "indexer", "search", "Graiworon", "--json",
         "--index", str(sample_index_dir)],
        capture_output=True, text=True, check=True,
    )
    assert json.loads(out.stdout)["total"] == 1
