-- Units of every level that contain the point ($1 lon, $2 lat, EPSG:4326), current versions.
-- The query is the database function mk_locate (migrations/0006_locate.sql): it reads the pieces
-- of current units (admin_unit_piece) with one generic plan per connection. Shared boundaries:
-- per level the lowest code (byte order) among the units touching the point.
SELECT level, code, name_ar, name_fr, name_en, version, parent_code FROM mk_locate($1, $2)
