"""Letters as the archive knows them: the model, passages, metadata extraction, encodings,
languages, authorities, partial dates and the corpus folder. No search engine here."""
