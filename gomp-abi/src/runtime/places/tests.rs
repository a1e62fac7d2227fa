//! The parser against every OMP_PLACES syntax, with the results GCC 12's
//! runtime gives for the same text (checked on this machine, 2 CPUs).

use super::*;

fn explicit(s: &str) -> Vec<Place> {
    match parse(s) {
        Ok(Spec::Explicit(l)) => l,
        other => panic!("{s}: {other:?}"),
    }
}

#[test]
fn abstract_names_and_counts() {
    assert_eq!(parse("threads"), Ok(Spec::Abstract(Level::Threads, None)));
    assert_eq!(parse(" CORES "), Ok(Spec::Abstract(Level::Cores, None)));
    assert_eq!(parse("sockets(2)"), Ok(Spec::Abstract(Level::Sockets, Some(2))));
    assert_eq!(parse("ll_caches ( 1 )"), Ok(Spec::Abstract(Level::LlCaches, Some(1))));
    assert_eq!(parse("numa_domains"), Ok(Spec::Abstract(Level::NumaDomains, None)));
    for bad in ["threads()", "threads(", "cores(x)", "threads 2", "bogus", "", "sockets(-1)"] {
        assert!(parse(bad).is_err(), "{bad:?} accepted");
    }
}

#[test]
fn explicit_lists_and_intervals() {
    assert_eq!(explicit("{0,1},{2,3}"), vec![vec![0, 1], vec![2, 3]]);
    assert_eq!(explicit(" { 0 } , { 1 } "), vec![vec![0], vec![1]]);
    assert_eq!(explicit("{0:4}"), vec![vec![0, 1, 2, 3]]);
    assert_eq!(explicit("{0:4:2}"), vec![vec![0, 2, 4, 6]]);
    assert_eq!(explicit("{3:2:-1}"), vec![vec![2, 3]]);
    assert_eq!(explicit("{0:4}:2:4"), vec![vec![0, 1, 2, 3], vec![4, 5, 6, 7]]);
    assert_eq!(explicit("{0}:2"), vec![vec![0], vec![1]]);
    assert_eq!(explicit("{0:2}:2:1"), vec![vec![0, 1], vec![1, 2]]);
    assert_eq!(explicit("{1},{0}"), vec![vec![1], vec![0]]);
    assert_eq!(explicit("{0},{0}"), vec![vec![0], vec![0]]);
}

#[test]
fn exclusions() {
    assert_eq!(explicit("{0,1,!0}"), vec![vec![1]]);
    assert_eq!(explicit("{0:4,!2}"), vec![vec![0, 1, 3]]);
    assert_eq!(explicit("{0},{1},!{0}"), vec![vec![1]]);
    assert_eq!(explicit("{0}:3,!{1}"), vec![vec![0], vec![2]]);
    // Removals within a place apply after its additions, as in GCC's runtime.
    assert_eq!(explicit("{!0,0,1}"), vec![vec![1]]);
}

#[test]
fn errors() {
    for bad in [
        "{0",
        "{0},{1},",
        "{0}{1}",
        "0,1",
        "{}",
        "{0:0}",
        "{0}:0",
        "{99999}",
        "{1}:3:-1",
        "{0:2:-1}",
        "{!0,1}",
        "!{0},{1}",
        "{0:2},!{1,0}",
        "{0:2},!{0:2}:2",
        "{!0:2,0:2}",
        "{0},!{0}",
        "{x}",
    ] {
        assert!(parse(bad).is_err(), "{bad:?} accepted: {:?}", parse(bad));
    }
}

#[test]
fn building_respects_the_mask() {
    let none = |_: Level, _: usize| None;
    let (p, w) = build(&parse("{0},{5}").unwrap(), &[0, 1], none).unwrap();
    assert_eq!(p, vec![vec![0]]);
    assert!(w.unwrap().contains("reduced from 2 to 1"));
    let (p, w) = build(&parse("{0:2}:2:1").unwrap(), &[0, 1], none).unwrap();
    assert_eq!((p, w), (vec![vec![0, 1], vec![1]], None));
    assert!(build(&parse("{5}").unwrap(), &[0, 1], none).is_err());
    let (p, _) = build(&parse("{0},{1}").unwrap(), &[1], none).unwrap();
    assert_eq!(p, vec![vec![1]]);
}

#[test]
fn abstract_places_from_a_topology() {
    // 8 CPUs: cores of 2 hardware threads, sockets of 4, CPU 3 not usable.
    let topo = |level: Level, c: usize| match level {
        Level::Threads => Some(vec![c]),
        Level::Cores => Some(vec![c & !1, c | 1]),
        Level::Sockets | Level::LlCaches => Some((c & !3..(c & !3) + 4).collect()),
        Level::NumaDomains => None,
    };
    let avail = [0, 1, 2, 4, 5, 6, 7];
    let places = |s: &str| build(&parse(s).unwrap(), &avail, topo).map(|(p, _)| p);
    assert_eq!(places("threads(3)").unwrap(), vec![vec![0], vec![1], vec![2]]);
    assert_eq!(places("cores").unwrap(), vec![vec![0, 1], vec![2], vec![4, 5], vec![6, 7]]);
    assert_eq!(places("sockets").unwrap(), vec![vec![0, 1, 2], vec![4, 5, 6, 7]]);
    assert_eq!(places("ll_caches(1)").unwrap(), vec![vec![0, 1, 2]]);
    // No NUMA information: one place per CPU, as a missing group means itself.
    assert_eq!(places("numa_domains(2)").unwrap(), vec![vec![0], vec![1]]);
    assert!(places("threads(0)").is_err());
}

#[test]
fn display_form_and_sys_lists() {
    assert_eq!(format_place(&[0, 1]), "0:2");
    assert_eq!(format_place(&[0, 1, 2, 5, 7, 8]), "0:3,5,7:2");
    assert_eq!(format_place(&[3]), "3");
    assert_eq!(parse_cpu_list("0-3,8,10-11\n"), Some(vec![0, 1, 2, 3, 8, 10, 11]));
    assert_eq!(parse_cpu_list("x"), None);
    assert_eq!(sys_group(Level::Threads, 0), Some(vec![0]));
}
