-- Reading a record by its key uses the primary key (issue 17): SQLite
-- already takes a unique index whose every column is matched by equality
-- (TestLookupsByKeyUseTheKey), so there is nothing to change here; the
-- PostgreSQL migration of the same number remakes its primary keys.
SELECT 1;
