"""The render stage: tables and figures in Swedish and English, byte for byte reproducible.

In: estimates and comparison tables, every number already rounded once (``core.rounding``). Out:
Markdown (``text``, ``comparison``, ``result_tables``), Excel workbooks (``workbook``), PNG and SVG
figures (``figures``, ``comparison_figures``). Rules: ``tables_{wave}`` (``tables.write_tables``)
and ``figures_{wave}`` (``figures.write_figures``); ``compare.publish`` and
``compare.publish_breakdowns`` write the comparisons and breakdowns with the comparison and result
modules.
"""
