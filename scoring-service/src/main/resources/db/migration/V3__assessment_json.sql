-- Assessments are written whole once per customer and run and read back whole as text: json (kept
-- as written, only validated) costs PostgreSQL about a quarter less CPU to write than jsonb and
-- nothing to print. Latest rows are rewritten every run: free space on each page lets an update
-- whose indexed columns (tier, score, risk codes, segment) did not change stay on its page (HOT)
-- without touching any index.
alter table assessment_latest
  alter column body type json using body::json,
  alter column inputs type json using inputs::json,
  set (fillfactor = 60);
alter table assessment_history alter column body type json using body::json;
