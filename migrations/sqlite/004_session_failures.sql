-- Wrong answers to a sign-in code (EMAIL_OTP, SMS_OTP): a wrong code keeps its session usable
-- (sign-in spec §7.6), so the count is what ends a session that is being guessed at.
ALTER TABLE sessions ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
