-- A purchase model may be stored with its BG/NBD part alone when Gamma-Gamma cannot be used (q ≤ 1:
-- infinite mean spend, or no confirmed optimum): pAlive and expected purchases are still served,
-- spend and CLV are null, and the row says why (issue 20, ADR 0008).
alter table purchase_model
  alter column p drop not null,
  alter column q drop not null,
  alter column gamma drop not null,
  alter column gg_log_likelihood drop not null,
  add column spend_refusal_code text,
  add column spend_refusal_message text,
  add constraint purchase_model_spend_or_refusal
    check ((p is not null and q is not null and gamma is not null and gg_log_likelihood is not null)
           <> (spend_refusal_code is not null));
