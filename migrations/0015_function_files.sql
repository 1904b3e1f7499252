-- Database functions now have one current definition each, in db/functions/<area>/<name>.sql,
-- applied after the migrations by db::functions::apply. This table records which text of each
-- file is in the database, so a file is executed again only when it changed.
CREATE TABLE mk_function_file (
    path text PRIMARY KEY,
    checksum bytea NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
