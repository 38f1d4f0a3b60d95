"""The import flow, in the order a bundle travels.

- :mod:`~readiness.imports.bundle`: the import format (interfaces.md §2): parse and validate a JSON bundle into
  frozen dataclasses (pure: pydantic, no Django). The dataclasses are also the plain data every check reads.
- :mod:`~readiness.imports.spreadsheet`: a shop's XLSX/CSV export plus a column mapping -> the same bundle
  (pure), so a spreadsheet goes through exactly the validation and import of a JSON bundle.
- :mod:`~readiness.imports.writing`: write a validated bundle to the database in one transaction.

Import jobs (queue, run, status) are services: :mod:`readiness.services.imports`.
"""
