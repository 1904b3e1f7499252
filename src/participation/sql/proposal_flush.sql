-- Durability of a submission (proposal_insert.sql commits without waiting for the WAL flush): a
-- transaction that takes a transaction id commits with the flush of every WAL record before its
-- own, the submission's included. Nothing is written but the commit record.
SELECT pg_current_xact_id()::text
