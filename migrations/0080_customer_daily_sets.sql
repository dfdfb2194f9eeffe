-- Who bought on each UTC day, as bitmaps: distinct customers do not add up across hourly or daily
-- rollups, but sets do. Row (day, chunk) holds bit n set when customer chunk * 8192 + n completed a
-- sale that day; OR-ing a period's rows per chunk and counting the bits gives its exact distinct
-- customers from ~60 rows a day instead of ~14,000 transactions (server/views/customer_sets.ts).
-- 8192 bits keep a row at ~1 kB, under the TOAST threshold, so reads never decompress.
-- Maintained incrementally with the hourly rollups; empty until the first refresh builds it.
create table customer_daily_sets (
  day timestamptz not null,
  chunk bigint not null,
  members bit(8192) not null,
  primary key (day, chunk)
);
