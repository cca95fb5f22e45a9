"""Artikelsuche's web UI: a Flask app over the indexer's search API.

>>> app = create_app({"INDEX_DIR": "index_data"})   # doctest: +SKIP

`flask --app webui run` serves it for development; `artikelsuche serve` with waitress.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask

from webui import api, errors, resource, security, views
from webui.templating import init_templates


def create_app(config: Mapping[str, object] | None = None) -> Flask:
    """Build the app: defaults, then `config`; nothing is opened until a request needs it."""
    app = Flask(__name__)
    app.config.from_mapping(
        INDEX_DIR=None,  # None: $ARTIKELSUCHE_INDEX or ./index_data
        INDEX_RETRY_SECONDS=1.0,
    )
    if config:
        app.config.from_mapping(config)
    app.json.ensure_ascii = False  # readable German in JSON
    app.json.sort_keys = False  # keep the CLI's key order
    resource.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    init_templates(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    return app
