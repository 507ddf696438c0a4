"""docs/import.md describes every file and column the importer reads."""

from pathlib import Path

from django.conf import settings

from beacon.imports.formats import FILES

DOCS = Path(settings.BASE_DIR) / "docs" / "import.md"


def test_every_file_and_column_is_described_in_docs_import():
    text = DOCS.read_text()
    for fmt in FILES:
        assert f"`{fmt.name}.csv`" in text
        section = text.split(f"`{fmt.name}.csv`", 1)[1].split("\n### ", 1)[0]
        for column in fmt.column_names:
            assert f"| `{column}` |" in section, (fmt.name, column)
