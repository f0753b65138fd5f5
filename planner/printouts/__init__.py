"""Printouts the office files and hands round: annual plans and the five-year overview.

Each printout is built once as a :class:`~planner.printouts.document.Document`
(headings, paragraphs, tables, pictures) and rendered by the DOCX and PDF
writers, so both carry the same content; the annual plan also has a workbook.
"""
