//! Dense low-zoom cells of the `projects` tiles (docs/scale.md, "Dense low zooms"): below zoom 14
//! a 32-pixel cell of more than 32 locations is one point with their count; from zoom 14 every
//! location is its own feature; the tile filters choose the locations before they are clustered.
use crate::common;

use mvt_reader::{feature::Value, Reader};

/// (has a project code, `locations`) of every feature of the `projects` layer of a tile.
async fn features(srv: &common::TestServer, path: &str) -> Vec<(Option<String>, i64)> {
    let r = srv.get(path).await;
    if r.status().as_u16() == 204 {
        return vec![]; // an empty tile
    }
    assert_eq!(r.status().as_u16(), 200, "{path}");
    let body = r.bytes().await.unwrap();
    let reader = Reader::new(body.to_vec()).expect("a valid vector tile");
    let names = reader.get_layer_names().unwrap();
    let Some(i) = names.iter().position(|n| n == "projects") else {
        return vec![];
    };
    let int = |v: Option<&Value>| match v {
        Some(Value::Int(i)) | Some(Value::SInt(i)) => *i,
        Some(Value::UInt(u)) => *u as i64,
        other => panic!("locations is an integer, not {other:?}"),
    };
    reader
        .get_features(i)
        .unwrap()
        .into_iter()
        .map(|f| {
            let p = f.properties.unwrap_or_default();
            let code = match p.get("code") {
                Some(Value::String(s)) => Some(s.clone()),
                _ => None,
            };
            (code, int(p.get("locations")))
        })
        .collect()
}

#[tokio::test]
async fn dense_cells_are_one_point_below_zoom_14() {
    let (db, srv) = common::sample_server().await;
    // 60 points of one public project within ~60 m of the centre of Tunis
    let (code, status): (String, String) =
        sqlx::query_as("SELECT code, status FROM project WHERE is_public ORDER BY id LIMIT 1")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    let (lon, lat) = common::dense_cell_in_tunis(&db, &code).await;
    for z in [5u8, 8, 10, 13] {
        let (x, y) = common::tile_of(lon, lat, z);
        let f = features(&srv, &format!("/tiles/projects/{z}/{x}/{y}")).await;
        let clusters: Vec<_> = f.iter().filter(|(_, n)| *n > 1).collect();
        assert!(
            clusters.iter().any(|(c, n)| c.is_none() && *n >= 60),
            "z{z}: the 60 points are in one cluster: {clusters:?}"
        );
        assert!(clusters.iter().all(|(c, n)| c.is_none() && *n > 32), "z{z}");
        assert!(
            f.iter().all(|(c, n)| *n > 1 || c.is_some()),
            "z{z}: singles keep their code"
        );
        // a filter leaving the project out leaves its locations out of the clusters
        let other = if status == "completed" {
            "planned"
        } else {
            "completed"
        };
        let g = features(&srv, &format!("/tiles/projects/{z}/{x}/{y}?status={other}")).await;
        assert!(g.iter().map(|(_, n)| n).sum::<i64>() < f.iter().map(|(_, n)| n).sum::<i64>());
        assert!(g.iter().all(|(_, n)| *n < 60), "z{z}: {g:?}");
    }
    // from zoom 14, every location is its own feature
    for z in [14u8, 16] {
        let (x, y) = common::tile_of(lon, lat, z);
        let f = features(&srv, &format!("/tiles/projects/{z}/{x}/{y}")).await;
        assert!(f.iter().all(|(c, n)| *n == 1 && c.is_some()), "z{z}");
        let ours = f
            .iter()
            .filter(|(c, _)| c.as_deref() == Some(code.as_str()))
            .count();
        assert!(ours >= 60, "z{z}: {ours} features of {code}");
    }
}

/// Tile statements run as generic plans (`db::replicas`): there the location's box test must
/// still use the spatial indexes, for every scope, instead of reading every location.
#[tokio::test]
async fn generic_tile_plans_use_the_location_indexes_for_every_scope() {
    use mokhattat::auth::Visibility;
    use mokhattat::tiles::{filter::TileFilters, scope::TileScope, source::Source, sql};
    let db = common::sample_db().await;
    let filters = TileFilters::default();
    let scopes = [
        Visibility::default(),
        Visibility {
            all: true,
            ..Visibility::default()
        },
        Visibility {
            partner: Some("giz".into()),
            ..Visibility::default()
        },
        Visibility {
            municipalities: vec!["1111".into()],
            ..Visibility::default()
        },
    ];
    for (i, v) in scopes.into_iter().enumerate() {
        let scope = TileScope(v.clone());
        let q = sql::TileQuery {
            sources: &[Source::Projects],
            z: 14,
            x: 8580,
            y: 6370,
            filters: &filters,
            scope: &scope,
        };
        let text = sql::build(&q).sql().to_string();
        // the binds: z, x, y twice, then the scope as many times as it is used
        let n = text.matches("::text[]").count();
        let partner = v
            .partner
            .as_ref()
            .map_or("NULL".into(), |p| format!("'{p}'"));
        let munis = format!("'{{{}}}'", v.municipalities.join(","));
        let mut args = vec!["14", "8580", "6370", "14", "8580", "6370"]
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>();
        for _ in 0..n {
            args.extend([v.all.to_string(), partner.clone(), munis.clone()]);
        }
        let mut c = db.pool.acquire().await.unwrap();
        for s in [
            "SET plan_cache_mode = force_generic_plan".to_string(),
            format!("PREPARE t{i} AS {text}"),
        ] {
            sqlx::query(&s).execute(&mut *c).await.unwrap();
        }
        let explain = format!("EXPLAIN (COSTS OFF) EXECUTE t{i}({})", args.join(", "));
        let plan: Vec<String> = sqlx::query_scalar(&explain)
            .fetch_all(&mut *c)
            .await
            .unwrap();
        let plan = plan.join("\n");
        assert!(
            !plan.contains("Seq Scan on project_location"),
            "{v:?}\n{plan}"
        );
        assert!(
            plan.contains("project_location_public_geom_3857")
                && plan.contains("project_location_geom_3857"),
            "{v:?}\n{plan}"
        );
        sqlx::query("RESET plan_cache_mode")
            .execute(&mut *c)
            .await
            .unwrap();
    }
}
