-- Password history (Policies.PasswordPolicy.PasswordHistorySize): the argon2id hashes of a user's
-- last passwords, the current one included, newest with the highest seq; never a plaintext.
-- Trimmed to the pool's size on every password change, and gone with the user.
CREATE TABLE password_history (
  pool_id       TEXT NOT NULL,
  username_key  TEXT NOT NULL,
  seq           INTEGER NOT NULL,
  password_hash TEXT NOT NULL,
  set_at        INTEGER NOT NULL,
  PRIMARY KEY (pool_id, username_key, seq),
  FOREIGN KEY (pool_id, username_key) REFERENCES users(pool_id, username_key) ON DELETE CASCADE
);
