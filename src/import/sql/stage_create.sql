-- One staging table per import, dropped with the transaction. Its columns are the row type
-- mk_stage_row (migration 0016, one comment per column there).
SET LOCAL client_min_messages = warning;  -- no "does not exist, skipping" notices
DROP TABLE IF EXISTS pg_temp.mk_stage;
CREATE TEMP TABLE mk_stage OF mk_stage_row (
    PRIMARY KEY (ord),
    key WITH OPTIONS NOT NULL,
    data WITH OPTIONS NOT NULL,
    attrs WITH OPTIONS NOT NULL
) ON COMMIT DROP;
