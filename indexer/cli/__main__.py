"""``python -m indexer.cli``: the `letters` command."""

from indexer.cli.main import main

main()
