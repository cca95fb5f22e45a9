"""The `artikelsuche` command line: a thin click layer over the indexer API."""

from __future__ import annotations

import html
import json
import re
import sys

import click

from indexer.build import BuildSummary, build_index
from indexer.errors import ArtikelsucheError
from indexer.results import SearchResult
from indexer.search import SORTS, SearchIndex

INDEX_OPTION = click.option(
    "--index",
    "index_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Index directory (default: $ARTIKELSUCHE_INDEX or ./index_data).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="artikelsuche")
def cli() -> None:
    """Artikelsuche: German-aware full-text search over news articles."""


@cli.command()
@click.argument("corpus", type=click.Path(exists=True, file_okay=False))
@INDEX_OPTION
@click.option("--rebuild", is_flag=True, help="Start a fresh index instead of updating.")
@click.option("--wait", type=float, default=0.0, help="Seconds to wait for another indexer.")
@click.option("--processes", type=click.IntRange(min=1), default=None,
              help="Processes that index at once (default: the number of CPUs, at most 4).")
def index(corpus: str, index_dir: str | None, rebuild: bool, wait: float,
          processes: int | None) -> None:
    """Index (or update the index of) the articles in CORPUS.

    Only new and changed files are read; articles whose files are gone are
    removed. An interrupted run leaves the previous index intact.

    Example: artikelsuche index ../shared/corpus --index index_data
    """
    with _Progress() as progress:
        summary = _run(
            build_index, corpus, index_dir, rebuild=rebuild, progress=progress, wait=wait,
            processes=processes,
        )
    _print_summary(summary)


@cli.command()
@click.argument("query")
@INDEX_OPTION
@click.option("--limit", type=int, default=10, show_default=True, help="Hits per page.")
@click.option("--page", type=int, default=1, show_default=True, help="Page number.")
@click.option("--source", default=None, help="Only paragraphs from this source (e.g. dpa).")
@click.option("--since", default=None, help="Only articles dated on or after YYYY[-MM[-DD]].")
@click.option("--until", default=None, help="Only articles dated on or before YYYY[-MM[-DD]].")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def search(query: str, index_dir: str | None, as_json: bool, **params) -> None:
    """Search the index for QUERY (Whoosh syntax: AND OR NOT -word "phrase" prefix*).

    Example: artikelsuche search 'Sicherheitsgarantien -Trump' --source dpa
    """
    ix = _run(SearchIndex.open, index_dir)
    result = _run(ix.search, query, **params)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        _print_result(result)


@cli.command()
@INDEX_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def stats(index_dir: str | None, as_json: bool) -> None:
    """Show counts, sources, date range and size of the index.

    Example: artikelsuche stats --index index_data
    """
    data = _run(lambda: SearchIndex.open(index_dir).stats())
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    click.echo(f"index       {data['index']}")
    click.echo(f"articles    {data['articles']:,}")
    click.echo(f"paragraphs  {data['paragraphs']:,}")
    click.echo(f"dates       {data['date_from'] or '-'} .. {data['date_to'] or '-'}")
    click.echo(f"size        {data['size_bytes'] / 1e6:.1f} MB")
    click.echo("sources")
    for item in data["sources"]:
        click.echo(f"  {item['count']:>9,}  {item['value']}")


@cli.command()
@INDEX_OPTION
@click.option("--corpus", type=click.Path(exists=True, file_okay=False), default=None,
              help="Bring the index up to date with this folder before serving.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--threads", type=int, default=4, show_default=True,
              help="Threads per process (more only add contention for Python's lock).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes serving the port (default: the number of CPUs, at most 4).")
def serve(index_dir: str | None, corpus: str | None, host: str, port: int, threads: int,
          workers: int | None) -> None:
    """Serve the web UI and JSON API with waitress.

    Example: artikelsuche serve --corpus ../shared/corpus --port 8000
    """
    # Imported here so that the indexer package itself never needs Flask.
    from webui.server import DEFAULT_WORKERS
    from webui.server import serve as serve_app

    if corpus:
        with _Progress() as progress:
            summary = _run(build_index, corpus, index_dir, progress=progress)
        _print_summary(summary)
    serve_app(index_dir=index_dir, host=host, port=port, threads=threads,
              workers=workers or DEFAULT_WORKERS)


def _run(func, *args, **kwargs):
    """Call into the library, turning its errors into one-line CLI errors."""
    try:
        return func(*args, **kwargs)
    except ArtikelsucheError as exc:
        raise click.ClickException(str(exc)) from None


class _Progress:
    """A progress bar over corpus files that also counts paragraphs written."""

    def __init__(self) -> None:
        self.bar = None
        self.paragraphs = 0

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.render_finish()

    def __call__(self, done: int, total: int, paragraphs: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(
                length=total, label="Indexing", file=sys.stderr,
                item_show_func=lambda _: f"{self.paragraphs:,} articles written",
            )
        self.paragraphs = paragraphs
        self.bar.update(done - self.bar.pos)


def _print_summary(s: BuildSummary) -> None:
    click.echo(
        f"{'Built' if s.rebuilt else 'Updated'} {s.index_dir}: {s.articles:,} articles, "
        f"{s.paragraphs:,} paragraphs ({s.added:,} added, {s.updated:,} updated, "
        f"{s.removed:,} removed, {s.unchanged_files:,} files unchanged) in {s.seconds:.1f} s"
    )
    for path, reason in s.skipped:
        click.echo(f"  skipped {path}: {reason}")
    for path, message in s.warnings:
        click.echo(f"  warning {path}: {message}")


_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def _print_result(r: SearchResult) -> None:
    click.echo(f"{r.total:,} paragraphs match ({r.took_ms:.1f} ms), page {r.page} of {r.pages}")
    if r.suggestion:
        click.echo(f"Meinten Sie: {r.suggestion}")
    for n, hit in enumerate(r.hits, start=(r.page - 1) * r.limit + 1):
        meta = " · ".join(x for x in (hit.date, hit.source, hit.section) if x)
        click.echo()
        click.echo(f"{n}. " + click.style(hit.title or hit.article_id, bold=True) + f"  [{meta}]")
        snippet = _MARK.sub(lambda m: click.style(m.group(1), fg="yellow", bold=True), hit.snippet)
        click.echo("   " + html.unescape(snippet))
        click.echo(click.style(f"   {hit.id}  score {hit.score:.2f}", dim=True))


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="artikelsuche")
