"""The search engine behind the archive: everything that knows Whoosh — the schema, analysis,
writing generations, queries, matching, scoring, facets and snippets.

The rest of the program reaches it only through :mod:`indexer.archive`; another engine
(OpenSearch) would replace this package.
"""
