-- The account after sign-up: recovery and attribute-verification codes, changes waiting for
-- verification, and groups. Every new column is nullable, so rows written before stay valid.

-- One live code per user and purpose ('forgot_password', 'verify_email', 'verify_phone_number');
-- only a keyed digest is kept, and the rows go with their user.
CREATE TABLE account_codes (
  pool_id      TEXT NOT NULL,
  username_key TEXT NOT NULL,
  purpose      TEXT NOT NULL,
  digest       TEXT NOT NULL,
  delivered_to TEXT,
  expires_at   BIGINT NOT NULL,
  created_at   BIGINT NOT NULL,
  PRIMARY KEY (pool_id, username_key, purpose),
  FOREIGN KEY (pool_id, username_key) REFERENCES users(pool_id, username_key) ON DELETE CASCADE
);

-- A new email or phone number held back until it is verified, while the old value stays active
-- for sign-in and as an alias (UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate).
-- JSON object of attribute name to value.
ALTER TABLE users ADD COLUMN pending_attributes TEXT;

CREATE TABLE user_groups (
  pool_id     TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
  group_name  TEXT COLLATE "C" NOT NULL,
  description TEXT,
  role_arn    TEXT,
  precedence  BIGINT,
  created_at  BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL,
  PRIMARY KEY (pool_id, group_name)
);

CREATE TABLE group_members (
  pool_id      TEXT NOT NULL,
  group_name   TEXT COLLATE "C" NOT NULL,
  username_key TEXT COLLATE "C" NOT NULL,
  added_at     BIGINT NOT NULL,
  PRIMARY KEY (pool_id, group_name, username_key),
  FOREIGN KEY (pool_id, group_name) REFERENCES user_groups(pool_id, group_name) ON DELETE CASCADE,
  FOREIGN KEY (pool_id, username_key) REFERENCES users(pool_id, username_key) ON DELETE CASCADE
);
-- A user's groups, for tokens and AdminListGroupsForUser.
CREATE INDEX group_members_by_user ON group_members (pool_id, username_key, group_name);
