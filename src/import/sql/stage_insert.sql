INSERT INTO mk_stage (ord, fid, key, data, attrs, wkb)
SELECT * FROM UNNEST($1::int4[], $2::int8[], $3::text[], $4::jsonb[], $5::jsonb[], $6::bytea[])
