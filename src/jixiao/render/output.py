"""Where a project's forms go below the output folder."""

from __future__ import annotations

from pathlib import Path

from jixiao.files import safe_name
from jixiao.model.project import Project


def relative_path(project: Project) -> Path:
    """``主管部门/年度/实施单位/项目名称-表格``: stable from run to run."""
    return (Path(safe_name(project.department, "未知主管部门")) / safe_name(str(project.year or "未知年度"))
            / safe_name(project.unit, "未知实施单位") / f"{safe_name(project.name)}-{project.form.value}")
