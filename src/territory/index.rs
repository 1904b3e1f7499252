//! The current units in memory, for `/api/locate` without a database round trip.
//!
//! The index holds every piece of every current unit (`admin_unit_piece`, ≤ 64 vertices) in an
//! R-tree and answers exactly as `mk_locate` does: a point on an edge touches both neighbours, and
//! per level the lowest code (byte order) wins. It is used only while it is known to be current:
//! it is built when the change listener connects and dropped on every `mokhattat_units`
//! notification (migration 0007) or when the listener is lost; until the rebuild lands, locate asks
//! the database. Past instants (`at=`) always go to the database.
use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc, RwLock, Weak,
    },
    time::Duration,
};

use geo::Intersects;
use rstar::{primitives::GeomWithData, primitives::Rectangle, RTree, AABB};
use sqlx::PgPool;

use super::{
    params::Point,
    queries::{LocatedUnit, UnitNames},
};
use crate::db::{
    listen::{self, Subscriber},
    replicas::Reads,
};

pub const CHANNEL: &str = "mokhattat_units";
const LOAD: &str = include_str!("sql/locate_index.sql");
/// Changes often come in bursts (an import): wait this long for quiet before rebuilding.
const SETTLE: Duration = Duration::from_millis(300);

/// One piece: its bounding box in the tree, the index of its geometry and unit alongside.
type Entry = GeomWithData<Rectangle<[f64; 2]>, usize>;

struct Piece {
    geom: geo::Geometry<f64>,
    unit: usize,
}

struct Unit {
    row: LocatedUnit,
    /// Level order: municipal hierarchy last, then hierarchy name, then depth.
    order: (bool, String, i32),
}

/// One built copy of the current units.
struct Snapshot {
    tree: RTree<Entry>,
    pieces: Vec<Piece>,
    units: Vec<Unit>,
}

impl Snapshot {
    fn locate(&self, p: Point) -> Vec<LocatedUnit> {
        let pt = geo::Point::new(p.lon, p.lat);
        let mut best: HashMap<&str, &Unit> = HashMap::new();
        for e in self.tree.locate_all_at_point(&[p.lon, p.lat]) {
            let piece = &self.pieces[e.data];
            if !piece.geom.intersects(&pt) {
                continue;
            }
            let u = &self.units[piece.unit];
            best.entry(u.row.names.level.as_str())
                .and_modify(|b| {
                    if u.row.names.code.as_bytes() < b.row.names.code.as_bytes() {
                        *b = u;
                    }
                })
                .or_insert(u);
        }
        let mut found: Vec<&Unit> = best.into_values().collect();
        found.sort_by(|a, b| a.order.cmp(&b.order));
        found.into_iter().map(|u| u.row.clone()).collect()
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    unit_id: i64,
    level: String,
    code: String,
    name_ar: Option<String>,
    name_fr: Option<String>,
    name_en: Option<String>,
    version: i32,
    parent_code: Option<String>,
    municipal: bool,
    hierarchy: String,
    depth: i32,
    geom: String,
}

async fn load(pool: &PgPool) -> anyhow::Result<Snapshot> {
    let rows: Vec<Row> = sqlx::query_as(LOAD).fetch_all(pool).await?;
    let mut unit_of: HashMap<i64, usize> = HashMap::new();
    let mut units = Vec::new();
    let mut pieces = Vec::with_capacity(rows.len());
    let mut entries = Vec::with_capacity(rows.len());
    for r in rows {
        let gj: geojson::Geometry = r.geom.parse()?;
        let geom = geo::Geometry::<f64>::try_from(gj)?;
        let Some(rect) = geo::BoundingRect::bounding_rect(&geom) else {
            continue;
        };
        let unit = *unit_of.entry(r.unit_id).or_insert_with(|| {
            units.push(Unit {
                row: LocatedUnit {
                    names: UnitNames {
                        level: r.level.clone(),
                        code: r.code.clone(),
                        name_ar: r.name_ar.clone(),
                        name_fr: r.name_fr.clone(),
                        name_en: r.name_en.clone(),
                    },
                    version: r.version,
                    parent_code: r.parent_code.clone(),
                },
                order: (r.municipal, r.hierarchy.clone(), r.depth),
            });
            units.len() - 1
        });
        let (min, max) = (rect.min(), rect.max());
        entries.push(GeomWithData::new(
            Rectangle::from_aabb(AABB::from_corners([min.x, min.y], [max.x, max.y])),
            pieces.len(),
        ));
        pieces.push(Piece { geom, unit });
    }
    Ok(Snapshot {
        tree: RTree::bulk_load(entries),
        pieces,
        units,
    })
}

/// The in-memory copy and what is known of its freshness.
pub struct UnitIndex {
    pool: PgPool,
    me: Weak<UnitIndex>,
    snapshot: RwLock<Option<Arc<Snapshot>>>,
    listening: AtomicBool,
    /// Bumped by every change heard; a build only lands if none came in while it ran.
    generation: AtomicU64,
    /// A rebuild is scheduled and has not started yet.
    pending: AtomicBool,
    building: tokio::sync::Mutex<()>,
}

impl UnitIndex {
    /// An index over `pool`'s current units, kept current by its own change listener.
    /// An index read from the primary (rebuilt rarely, on a unit change: always current).
    pub fn new(reads: &Arc<Reads>) -> Arc<Self> {
        let index = Arc::new_cyclic(|me| Self {
            pool: reads.primary().clone(),
            me: me.clone(),
            snapshot: RwLock::new(None),
            listening: AtomicBool::new(false),
            generation: AtomicU64::new(0),
            pending: AtomicBool::new(false),
            building: tokio::sync::Mutex::new(()),
        });
        listen::start(reads, CHANNEL, &index);
        index
    }

    /// The units containing `p`, when the in-memory copy is current; `None`: ask the database.
    pub fn locate(&self, p: Point) -> Option<Vec<LocatedUnit>> {
        let snap = self.snapshot.read().ok()?.clone()?;
        Some(snap.locate(p))
    }

    /// The in-memory copy is built and current.
    pub fn is_ready(&self) -> bool {
        self.snapshot.read().map(|s| s.is_some()).unwrap_or(false)
    }

    fn forget(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        *self.snapshot.write().unwrap_or_else(|p| p.into_inner()) = None;
    }

    /// Rebuild once changes have settled (one rebuild waiting at a time).
    fn schedule(&self) {
        if self.pending.swap(true, Ordering::SeqCst) {
            return;
        }
        let me = self.me.clone();
        tokio::spawn(async move {
            tokio::time::sleep(SETTLE).await;
            let Some(me) = me.upgrade() else { return };
            let _one_at_a_time = me.building.lock().await;
            me.pending.store(false, Ordering::SeqCst);
            me.rebuild().await;
        });
    }

    /// Load the units and install them, if the listener is up and nothing changed meanwhile.
    async fn rebuild(&self) {
        while self.listening.load(Ordering::SeqCst) {
            let generation = self.generation.load(Ordering::SeqCst);
            let started = std::time::Instant::now();
            let snap = match load(&self.pool).await {
                Ok(s) => s,
                Err(e) => {
                    tracing::warn!(error = %e, "locate index not built; locate reads the database");
                    return;
                }
            };
            let mut slot = self.snapshot.write().unwrap_or_else(|p| p.into_inner());
            if self.generation.load(Ordering::SeqCst) == generation {
                if self.listening.load(Ordering::SeqCst) {
                    tracing::debug!(
                        pieces = snap.pieces.len(),
                        units = snap.units.len(),
                        ms = started.elapsed().as_millis() as u64,
                        "locate index built"
                    );
                    *slot = Some(Arc::new(snap));
                }
                return;
            }
            drop(slot);
            tokio::time::sleep(SETTLE).await; // changed while loading: load again
        }
    }
}

impl Subscriber for UnitIndex {
    async fn connected(&self, up: bool) {
        self.listening.store(up, Ordering::SeqCst);
        self.forget();
        if up {
            self.schedule();
        }
    }

    async fn notified(&self, _payload: &str) {
        self.forget();
        self.schedule();
    }
}
