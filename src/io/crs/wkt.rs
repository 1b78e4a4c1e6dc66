//! A small, forgiving WKT 1/2 parser: keywords with bracketed argument lists.

/// One argument of a WKT node.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Str(String),
    Num(f64),
    Ident(String),
    Node(Node),
}

/// `KEYWORD[arg, arg, …]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub keyword: String,
    pub args: Vec<Arg>,
}

const MAX_DEPTH: usize = 32;

/// Parses WKT; `None` when it is not WKT.
pub fn parse(text: &str) -> Option<Node> {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
    };
    let node = p.node(0)?;
    Some(node)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && (self.s[self.i] as char).is_whitespace() {
            self.i += 1;
        }
    }

    fn ident(&mut self) -> Option<String> {
        self.ws();
        let start = self.i;
        while self.i < self.s.len()
            && (self.s[self.i].is_ascii_alphanumeric() || self.s[self.i] == b'_')
        {
            self.i += 1;
        }
        if self.i == start {
            return None;
        }
        Some(String::from_utf8_lossy(&self.s[start..self.i]).into_owned())
    }

    fn node(&mut self, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            return None;
        }
        let keyword = self.ident()?.to_ascii_uppercase();
        self.ws();
        let close = match self.s.get(self.i)? {
            b'[' => b']',
            b'(' => b')',
            _ => return None,
        };
        self.i += 1;
        let mut args = Vec::new();
        loop {
            self.ws();
            match *self.s.get(self.i)? {
                c if c == close => {
                    self.i += 1;
                    break;
                }
                b',' => {
                    self.i += 1;
                }
                b'"' => {
                    self.i += 1;
                    let mut bytes = Vec::new();
                    loop {
                        let c = *self.s.get(self.i)?;
                        self.i += 1;
                        if c == b'"' {
                            // WKT2 escapes a quote by doubling it.
                            if self.s.get(self.i) == Some(&b'"') {
                                bytes.push(b'"');
                                self.i += 1;
                                continue;
                            }
                            break;
                        }
                        bytes.push(c);
                    }
                    args.push(Arg::Str(String::from_utf8_lossy(&bytes).into_owned()));
                }
                c if c == b'-' || c == b'+' || c == b'.' || c.is_ascii_digit() => {
                    let start = self.i;
                    while self.i < self.s.len()
                        && matches!(
                            self.s[self.i],
                            b'0'..=b'9' | b'.' | b'-' | b'+' | b'e' | b'E'
                        )
                    {
                        self.i += 1;
                    }
                    let text = std::str::from_utf8(&self.s[start..self.i]).ok()?;
                    args.push(Arg::Num(text.parse().ok()?));
                }
                _ => {
                    let save = self.i;
                    let word = self.ident()?;
                    self.ws();
                    if matches!(self.s.get(self.i), Some(b'[') | Some(b'(')) {
                        self.i = save;
                        args.push(Arg::Node(self.node(depth + 1)?));
                    } else {
                        args.push(Arg::Ident(word));
                    }
                }
            }
        }
        Some(Node { keyword, args })
    }
}

impl Node {
    /// Child nodes.
    pub fn children(&self) -> impl Iterator<Item = &Node> {
        self.args.iter().filter_map(|a| match a {
            Arg::Node(n) => Some(n),
            _ => None,
        })
    }

    /// The first child with one of these keywords.
    pub fn child_any(&self, keywords: &[&str]) -> Option<&Node> {
        self.children()
            .find(|n| keywords.iter().any(|k| n.keyword == *k))
    }

    /// The first string argument.
    pub fn first_str(&self) -> Option<String> {
        self.args.iter().find_map(|a| match a {
            Arg::Str(s) => Some(s.clone()),
            _ => None,
        })
    }

    /// The numeric arguments in order.
    pub fn numbers(&self) -> Vec<f64> {
        self.args
            .iter()
            .filter_map(|a| match a {
                Arg::Num(n) => Some(*n),
                _ => None,
            })
            .collect()
    }

    pub fn is_geographic(&self) -> bool {
        matches!(
            self.keyword.as_str(),
            "GEOGCS" | "GEOGCRS" | "GEOGRAPHICCRS" | "GEODCRS" | "GEODETICCRS"
        )
    }

    pub fn is_projected(&self) -> bool {
        matches!(self.keyword.as_str(), "PROJCS" | "PROJCRS" | "PROJECTEDCRS")
    }

    /// The EPSG code of this node's own `AUTHORITY`/`ID` (not a child CRS's).
    pub fn authority_code(&self) -> Option<u32> {
        let auth = self.child_any(&["AUTHORITY", "ID"])?;
        let name = auth.first_str()?;
        if !name.eq_ignore_ascii_case("EPSG") {
            return None;
        }
        auth.args.iter().skip(1).find_map(|a| match a {
            Arg::Str(s) => s.trim().parse().ok(),
            Arg::Num(n) if *n >= 0.0 && n.fract() == 0.0 => Some(*n as u32),
            _ => None,
        })
    }

    /// A projection parameter by any of these names (case-insensitive, `_`/space
    /// insensitive), searched in `PARAMETER` children and WKT2 `CONVERSION`.
    pub fn parameter(&self, names: &[&str]) -> Option<f64> {
        let norm = |s: &str| s.to_ascii_lowercase().replace([' ', '_'], "");
        let wanted: Vec<String> = names.iter().map(|n| norm(n)).collect();
        let search = |node: &Node| {
            node.children()
                .filter(|c| c.keyword == "PARAMETER")
                .find_map(|c| {
                    let n = norm(&c.first_str()?);
                    if wanted.contains(&n) {
                        c.numbers().first().copied()
                    } else {
                        None
                    }
                })
        };
        search(self).or_else(|| self.child_any(&["CONVERSION"]).and_then(search))
    }

    /// Metres per unit of the projected CRS's linear unit (1 when absent).
    pub fn linear_unit(&self) -> f64 {
        self.children()
            .filter(|c| c.keyword == "UNIT" || c.keyword == "LENGTHUNIT")
            .last()
            .and_then(|u| u.numbers().first().copied())
            .filter(|f| *f > 0.0)
            .unwrap_or(1.0)
    }
}
