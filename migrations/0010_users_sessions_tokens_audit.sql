-- Sign-in and access: users with one role each, browser sessions, API tokens for programs, and the
-- audit log. Secrets (session and API tokens) are stored only as SHA-256 hashes; passwords as argon2id.

create table users (
  id bigint generated always as identity primary key,
  username text not null,
  display_name text not null default '',
  role text not null check (role in ('viewer', 'analyst', 'manager', 'admin')),
  password_hash text not null,
  is_disabled boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  password_changed_at timestamptz not null default now(),
  last_login_at timestamptz
);

-- Usernames are unique whatever their case: "Admin" and "admin" are the same person
create unique index users_username_lower_key on users (lower(username));

create table sessions (
  id uuid primary key default gen_random_uuid(),
  user_id bigint not null references users (id) on delete cascade,
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  -- sliding: pushed forward on use, never past absolute_expires_at
  expires_at timestamptz not null,
  absolute_expires_at timestamptz not null,
  ip text,
  user_agent text
);

create index sessions_user_id_idx on sessions (user_id);
create index sessions_expires_at_idx on sessions (expires_at);

create table api_tokens (
  id bigint generated always as identity primary key,
  name text not null,
  role text not null check (role in ('viewer', 'analyst', 'manager', 'admin')),
  token_hash text not null unique,
  -- the first characters of the token, shown in lists so people can tell tokens apart
  token_prefix text not null,
  created_by bigint references users (id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz,
  revoked_by bigint references users (id) on delete set null
);

-- No foreign keys on the actor: the log outlives users and tokens, and system actions (id 0) are
-- recorded too
create table audit_log (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  actor_user_id bigint,
  actor_name text not null,
  actor_via text not null check (actor_via in ('session', 'token', 'system')),
  actor_token_id bigint,
  action text not null,
  entity_type text not null,
  entity_id text,
  details jsonb not null default '{}',
  ip text,
  request_id text
);

create index audit_log_at_idx on audit_log (at desc, id desc);
create index audit_log_entity_idx on audit_log (entity_type, entity_id, at desc);
create index audit_log_actor_idx on audit_log (actor_user_id, at desc);
create index audit_log_action_idx on audit_log (action, at desc);

-- One random id per installation: instances sharing this database share rate-limit keys in Redis,
-- while other installations (or test databases) on the same Redis do not
create table installation (
  id uuid primary key default gen_random_uuid(),
  singleton boolean not null default true unique check (singleton)
);
insert into installation default values;
