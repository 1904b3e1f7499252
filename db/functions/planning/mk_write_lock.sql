-- Every write that refreshes the derived tables (apportionment, monitor, unit_indicator) takes
-- this transaction-level lock first: refreshes are serialized (no duplicate keys on
-- unit_indicator, no deadlocks between refreshes), and an API write takes it before any row
-- lock, so lock order is always the same. Same key as mk_planning_fresh.
CREATE OR REPLACE FUNCTION mk_write_lock() RETURNS void
LANGUAGE sql AS $$ SELECT pg_advisory_xact_lock(hashtext('mokhattat-planning-refresh')) $$;
