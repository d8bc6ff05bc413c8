"""Import existing tables (extracted table text, DOCX, XLSX, PDF) into spec files.

The pipeline mirrors the rest of jixiao: a *reader* turns a source into rows of
located cells (``sources.py`` for the tab-separated text that PDF/Word table
extractors produce, ``word.py`` for Word tables, ``xlsx.py`` for Excel sheets — and
``flat.py`` for the flat workbook of ``export --format xlsx`` —, ``pdf.py`` for PDF
tables; ``filetype.py`` tells which from the file's first bytes and refuses the rest); ``parse.py`` cuts one table's
rows into the form's blocks (``blocks.py``) and has each block read by its reader
(``read_header.py``, ``read_funds.py``, ``read_goals.py``, ``read_indicators.py``)
into a :class:`Table` of typed parts, plus remarks about every cell no reader
could place (``ledger.py``); ``emit.py`` writes it as a spec file in the style of
a hand-written one; :func:`import_files` (``run.py``) places the files in a workspace.

Import is faithful: what the table says is kept even when it is wrong (``check``
reports it); only presentation is dropped (``指标1：`` numbering, markup, stray
spaces inside numbers and labels, the repeats of merged cells).
"""

from __future__ import annotations

from jixiao.importer.parse import Remark, Table
from jixiao.importer.run import ImportReport, TableResult, import_files

# What a folder given to ``jixiao import`` is searched for.
IMPORT_SUFFIXES = (".txt", ".tsv", ".docx", ".xlsx", ".xlsm", ".pdf")
# Office files a clerk's folder often holds that jixiao does not read: found in a folder too,
# so each is refused with what to save it as instead of being passed over in silence.
REFUSED_SUFFIXES = (".xls", ".xlsb", ".et", ".doc", ".wps")

__all__ = ["IMPORT_SUFFIXES", "REFUSED_SUFFIXES", "ImportReport", "Remark", "Table", "TableResult", "import_files"]
