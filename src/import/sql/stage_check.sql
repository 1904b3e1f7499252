UPDATE mk_stage
SET (geom, repair, reject) = (SELECT g.geom, g.repair, g.reject FROM pg_temp.mk_import_geom(wkb, $1) g),
    wkb = NULL
WHERE ord >= $2 AND ord < $3
