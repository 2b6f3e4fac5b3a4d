-- The PostgreSQL twin of migrations/sqlite/004_session_failures.sql: wrong answers to a sign-in
-- code. A constant default adds the column without rewriting the table.
ALTER TABLE sessions ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
