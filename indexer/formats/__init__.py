"""Other formats the archive reads and writes: TEI letters in, CMIF, CSV, JSON and citations out.

- :mod:`indexer.formats.tei`: a TEI letter as corpus front matter plus a Markdown body.
- :mod:`indexer.formats.cmif`: the archive's correspondence metadata as CMIF, and back.
- :mod:`indexer.formats.tabular`: search results as CSV or JSON.
- :mod:`indexer.formats.citation`: citations of letters and passages (text and CSL-JSON).
"""
