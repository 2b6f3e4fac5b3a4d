-- ListUsers with Filter 'username = "…"' finds its user through this index instead of reading
-- every user of the pool; usernames never change, so ConfirmSignUp and the other updates of a
-- user leave it alone.
CREATE INDEX users_by_username ON users (pool_id, username);
