"""Other formats the archive reads and writes.

In: TEI letters (:mod:`~indexer.formats.tei`, with :mod:`~indexer.formats.tei_body` and
:mod:`~indexer.formats.xml_reader`), e-mail (``.eml``, ``.mbox``), HTML, PDF and Word files
(:mod:`~indexer.formats.email_letters`, ``html_letters``, ``pdf_letters``, ``docx_letters``,
sharing :mod:`~indexer.formats.converted`). Out: CMIF (:mod:`~indexer.formats.cmif`), CSV and
JSON (:mod:`~indexer.formats.csv_export`), citations (:mod:`~indexer.formats.citation`).
"""
