"""Database operations: DATABASE_URL to settings, the PLM schema, SQL Server DDL, backups,
bulk row inserts, and the commands around them (migrate, sqlserver_ddl, backup, restore,
wait_for_db). It imports nothing else of the project."""
