-- Files an admin uploads in the browser for an import, kept in the database (in chunks) so that the dry
-- run and the import may run on any instance; and the mappings saved for next time.
create table import_uploads (
  id uuid primary key,
  created_by bigint references users (id) on delete set null,
  created_at timestamptz not null default now()
);

create table import_upload_chunks (
  upload_id uuid not null references import_uploads (id) on delete cascade,
  file_name text not null check (file_name ~ '^[A-Za-z0-9][A-Za-z0-9._ -]{0,199}$'),
  seq int not null,
  data bytea not null,
  primary key (upload_id, file_name, seq)
);

create table import_mappings (
  name text primary key check (name ~ '^[a-z0-9][a-z0-9-]*$'),
  spec jsonb not null,
  saved_by bigint references users (id) on delete set null,
  saved_at timestamptz not null default now()
);
