-- When a sign-up was confirmed (ConfirmSignUp, AdminConfirmSignUp, or a PreSignUp that confirmed it
-- at SignUp), for the console's status history. Null for users confirmed another way (a new
-- password, a reset) and for those confirmed before this column existed.
ALTER TABLE users ADD COLUMN confirmed_at INTEGER;
