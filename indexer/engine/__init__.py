"""The search engine behind the archive: everything that knows Whoosh's index, queries and
scoring. The rest of the program reaches it through :mod:`indexer.archive` (searching) and
:class:`indexer.engine.index.LetterIndex` (writing); another engine (OpenSearch) would replace
this package.

Text analysis (:mod:`indexer.analysis`) stays outside it: its filter classes are pickled by
module path into every index's table of contents.
"""
