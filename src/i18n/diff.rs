//! What `diff` says: its findings' messages.

use super::{Lang, Msg};

/// The message of a `diff` finding.
pub(super) fn render(m: &Msg, lang: Lang) -> String {
    match m {
        Msg::DiffSkipped { version } => {
            let v = match (version.as_str(), lang) {
                ("old", Lang::Zh) => "上一版",
                ("old", Lang::En) => "the old version",
                (_, Lang::Zh) => "本版",
                (_, Lang::En) => "the new version",
            };
            tr!(
                lang,
                "{v}中该要素没有几何或几何无效，未参与比对（见 validate）",
                "left out of the comparison: no geometry, or an invalid one, in {v} (see validate)"
            )
        }
        Msg::CodeReused { code, retired } => {
            if *retired {
                tr!(
                    lang,
                    "编码 {code} 去年已停用，现被用于另一位置的要素",
                    "code {code}, retired last year, now names a feature somewhere else"
                )
            } else {
                tr!(
                    lang,
                    "编码 {code} 去年属于另一位置的要素，现被重复使用",
                    "code {code} named a feature somewhere else last year: it is reused"
                )
            }
        }
        _ => String::new(),
    }
}
