"""The `letters` command line: thin click commands over the library (entry point: ``main``)."""
