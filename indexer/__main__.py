"""Allow `python -m indexer ...` as well as the `artikelsuche` console script."""

from indexer.cli import main

main()
