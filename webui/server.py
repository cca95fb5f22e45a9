"""Serve the app with waitress (never Flask's debug server) for `artikelsuche serve`."""

from __future__ import annotations

import os
import sys

from waitress.server import create_server

from webui import create_app


def serve(
    index_dir: str | os.PathLike | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    threads: int = 8,
) -> None:
    """Run until interrupted; print the URL once listening (port 0 picks a free port)."""
    app = create_app({"INDEX_DIR": index_dir})
    server = create_server(app, host=host, port=port, threads=threads, ident="Artikelsuche")
    shown_host = f"[{host}]" if ":" in host else host
    print(f"Artikelsuche läuft auf http://{shown_host}:{server.effective_port}/", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        print("Artikelsuche beendet.", file=sys.stderr)
    finally:
        server.close()
