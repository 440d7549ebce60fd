"""The family's care record: schema, migrations, validation and queries. No Qt here."""
