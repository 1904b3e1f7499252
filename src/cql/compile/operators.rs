//! The operators with a fixed shape: LIKE, IN, BETWEEN and IS NULL.
use cql2::Expr;

use super::{sql, type_err, Bind, Compiler, Frag, Operand};
use crate::cql::{CqlError, QType};

impl Compiler<'_> {
    pub(super) fn like(&self, a: &Expr, b: &Expr) -> Result<Vec<Frag>, CqlError> {
        let left = self.operand(a)?;
        let right = self.operand(b)?;
        let (Operand::Typed(l, QType::Text), Operand::Str(pattern)) = (left, right) else {
            return type_err(
                "LIKE compares a string property with a string pattern, e.g. name_fr LIKE 'Sidi%'",
            );
        };
        let mut out = vec![sql("(")];
        out.extend(l);
        out.push(sql(" LIKE "));
        out.push(Frag::Bind(Bind::Text(pattern)));
        out.push(sql(")"));
        Ok(out)
    }

    pub(super) fn in_list(&self, a: &Expr, b: &Expr) -> Result<Vec<Frag>, CqlError> {
        let Operand::Typed(l, ty) = self.operand(a)? else {
            return type_err(
                "IN needs a property on its left, e.g. status IN ('planned', 'financed')",
            );
        };
        let Expr::Array(items) = b else {
            return type_err(
                "IN needs a list on its right, e.g. status IN ('planned', 'financed')",
            );
        };
        if items.is_empty() {
            return Ok(vec![sql("FALSE")]);
        }
        let mut out = vec![sql("(")];
        out.extend(l);
        out.push(sql(" IN ("));
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push(sql(", "));
            }
            let v = self.operand(item)?;
            out.extend(self.place(v, ty, "IN")?);
        }
        out.push(sql("))"));
        Ok(out)
    }

    pub(super) fn between(&self, a: &Expr, b: &Expr, c: &Expr) -> Result<Vec<Frag>, CqlError> {
        let Operand::Typed(l, ty) = self.operand(a)? else {
            return type_err("BETWEEN needs a property on its left, e.g. budget BETWEEN 1 AND 10");
        };
        if !(ty.is_numeric() || matches!(ty, QType::Date | QType::Timestamp)) {
            return type_err(format!(
                "BETWEEN needs a number or a date, and this is {}",
                ty.describe()
            ));
        }
        let lo = self.operand(b)?;
        let hi = self.operand(c)?;
        let mut out = vec![sql("(")];
        out.extend(l);
        out.push(sql(" BETWEEN "));
        out.extend(self.place(lo, ty, "BETWEEN")?);
        out.push(sql(" AND "));
        out.extend(self.place(hi, ty, "BETWEEN")?);
        out.push(sql(")"));
        Ok(out)
    }

    pub(super) fn is_null(&self, a: &Expr) -> Result<Vec<Frag>, CqlError> {
        let Operand::Typed(l, _) = self.operand(a)? else {
            return type_err("IS NULL applies to a property, e.g. theme IS NULL");
        };
        let mut out = vec![sql("(")];
        out.extend(l);
        out.push(sql(" IS NULL)"));
        Ok(out)
    }
}
