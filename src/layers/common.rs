//! Properties several layers share, written once: the same name, SQL over `t` and title
//! wherever they appear (a layer adds `.tiles()` where its tiles carry them).
use super::{col, Prop};

pub const CODE: Prop = col!(code, Str, "Official code");
pub const NAME_AR: Prop = col!(name_ar, Str, "Name (Arabic)");
pub const NAME_FR: Prop = col!(name_fr, Str, "Name (French)");
pub const NAME_EN: Prop = col!(name_en, Str, "Name (English)");
pub const MUNICIPALITY_CODE: Prop = col!(municipality_code, Str, "Municipality code");
pub const SOURCE: Prop = col!(source, Str, "Source");
pub const TITLE_FR: Prop = col!(title_fr, Str, "Title (French)");
pub const TITLE_AR: Prop = col!(title_ar, Str, "Title (Arabic)");

/// An administrative unit's code and names, as tiles carry them (units and their indicators).
pub const UNIT_NAMES: [Prop; 4] = [
    CODE.tiles(),
    NAME_AR.tiles(),
    NAME_FR.tiles(),
    NAME_EN.tiles(),
];

/// `head` then `tail`: a property list that starts with shared properties. `N` is the sum of
/// their lengths (checked when the constant is evaluated, i.e. at compile time).
pub const fn join<const N: usize>(head: &[Prop], tail: &[Prop]) -> [Prop; N] {
    assert!(
        head.len() + tail.len() == N,
        "join: N is not the sum of the lengths"
    );
    let mut out = [SOURCE; N];
    let mut i = 0;
    while i < N {
        out[i] = if i < head.len() {
            head[i]
        } else {
            tail[i - head.len()]
        };
        i += 1;
    }
    out
}
