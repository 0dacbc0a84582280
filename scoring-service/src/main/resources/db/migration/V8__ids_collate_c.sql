-- Customer ids (and the tier and segment keys indexed with them) compare by their bytes. Under the
-- database's collation every comparison in an index went through the locale (for C.UTF-8, too,
-- before PostgreSQL 17): about a twentieth of the machine in a 1M rescoring went to the B-tree
-- descents of its eight index inserts per customer. Under C.UTF-8 (code point order, which is
-- UTF-8's byte order) no list order or cursor changes; under another collation scoring's lists
-- page in byte order from here on.
alter table assessment_latest
  alter column customer_id type varchar(64) collate "C",
  alter column tier type varchar(16) collate "C";
alter table assessment_history alter column customer_id type varchar(64) collate "C";
alter table warning alter column customer_id type varchar(64) collate "C";
alter table assessment_rfm
  alter column customer_id type varchar(64) collate "C",
  alter column segment type varchar(32) collate "C";
