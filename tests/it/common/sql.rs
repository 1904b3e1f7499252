//! Reading and writing a test database without the sqlx plumbing: `db.scalar(sql, binds)`,
//! `db.row(sql, binds)`, `db.rows(sql, binds)` and `db.exec(sql, binds)`, where `binds` are the
//! values of `$1`, `$2` (`()`, `(id,)`, `(lon, lat)`); each failure names its query. And
//! `items(&json["key"])` for a JSON array the test is sure is there.
use serde_json::Value;
use sqlx::{
    postgres::{PgArguments, PgRow},
    Arguments, Encode, FromRow, Postgres, Type,
};

use super::TestDb;

/// The values bound to a query's `$1`, `$2`…: `()`, `(a,)`, `(a, b)`… up to four.
pub trait Binds<'q> {
    fn args(self) -> PgArguments;
}

impl Binds<'_> for () {
    fn args(self) -> PgArguments {
        PgArguments::default()
    }
}

fn bind<'q, V: 'q + Encode<'q, Postgres> + Type<Postgres>>(args: &mut PgArguments, v: V) {
    args.add(v).expect("encode a bound value");
}

/// `Binds` for tuples of bound values, one `bind` per element in order.
macro_rules! binds_for_tuples {
    ($(($($name:ident . $index:tt),+)),+ $(,)?) => {$(
        impl<'q, $($name),+> Binds<'q> for ($($name,)+)
        where
            $($name: 'q + Encode<'q, Postgres> + Type<Postgres>,)+
        {
            fn args(self) -> PgArguments {
                let mut args = PgArguments::default();
                $(bind(&mut args, self.$index);)+
                args
            }
        }
    )+};
}

binds_for_tuples!((A.0), (A.0, B.1), (A.0, B.1, C.2), (A.0, B.1, C.2, D.3));

impl TestDb {
    /// Every row of a query.
    pub async fn rows<'q, T>(&self, sql: &'q str, binds: impl Binds<'q>) -> Vec<T>
    where
        T: for<'r> FromRow<'r, PgRow> + Send + Unpin,
    {
        sqlx::query_as_with(sql, binds.args())
            .fetch_all(&self.pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// The first row of a query, which must have one.
    pub async fn row<'q, T>(&self, sql: &'q str, binds: impl Binds<'q>) -> T
    where
        T: for<'r> FromRow<'r, PgRow> + Send + Unpin,
    {
        let rows = self.rows(sql, binds).await;
        rows.into_iter()
            .next()
            .unwrap_or_else(|| panic!("{sql}: no row"))
    }

    /// The one value of the first row of a query.
    pub async fn scalar<'q, T>(&self, sql: &'q str, binds: impl Binds<'q>) -> T
    where
        T: Send + Unpin,
        (T,): for<'r> FromRow<'r, PgRow>,
    {
        self.row::<(T,)>(sql, binds).await.0
    }

    /// Run a statement: the rows it touched.
    pub async fn exec<'q>(&self, sql: &'q str, binds: impl Binds<'q>) -> u64 {
        let done = sqlx::query_with(sql, binds.args())
            .execute(&self.pool)
            .await;
        done.unwrap_or_else(|e| panic!("{sql}: {e}"))
            .rows_affected()
    }
}

/// The elements of a JSON array; panics (showing the value) when it is not one.
pub fn items(v: &Value) -> std::slice::Iter<'_, Value> {
    v.as_array()
        .unwrap_or_else(|| panic!("not a JSON array: {v}"))
        .iter()
}

/// The string `field` of each element of a JSON array, collected (`Vec`, `BTreeSet`…); panics
/// (showing the element) when one has no such string.
pub fn strs<'a, C: FromIterator<&'a str>>(v: &'a Value, field: &str) -> C {
    items(v)
        .map(|e| {
            e[field]
                .as_str()
                .unwrap_or_else(|| panic!("no string {field:?} in {e}"))
        })
        .collect()
}

/// The first element of a JSON array whose `field` is `value`; panics (showing the array) when
/// there is none.
pub fn item_where<'a>(v: &'a Value, field: &str, value: &str) -> &'a Value {
    items(v)
        .find(|e| e[field] == value)
        .unwrap_or_else(|| panic!("no element with {field} = {value:?} in {v}"))
}
