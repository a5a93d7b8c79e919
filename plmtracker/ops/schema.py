"""Create the schema every table lives in, where the database has schemas."""

SQLSERVER_CREATE_SCHEMA = "IF SCHEMA_ID('{schema}') IS NULL EXEC('CREATE SCHEMA {schema} AUTHORIZATION dbo')"


def ensure_schema(connection, schema: str) -> bool:
    """Create `schema` when it is missing; return True when it was created.

    SQLite has no schemas and is left alone.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema])
            if cursor.fetchone():
                return False
            cursor.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
        return True
    if connection.vendor == "microsoft":
        with connection.cursor() as cursor:
            cursor.execute("SELECT SCHEMA_ID(%s)", [schema])
            if cursor.fetchone()[0] is not None:
                return False
            cursor.execute(SQLSERVER_CREATE_SCHEMA.format(schema=schema))
        return True
    return False
