"""Regenerate the generated parts of docs/: the rule table and the JSON Schemas.

    .venv/bin/python scripts/update_docs.py

tests/test_docs.py fails when these files are out of date.
"""

from __future__ import annotations

import json
from pathlib import Path

from jixiao.jsonschema import defaults_schema, project_schema
from jixiao.rules import rules_markdown

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- rules:begin -->", "<!-- rules:end -->"


def schema_text(schema: dict[str, object]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def rules_doc(current: str) -> str:
    head, _, rest = current.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{rules_markdown()}{END}{tail}"


def main() -> None:
    docs = ROOT / "docs"
    (docs / "schema").mkdir(exist_ok=True)
    (docs / "schema" / "project.schema.json").write_text(schema_text(project_schema()), encoding="utf-8")
    (docs / "schema" / "defaults.schema.json").write_text(schema_text(defaults_schema()), encoding="utf-8")
    rules = docs / "rules.md"
    rules.write_text(rules_doc(rules.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main()
