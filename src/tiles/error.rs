//! Errors of the tiles capability.
use crate::error::area_error;

area_error! {
    pub enum TileError {
        #[error("{0}")] UnknownSource(String) => NotFound,
        #[error("{0}")] BadCoordinates(String) => BadRequest,
        #[error("{0}")] BadFilter(String) => BadRequest,
        #[error("{0}")] NotFound(String) => NotFound,
        ;
        Db(sqlx::Error),
    }
}
