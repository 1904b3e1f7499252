DELETE FROM participation_zone WHERE id = $1
