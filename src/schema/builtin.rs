//! The profiles compiled into the binary (it must work when copied alone).

/// Names of the built-in profiles.
pub const BUILTIN_NAMES: &[&str] = &["gbt30428-2013", "cjt213-2005", "gbt47678-2026"];

macro_rules! profile_files {
    ($dir:literal) => {
        &[
            (
                "profile.toml",
                include_str!(concat!("../../schemas/", $dir, "/profile.toml")),
            ),
            (
                "streets.schema.json",
                include_str!(concat!("../../schemas/", $dir, "/streets.schema.json")),
            ),
            (
                "communities.schema.json",
                include_str!(concat!("../../schemas/", $dir, "/communities.schema.json")),
            ),
            (
                "grids.schema.json",
                include_str!(concat!("../../schemas/", $dir, "/grids.schema.json")),
            ),
            (
                "components.schema.json",
                include_str!(concat!("../../schemas/", $dir, "/components.schema.json")),
            ),
            (
                "pois.schema.json",
                include_str!(concat!("../../schemas/", $dir, "/pois.schema.json")),
            ),
            (
                "cases.schema.json",
                include_str!(concat!("../../schemas/", $dir, "/cases.schema.json")),
            ),
            (
                "enforcement_grids.schema.json",
                include_str!(concat!(
                    "../../schemas/",
                    $dir,
                    "/enforcement_grids.schema.json"
                )),
            ),
            (
                "sanitation_grids.schema.json",
                include_str!(concat!(
                    "../../schemas/",
                    $dir,
                    "/sanitation_grids.schema.json"
                )),
            ),
            (
                "component_classes.csv",
                include_str!(concat!("../../schemas/", $dir, "/component_classes.csv")),
            ),
        ]
    };
}

/// The files of a built-in profile.
pub(crate) fn files(name: &str) -> Option<&'static [(&'static str, &'static str)]> {
    Some(match name {
        "gbt30428-2013" => profile_files!("gbt30428-2013"),
        "cjt213-2005" => profile_files!("cjt213-2005"),
        "gbt47678-2026" => profile_files!("gbt47678-2026"),
        _ => return None,
    })
}
