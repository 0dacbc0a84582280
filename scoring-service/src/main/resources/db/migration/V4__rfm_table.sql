-- RFM quintiles in a narrow table of their own. They are ranked over the whole scored population
-- after the batches of a rescoring have been stored; kept on assessment_latest, writing them
-- rewrote every wide latest row a second time (a new version of ~2 kB, a new entry in each of its
-- indexes, a dead row for vacuum) right after the batches had inserted it: in a first rescoring
-- that was a quarter of the run. Here a ranking writes one small row per customer whose quintiles
-- changed, and storing an assessment never touches RFM.
--
-- Which ranking a row belongs to is not stored: as before, the latest read serves whatever was
-- ranked last, and a read of an earlier date serves RFM only while that date's assessment is still
-- the latest (the join goes through assessment_latest.as_of). Keeping a date here would make every
-- nightly ranking rewrite every row even when no quintile moved.
create table assessment_rfm (
  customer_id  varchar(64) primary key,
  r            smallint    not null,
  f            smallint    not null,
  m            smallint    not null,
  segment      varchar(32) not null
);
-- customersByLoyalty(segments:) pages by customer id within the segments asked for
create index assessment_rfm_segment_idx on assessment_rfm (segment, customer_id);

-- existing rankings move over unchanged, then leave assessment_latest: one place for RFM, and one
-- index less to maintain on every write of a latest assessment (dropping columns is a catalogue
-- change; their bytes go as rows are next rewritten)
insert into assessment_rfm (customer_id, r, f, m, segment)
  select customer_id, rfm_r, rfm_f, rfm_m, rfm_segment
  from assessment_latest
  where rfm_segment is not null;
drop index assessment_latest_segment_idx;
alter table assessment_latest
  drop column rfm_r,
  drop column rfm_f,
  drop column rfm_m,
  drop column rfm_segment;
