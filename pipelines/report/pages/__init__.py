"""The report's pages, one module per kind of page."""
