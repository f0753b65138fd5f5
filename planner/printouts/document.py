"""A printout as plain blocks, rendered alike by the DOCX and PDF writers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    """A table; a ``None`` cell continues the cell above it (merged vertically).

    ``widths`` are relative column widths.
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]
    widths: tuple[float, ...]

    def spans(self) -> list[list[int]]:
        """Rows each cell spans: 0 for a continued cell, else 1 + the ``None`` cells below it."""
        spans = [[1] * len(self.columns) for _ in self.rows]
        for c in range(len(self.columns)):
            start = None
            for r, row in enumerate(self.rows):
                if row[c] is None and start is not None:
                    spans[start][c] += 1
                    spans[r][c] = 0
                else:
                    start = r
        return spans


@dataclass(frozen=True)
class Picture:
    """A chart on a landscape page of its own."""

    png: bytes
    caption: str


Block = Heading | Paragraph | Table | Picture


@dataclass(frozen=True)
class Document:
    title: str
    blocks: tuple[Block, ...]
