"""One error path: JSON `{"error": {"status", "message"}}` under /api/, an HTML page elsewhere."""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from indexer import IndexDamaged, IndexMissing, QueryError

TITLES = {
    400: "Diese Suche lässt sich so nicht ausführen",
    404: "Nicht gefunden",
    405: "Methode nicht erlaubt",
    500: "Interner Fehler",
    503: "Der Suchindex ist nicht verfügbar",
}
MESSAGES = {
    404: "Diese Seite gibt es nicht. Vielleicht hilft eine Suche weiter.",
    405: "Diese Adresse kann nur gelesen werden.",
    500: "Beim Bearbeiten der Anfrage ist ein Fehler aufgetreten. Bitte später erneut versuchen.",
}


def error_response(status: int, message: str, headers: list | None = None) -> Response:
    """Render an error as JSON for API paths and as an HTML page for everything else."""
    if request.path.startswith("/api/"):
        response = jsonify({"error": {"status": status, "message": message}})
    else:
        title = TITLES.get(status, "Fehler")
        response = current_app.make_response(
            render_template(
                "error.html", status=status, title=title, message=message,
                query=request.args.get("q", ""), json_url=_json_twin(),
            )
        )
    response.status_code = status
    response.headers.extend(headers or [])
    return response


def _json_twin() -> str | None:
    """The API address answering the same request (with the same error), if there is one."""
    if request.endpoint in ("pages.search", "pages.article"):
        return "/api" + request.full_path.rstrip("?")
    return None


def _http_error(exc: HTTPException) -> Response:
    """404, 405 and aborts: keep a custom description, else say it in German."""
    code = exc.code or 500
    custom = exc.description != type(exc).description
    message = exc.description if custom else MESSAGES.get(code, exc.name)
    headers = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
    return error_response(code, message or exc.name, headers)


def _unexpected(exc: Exception) -> Response:
    """Log the traceback for the operator; show the user a calm 500."""
    current_app.logger.exception("unhandled error on %s", request.path)
    return error_response(500, MESSAGES[500])


def init_app(app: Flask) -> None:
    """Register the handlers: bad parameters 400, no index 503, HTTP errors, then the rest."""
    app.register_error_handler(QueryError, lambda exc: error_response(400, str(exc)))
    app.register_error_handler(IndexMissing, lambda exc: error_response(503, str(exc)))
    app.register_error_handler(IndexDamaged, lambda exc: error_response(503, str(exc)))
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
