-- A notification due during a policy's mute timing is held (still 'pending') until the timing ends,
-- then sent with those of its alerts still firing (issue #20, like Alertmanager's mute timings).
alter table notifications add column held_until timestamptz;
