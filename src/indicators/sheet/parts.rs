//! The pieces the diagnosis sheet is made of: names of codes, values read from the diagnosis JSON,
//! formatted numbers (whole dinars), chart bars.
use serde_json::Value;

use super::text::Lang;
use crate::indicators::svg::{number, Bar};

/// French and Arabic names of the codes the sheet shows.
pub(super) fn names(code: &str) -> (&str, &str) {
    match code {
        "municipality" => ("Commune", "بلدية"),
        "delegation" => ("Délégation", "معتمدية"),
        "governorate" => ("Gouvernorat", "ولاية"),
        "sector" => ("Secteur", "عمادة"),
        "agriculture" => ("Agriculture", "الفلاحة"),
        "water" => ("Eau", "الماء"),
        "environment" => ("Environnement", "البيئة"),
        "health" => ("Santé", "الصحة"),
        "education" => ("Éducation", "التعليم"),
        "energy" => ("Énergie", "الطاقة"),
        "governance" => ("Gouvernance", "الحوكمة"),
        "finance" => ("Finance", "المالية"),
        "social_protection" => ("Protection sociale", "الحماية الاجتماعية"),
        "industry_trade" => ("Industrie et commerce", "الصناعة والتجارة"),
        "urban_development" => ("Développement urbain", "التنمية العمرانية"),
        "transport" => ("Transport", "النقل"),
        "digital" => ("Numérique", "الرقمنة"),
        "unspecified" => ("Non précisé", "غير محدد"),
        "identified" => ("Identifié", "محدد"),
        "planned" => ("Programmé", "مبرمج"),
        "approved" => ("Approuvé", "مصادق عليه"),
        "financed" => ("Financé", "ممول"),
        "in_procurement" => ("En passation", "في طور الصفقات"),
        "works_under_way" => ("Travaux en cours", "أشغال جارية"),
        "suspended" => ("Suspendu", "معلق"),
        "completed" => ("Achevé", "منجز"),
        "cancelled" => ("Annulé", "ملغى"),
        "own_resources" => ("Ressources propres", "موارد ذاتية"),
        "state_transfer" => ("Transferts de l'État", "تحويلات الدولة"),
        "cpscl_loan" => ("Prêt CPSCL", "قرض صندوق القروض"),
        "cpscl_grant" => ("Subvention CPSCL", "منحة صندوق القروض"),
        "donor_loan" => ("Prêt d'un bailleur", "قرض من ممول"),
        "donor_grant" => ("Don d'un bailleur", "هبة من ممول"),
        "other" => ("Autre", "أخرى"),
        "allowed" => ("Conforme", "مطابق"),
        "conditional" => ("Sous conditions", "بشروط"),
        "forbidden" => ("Non conforme", "غير مطابق"),
        "not_assessed" => ("Non évalué", "غير مقيم"),
        "school" => ("Écoles", "المدارس"),
        "administration" => ("Administration", "الإدارة"),
        "post" => ("Poste", "البريد"),
        "police" => ("Police", "الأمن"),
        _ => (code, code),
    }
}

pub(super) fn f(v: &Value, key: &str) -> Option<f64> {
    v.get(key).and_then(|x| {
        x.as_f64()
            .or_else(|| x.as_str().and_then(|s| s.parse().ok()))
    })
}

pub(super) fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// The name of `code` in `lang`.
pub(super) fn name(lang: Lang, code: &str) -> &str {
    let (fr, ar) = names(code);
    lang.fr_ar(fr, ar)
}

/// A count or an amount in whole units (dinars: no millimes on the sheet); "—" when unknown.
pub(super) fn whole(v: Option<f64>) -> String {
    num(v, 0)
}

pub(super) fn num(v: Option<f64>, decimals: usize) -> String {
    v.map(|x| number(x, decimals)).unwrap_or_else(|| "—".into())
}

pub(super) fn pct(v: Option<f64>) -> String {
    v.map(|x| format!("{} %", number(x * 100.0, 1)))
        .unwrap_or_else(|| "—".into())
}

/// Bars from an object of `{key: {"budget_tnd": …}}` or `{key: amount}`, largest first (ties in
/// the order of their names), in whole units.
pub(super) fn breakdown(lang: Lang, obj: Option<&Value>, field: Option<&str>) -> Vec<Bar> {
    let mut bars: Vec<Bar> = obj
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    let value = match field {
                        Some(fl) => f(v, fl).unwrap_or(0.0),
                        None => v
                            .as_f64()
                            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
                            .unwrap_or(0.0),
                    };
                    Bar {
                        label: name(lang, k).to_string(),
                        value,
                        highlight: false,
                        shown: number(value, 0),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    bars.sort_by(|a, b| {
        b.value
            .total_cmp(&a.value)
            .then_with(|| a.label.cmp(&b.label))
    });
    bars
}
