"""After-sale readiness from the shop's own records (issue 18, interfaces.md §4, domain.md "After-sale metrics").

- :mod:`~readiness.aftersales.records` parses record and paid-order rows (CSV, XLSX, JSON) into plain data, with
  every bad row named (pure, no Django);
- :mod:`~readiness.aftersales.models` stores them; :mod:`~readiness.aftersales.services` writes them set-based;
- :mod:`~readiness.aftersales.selectors` computes the platform's metrics in SQL aggregates;
- :mod:`~readiness.aftersales.metrics`, :mod:`~readiness.aftersales.problems` and
  :mod:`~readiness.aftersales.forecast` are pure: the metric values, the problem-listing test and the wave and
  staffing model (numpy/scipy), read by the ``after_sales`` check and the report.
"""
