"""The Reference page: the PDQ summary by topic, with search, glossary and source."""
