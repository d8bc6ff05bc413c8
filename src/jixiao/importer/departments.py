"""Departments of one source file that differ by one character: likely a misspelt 主管部门.

A table whose 主管部门 is misspelt (``吴淞镇人民政府`` among seventeen ``吴泾镇人民政府``)
is imported, faithfully, under a department folder of its own. Nothing is wrong with
that table by itself, so the importer says it in its summary: :func:`department_slips`
takes the departments of one file's tables and returns each pair one character apart,
the rarer name first, for the person who imports to confirm. ``check`` compares the
department folders of a workspace the same way (rule ``department-name-typo``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from jixiao.validate.crossproject import near_names


@dataclass(frozen=True)
class DepartmentSlip:
    """Two 主管部门 of one source file one character apart, and how many tables name each."""

    source: str
    rare: str
    rare_tables: int
    common: str
    common_tables: int

    def format(self) -> str:
        return (f"{self.source}：主管部门「{self.rare}」（{self.rare_tables} 张表）与「{self.common}」"
                f"（{self.common_tables} 张表）只差一个字，导入到了不同的主管部门目录；请核对原表是否写错")


def department_slips(source: str, departments: Iterable[str]) -> list[DepartmentSlip]:
    """The pairs of ``departments`` (one per table of ``source``) one character apart, the
    name fewer tables give first (a tie: by name), in the order of their names."""
    counts = Counter(d for d in departments if d)
    slips = []
    for a, b in near_names(counts):
        rare, common = (b, a) if counts[b] < counts[a] else (a, b)
        slips.append(DepartmentSlip(source, rare, counts[rare], common, counts[common]))
    return slips
