-- Of the tiles ($2, $3: columns and rows) of zoom $1, those whose envelope, widened by twice the
-- tiles' buffer (1/32 of a tile: room for generalisation and snapping), meets the ground kept in
-- `offline_occupied` (occupied.sql): the only tiles that can be non-empty.
SELECT c.x, c.y
FROM unnest($2::int[], $3::int[]) AS c(x, y)
WHERE EXISTS (
    SELECT 1 FROM offline_occupied o
    WHERE ST_Intersects(o.g, ST_TileEnvelope($1, c.x, c.y, margin => 1.0 / 32))
)
