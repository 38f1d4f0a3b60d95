"""Writes, one module per noun: a reader finds a write by what it changes.

- :mod:`~readiness.services.scans`: scan runs (create, start, scan a chunk, finish, fail), re-scoring, and
  re-scanning one listing;
- :mod:`~readiness.services.listings`: editing a listing's text (and re-scanning it);
- :mod:`~readiness.services.waivers`: giving and lifting waivers;
- :mod:`~readiness.services.imports`: import jobs (a bundle queued, imported, scanned);
- :mod:`~readiness.services.errors`: the domain errors services raise (the API maps them to 400/409).

Reads live in :mod:`readiness.selectors`; services may call selectors, never the other way round. Writing a
bundle's rows is :mod:`readiness.imports.writing`.
"""
