//! The place list (OpenMP 5.1 §6.5, OMP_PLACES): parsing, the machine's
//! topology from /sys, and the rule that places only hold CPUs the process
//! may run on.
//!
//! Syntax, with GCC 12's runtime's results:
//! - an abstract name, case-insensitive, with an optional count:
//!   `threads`, `cores`, `sockets`, `ll_caches`, `numa_domains`, `cores(2)`;
//!   places are built from the CPUs of the initial affinity mask in
//!   ascending order, each CPU's group (itself, its core's hardware threads,
//!   its package, the CPUs sharing its last-level cache, its NUMA node)
//!   cut to that mask;
//! - an explicit list of places `{0,1},{2,3}`; inside braces a resource is
//!   `n`, `n:len` or `n:len:stride` (len CPUs from n, stride apart) and `!n`
//!   removes CPU n from the place; after a place `:len[:stride]` repeats it
//!   len times, each copy shifted by stride (default 1); `!{...}` removes
//!   an equal place listed before it.
//!
//! Errors (malformed text, CPU numbers out of range, removing what is not
//! there) invalidate the whole variable. Places with no usable CPU are
//! dropped with a warning; none left is an error.

/// Highest CPU number + 1 a place may name (glibc's CPU_SETSIZE).
pub const MAX_CPUS: usize = 1024;

/// A place: the CPUs in it, ascending, no duplicates.
pub type Place = Vec<usize>;

/// The abstract place names, in the order OMP_PLACES knows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Threads,
    Cores,
    Sockets,
    LlCaches,
    NumaDomains,
}

const LEVELS: [(&str, Level); 5] = [
    ("threads", Level::Threads),
    ("cores", Level::Cores),
    ("sockets", Level::Sockets),
    ("ll_caches", Level::LlCaches),
    ("numa_domains", Level::NumaDomains),
];

/// OMP_PLACES as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Spec {
    Abstract(Level, Option<usize>),
    Explicit(Vec<Place>),
}

/// A tiny scanner over the variable's text; whitespace between tokens is
/// allowed everywhere, as GCC's runtime allows it.
struct Scan<'a> {
    s: &'a [u8],
    i: usize,
}

impl Scan<'_> {
    fn skip_ws(&mut self) {
        while self.s.get(self.i).is_some_and(u8::is_ascii_whitespace) {
            self.i += 1;
        }
    }
    fn eat(&mut self, c: u8) -> bool {
        self.skip_ws();
        if self.s.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn at_end(&mut self) -> bool {
        self.skip_ws();
        self.i == self.s.len()
    }
    fn number(&mut self) -> Result<i64, String> {
        self.skip_ws();
        let neg = self.eat(b'-');
        if !neg {
            self.eat(b'+');
        }
        let start = self.i;
        while self.s.get(self.i).is_some_and(u8::is_ascii_digit) {
            self.i += 1;
        }
        let digits = std::str::from_utf8(&self.s[start..self.i]).unwrap_or("");
        let v: i64 = digits.parse().map_err(|_| "a number expected".to_owned())?;
        Ok(if neg { -v } else { v })
    }
    /// `:len[:stride]` after a number or a place; (1, 1) when absent.
    fn interval(&mut self) -> Result<(i64, i64), String> {
        if !self.eat(b':') {
            return Ok((1, 1));
        }
        let len = self.number()?;
        if len <= 0 {
            return Err("an interval length must be positive".into());
        }
        let stride = if self.eat(b':') { self.number()? } else { 1 };
        Ok((len, stride))
    }
}

fn cpu(n: i64) -> Result<usize, String> {
    usize::try_from(n).ok().filter(|&c| c < MAX_CPUS).ok_or_else(|| format!("logical CPU number {n} out of range"))
}

/// One `{...}` place; the scanner is after the `{`.
fn place_body(sc: &mut Scan) -> Result<Place, String> {
    let mut add = Vec::new();
    let mut remove = Vec::new();
    loop {
        let negate = sc.eat(b'!');
        let n = sc.number()?;
        let (len, stride) = sc.interval()?;
        if negate {
            if len != 1 {
                return Err("a removed CPU takes no interval".into());
            }
            remove.push(cpu(n)?);
        } else {
            for k in 0..len {
                add.push(cpu(n + k * stride)?);
            }
        }
        if sc.eat(b'}') {
            break;
        }
        if !sc.eat(b',') {
            return Err("',' or '}' expected in a place".into());
        }
    }
    add.sort_unstable();
    add.dedup();
    for c in remove {
        let at = add.binary_search(&c).map_err(|_| format!("logical CPU {c} to be removed is not in the place"))?;
        add.remove(at);
    }
    Ok(add)
}

/// Parse OMP_PLACES's text.
pub fn parse(text: &str) -> Result<Spec, String> {
    let mut sc = Scan { s: text.as_bytes(), i: 0 };
    sc.skip_ws();
    let rest = text[sc.i..].to_ascii_lowercase();
    if let Some(&(name, level)) = LEVELS.iter().find(|(name, _)| rest.starts_with(name)) {
        sc.i += name.len();
        let mut count = None;
        if sc.eat(b'(') {
            let n = sc.number()?;
            if n < 0 || !sc.eat(b')') {
                return Err("a count in parentheses expected".into());
            }
            count = Some(n as usize);
        }
        if !sc.at_end() {
            return Err("text after the place name".into());
        }
        return Ok(Spec::Abstract(level, count));
    }
    let mut list: Vec<Place> = Vec::new();
    loop {
        let negate = sc.eat(b'!');
        if !sc.eat(b'{') {
            return Err("'{' expected".into());
        }
        let place = place_body(&mut sc)?;
        let (len, stride) = sc.interval()?;
        if negate {
            if len != 1 {
                return Err("a removed place takes no interval".into());
            }
            let at = list.iter().position(|p| *p == place).ok_or("removing a place that is not in the list")?;
            list.remove(at);
        } else {
            let mut copy = place;
            for k in 0..len {
                if k > 0 {
                    copy = copy.iter().map(|&c| cpu(c as i64 + stride)).collect::<Result<_, _>>()?;
                }
                list.push(copy.clone());
            }
        }
        if sc.at_end() {
            break;
        }
        if !sc.eat(b',') {
            return Err("',' expected between places".into());
        }
    }
    if list.is_empty() {
        return Err("all places have been removed".into());
    }
    Ok(Spec::Explicit(list))
}

/// The places of a spec on this machine: `available` is the initial
/// affinity mask (ascending), `group(level, cpu)` the CPUs of cpu's group.
/// Returns the places and, when some were dropped, a warning.
pub fn build(
    spec: &Spec,
    available: &[usize],
    group: impl Fn(Level, usize) -> Option<Place>,
) -> Result<(Vec<Place>, Option<String>), String> {
    let usable = |p: &[usize]| -> Place { p.iter().copied().filter(|c| available.binary_search(c).is_ok()).collect() };
    match spec {
        Spec::Abstract(level, count) => {
            let limit = count.unwrap_or(usize::MAX);
            let mut placed = vec![false; MAX_CPUS];
            let mut out = Vec::new();
            for &c in available {
                if out.len() == limit {
                    break;
                }
                if placed[c] {
                    continue;
                }
                let mut p = usable(&group(*level, c).unwrap_or_else(|| vec![c]));
                if !p.contains(&c) {
                    p.push(c);
                    p.sort_unstable();
                }
                for &q in &p {
                    placed[q] = true;
                }
                out.push(p);
            }
            if out.is_empty() {
                return Err("no places could be made from the machine's topology".into());
            }
            Ok((out, None))
        }
        Spec::Explicit(list) => {
            let out: Vec<Place> = list.iter().map(|p| usable(p)).filter(|p| !p.is_empty()).collect();
            if out.is_empty() {
                return Err("none of the places contain usable logical CPUs".into());
            }
            let warn = (out.len() < list.len()).then(|| {
                format!(
                    "number of places reduced from {} to {} because some places didn't contain any usable logical CPUs",
                    list.len(),
                    out.len()
                )
            });
            Ok((out, warn))
        }
    }
}

/// A place as GCC's runtime prints it in OMP_DISPLAY_ENV: runs of
/// consecutive CPUs as `first:len`, single CPUs as themselves.
pub fn format_place(p: &[usize]) -> String {
    let mut parts = Vec::new();
    let mut i = 0;
    while i < p.len() {
        let mut j = i;
        while j + 1 < p.len() && p[j + 1] == p[j] + 1 {
            j += 1;
        }
        parts.push(if i == j { p[i].to_string() } else { format!("{}:{}", p[i], j - i + 1) });
        i = j + 1;
    }
    parts.join(",")
}

/// Parse a /sys CPU list such as "0-3,8,10-11".
pub fn parse_cpu_list(s: &str) -> Option<Place> {
    let mut out = Vec::new();
    for part in s.trim().split(',').filter(|p| !p.is_empty()) {
        let (a, b) = part.split_once('-').unwrap_or((part, part));
        let (a, b): (usize, usize) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
        out.extend(a..=b);
    }
    out.sort_unstable();
    out.dedup();
    Some(out)
}

/// cpu's group at `level`, read from /sys (None when the kernel does not say).
pub fn sys_group(level: Level, cpu: usize) -> Option<Place> {
    let read = |path: String| std::fs::read_to_string(path).ok().and_then(|s| parse_cpu_list(&s));
    let base = format!("/sys/devices/system/cpu/cpu{cpu}");
    match level {
        Level::Threads => Some(vec![cpu]),
        Level::Cores => read(format!("{base}/topology/thread_siblings_list")),
        Level::Sockets => read(format!("{base}/topology/core_siblings_list")),
        Level::LlCaches => {
            // The cache index with the highest level is the last-level cache.
            let dir = std::fs::read_dir(format!("{base}/cache")).ok()?;
            let best = dir
                .filter_map(|e| {
                    let path = e.ok()?.path();
                    let level: u32 = std::fs::read_to_string(path.join("level")).ok()?.trim().parse().ok()?;
                    Some((level, path))
                })
                .max_by_key(|(level, _)| *level)?;
            read(best.1.join("shared_cpu_list").to_string_lossy().into_owned())
        }
        Level::NumaDomains => {
            let dir = std::fs::read_dir("/sys/devices/system/node").ok()?;
            dir.filter_map(|e| {
                let name = e.ok()?.file_name().into_string().ok()?;
                name.strip_prefix("node")?.parse::<u32>().ok()?;
                read(format!("/sys/devices/system/node/{name}/cpulist"))
            })
            .find(|cpus| cpus.contains(&cpu))
        }
    }
}

#[cfg(test)]
mod tests;
