"""Catalog imports: each format reads a file into records (``records.py``); ``plan.py``
compares them with the catalog (the dry run) and applies them, all or nothing."""
