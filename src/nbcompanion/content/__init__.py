"""The reference library: PDQ Markdown parsed into books, sections and a glossary. No Qt here."""
