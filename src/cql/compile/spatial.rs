//! Spatial predicates and geometry literals.
use cql2::{Expr, Geometry};

use super::{sql, type_err, Bind, Compiler, Frag, Operand};
use crate::cql::{literal::check_wkt, CqlError, QType};

pub(super) const SPATIAL: &[(&str, &str)] = &[
    ("s_intersects", "ST_Intersects"),
    ("s_equals", "ST_Equals"),
    ("s_disjoint", "ST_Disjoint"),
    ("s_touches", "ST_Touches"),
    ("s_within", "ST_Within"),
    ("s_overlaps", "ST_Overlaps"),
    ("s_crosses", "ST_Crosses"),
    ("s_contains", "ST_Contains"),
];

impl Compiler<'_> {
    pub(super) fn spatial(&self, op: &str, a: &Expr, b: &Expr) -> Result<Vec<Frag>, CqlError> {
        let func = SPATIAL
            .iter()
            .find(|(n, _)| *n == op)
            .map(|(_, f)| *f)
            .unwrap_or("ST_Intersects");
        let a = self.operand(a)?;
        let b = self.operand(b)?;
        let srid = match (&a, &b) {
            (Operand::Typed(_, QType::Geometry { srid }), _)
            | (_, Operand::Typed(_, QType::Geometry { srid })) => *srid,
            _ => {
                return type_err(format!(
                "{op} needs a geometry property, e.g. {op}(geometry, BBOX(10.1, 36.7, 10.3, 36.9))"
            ))
            }
        };
        let mut out = vec![sql(format!("{func}("))];
        out.extend(self.geom(a, srid, op)?);
        out.push(sql(", "));
        out.extend(self.geom(b, srid, op)?);
        out.push(sql(")"));
        Ok(out)
    }

    fn geom(&self, o: Operand, srid: i32, op: &str) -> Result<Vec<Frag>, CqlError> {
        match o {
            Operand::Typed(f, QType::Geometry { srid: s }) => Ok(in_srid(f, s, srid)),
            Operand::Geom(f) => Ok(in_srid(f, self.q.literal_srid, srid)),
            _ => type_err(format!("{op} compares geometries")),
        }
    }

    pub(super) fn geometry_literal(&self, g: &Geometry) -> Result<Vec<Frag>, CqlError> {
        let wkt = g
            .to_wkt()
            .map_err(|e| CqlError::Syntax(format!("invalid geometry: {e}")))?;
        check_wkt(&wkt)?;
        Ok(vec![
            sql("ST_GeomFromText("),
            Frag::Bind(Bind::Text(wkt)),
            sql(format!(", {})", self.q.literal_srid)),
        ])
    }

    pub(super) fn bbox_literal(&self, bbox: &[Box<Expr>]) -> Result<Vec<Frag>, CqlError> {
        let nums: Vec<f64> = bbox
            .iter()
            .map(|e| match e.as_ref() {
                Expr::Float(v) if v.is_finite() => Ok(*v),
                _ => type_err("BBOX takes 4 (or 6) numbers"),
            })
            .collect::<Result<_, _>>()?;
        let (x0, y0, x1, y1) = match nums.as_slice() {
            [a, b, c, d] => (*a, *b, *c, *d),
            [a, b, _, d, e, _] => (*a, *b, *d, *e),
            _ => return type_err("BBOX takes 4 (or 6) numbers: minx, miny, maxx, maxy"),
        };
        if x0 > x1 || y0 > y1 {
            return type_err("BBOX is minx, miny, maxx, maxy with min <= max");
        }
        let mut out = vec![sql("ST_MakeEnvelope(")];
        for (i, v) in [x0, y0, x1, y1].into_iter().enumerate() {
            if i > 0 {
                out.push(sql(", "));
            }
            out.push(Frag::Bind(Bind::Float(v)));
        }
        out.push(sql(format!(", {})", self.q.literal_srid)));
        Ok(out)
    }
}

/// Geometry `f` (in `from`) as a geometry in `to`.
fn in_srid(f: Vec<Frag>, from: i32, to: i32) -> Vec<Frag> {
    if from == to {
        return f;
    }
    let mut out = vec![sql("ST_Transform(")];
    out.extend(f);
    out.push(sql(format!(", {to})")));
    out
}
