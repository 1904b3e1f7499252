//! Field mapping and value conversion.
use super::*;
use serde_json::json;

fn opts<'a>(explicit: &'a [(String, String)], defaults: &'a [(String, String)]) -> Options<'a> {
    Options {
        explicit,
        defaults,
        value_maps: &[],
        auto: true,
        date_format: None,
    }
}

#[test]
fn values_are_converted() {
    assert_eq!(
        convert_with(Date, &json!("6/12/2001"), Some("%d/%m/%Y")).unwrap(),
        Some(json!("2001-12-06"))
    );
    assert!(convert(Date, &json!("6/12/2001")).is_err());
    assert_eq!(convert(Int, &json!("12 345")).unwrap(), Some(json!(12345)));
    assert_eq!(convert(Int, &json!(2019.0)).unwrap(), Some(json!(2019)));
    assert!(convert(Int, &json!("12.5")).is_err());
    assert_eq!(
        convert(Decimal, &json!("1 234,5")).unwrap(),
        Some(json!("1234.5"))
    );
    assert_eq!(
        convert(Decimal, &json!(1.5e6)).unwrap(),
        Some(json!("1500000.0"))
    );
    assert!(convert(Decimal, &json!("abc")).is_err());
    assert_eq!(
        convert(Date, &json!("2019-06-27T00:00:00+00:00")).unwrap(),
        Some(json!("2019-06-27"))
    );
    assert_eq!(
        convert(Date, &json!("27/06/2019")).unwrap(),
        Some(json!("2019-06-27"))
    );
    assert!(convert(Date, &json!("2019-13-01")).is_err());
    assert_eq!(convert(Bool, &json!("Oui")).unwrap(), Some(json!(true)));
    assert_eq!(
        convert(Enum, &json!("Works under way")).unwrap(),
        Some(json!("works_under_way"))
    );
    assert_eq!(convert(Code, &json!(1111.0)).unwrap(), Some(json!("1111")));
    assert_eq!(convert(ArName, &json!("  ")).unwrap(), None);
}

#[test]
fn mapping_checks_names() {
    let file = vec!["id_mun_official".to_string(), "Name_FR".to_string()];
    let explicit = [("code".to_string(), "id_mun_official".to_string())];
    let defaults = [("population_year".to_string(), "2019".to_string())];
    let m = mapping(Target::Municipalities, opts(&explicit, &defaults), &file).unwrap();
    let src = |n: &str| m.fields.iter().find(|f| f.0 == n).unwrap().2.clone();
    assert_eq!(src("code").as_deref(), Some("id_mun_official"));
    assert_eq!(src("name_fr").as_deref(), Some("Name_FR"));
    let kode = [("kode".to_string(), "x".to_string())];
    assert!(matches!(
        mapping(Target::Municipalities, opts(&kode, &[]), &file),
        Err(ImportError::UnknownTarget { .. })
    ));
    let nope = [("code".to_string(), "nope".to_string())];
    assert!(matches!(
        mapping(Target::Municipalities, opts(&nope, &[]), &file),
        Err(ImportError::UnknownSource { .. })
    ));
    let manual = Options {
        auto: false,
        ..opts(&explicit, &[])
    };
    let m = mapping(Target::Municipalities, manual, &file).unwrap();
    let src = |n: &str| m.fields.iter().find(|f| f.0 == n).unwrap().2.clone();
    assert_eq!(src("name_fr"), None, "--no-auto-fields");
    assert_eq!(src("code").as_deref(), Some("id_mun_official"));
}

#[test]
fn unmapped_fields_go_to_attrs() {
    let file = vec!["id_mun_official".to_string(), "km2".to_string()];
    let explicit = [("code".to_string(), "id_mun_official".to_string())];
    let m = mapping(Target::Municipalities, opts(&explicit, &[]), &file).unwrap();
    let mut fields = Map::new();
    fields.insert("id_mun_official".into(), json!(1111.0));
    fields.insert("km2".into(), json!(2.5));
    let f = RawFeature {
        fid: Some(1),
        fields,
        wkb: None,
        problem: None,
    };
    let (data, attrs) = m.convert(&f).unwrap();
    assert_eq!(data["code"], json!("1111"));
    assert_eq!(attrs, json!({"km2": 2.5}).as_object().unwrap().clone());
}
