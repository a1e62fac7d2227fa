//! Place assignment for each policy, T <= P and T > P, with the partitions
//! GCC 12's runtime gives (the 2-place cases were checked against it on
//! this machine; the others follow OpenMP 5.1 §2.6.2).

use super::*;

fn team(bind: i32, master: Placement, n: u32) -> Vec<(u32, u32, u32)> {
    let mut out = Vec::new();
    assign(bind, master, n, &mut out);
    assert_eq!(out.len(), n as usize);
    // 0-based places, as omp_get_place_num reports them.
    out.iter().map(|p| (p.place - 1, p.off, p.len)).collect()
}

fn at(place: u32, off: u32, len: u32) -> Placement {
    Placement { place: place + 1, off, len }
}

#[test]
fn close_wraps_and_packs_extra_threads() {
    assert_eq!(team(kind::CLOSE, at(0, 0, 2), 2), vec![(0, 0, 2), (1, 0, 2)]);
    assert_eq!(team(kind::CLOSE, at(0, 0, 2), 3), vec![(0, 0, 2), (1, 0, 2), (0, 0, 2)]);
    assert_eq!(team(kind::TRUE, at(1, 0, 4), 3), vec![(1, 0, 4), (2, 0, 4), (3, 0, 4)]);
    let places: Vec<u32> = team(kind::CLOSE, at(0, 0, 2), 5).iter().map(|t| t.0).collect();
    assert_eq!(places, vec![0, 0, 1, 1, 0]);
    let places: Vec<u32> = team(kind::CLOSE, at(3, 2, 2), 4).iter().map(|t| t.0).collect();
    assert_eq!(places, vec![3, 3, 2, 2]);
}

#[test]
fn primary_keeps_everyone_on_the_master_place() {
    assert_eq!(team(kind::PRIMARY, at(1, 0, 2), 3), vec![(1, 0, 2); 3]);
}

#[test]
fn spread_cuts_the_partition() {
    assert_eq!(team(kind::SPREAD, at(0, 0, 2), 2), vec![(0, 0, 1), (1, 1, 1)]);
    assert_eq!(team(kind::SPREAD, at(0, 0, 8), 2), vec![(0, 0, 4), (4, 4, 4)]);
    assert_eq!(team(kind::SPREAD, at(0, 0, 8), 3), vec![(0, 0, 3), (3, 3, 3), (6, 6, 2)]);
    // The master keeps its place; its subpartition is the one holding it.
    assert_eq!(team(kind::SPREAD, at(5, 0, 8), 2), vec![(5, 4, 4), (0, 0, 4)]);
    // A nested spread inside a subpartition stays inside it.
    assert_eq!(team(kind::SPREAD, at(4, 4, 4), 2), vec![(4, 4, 2), (6, 6, 2)]);
}

#[test]
fn spread_with_more_threads_than_places() {
    assert_eq!(team(kind::SPREAD, at(0, 0, 2), 3), vec![(0, 0, 1), (1, 1, 1), (0, 0, 1)]);
    assert_eq!(team(kind::SPREAD, at(1, 0, 2), 4), vec![(1, 1, 1), (1, 1, 1), (0, 0, 1), (0, 0, 1)]);
}

#[test]
fn clause_and_list_resolution() {
    // bind-var false: the clause has no effect.
    assert_eq!(resolve(kind::FALSE, kind::SPREAD, &[], 1), (kind::FALSE, kind::FALSE));
    // No clause: bind-var; the implicit tasks take the next list element.
    assert_eq!(resolve(kind::CLOSE, kind::FALSE, &[kind::CLOSE, kind::SPREAD], 1), (kind::CLOSE, kind::SPREAD));
    // A clause overrides, and is inherited past the end of the list.
    assert_eq!(resolve(kind::TRUE, kind::PRIMARY, &[kind::TRUE], 1), (kind::PRIMARY, kind::PRIMARY));
    assert_eq!(resolve(kind::CLOSE, kind::PRIMARY, &[kind::CLOSE, kind::SPREAD], 1), (kind::PRIMARY, kind::SPREAD));
}

#[test]
fn pinning_follows_the_place() {
    let cpus = current_cpus();
    assert!(!cpus.is_empty());
    let places = vec![vec![cpus[0]]];
    std::thread::spawn(move || {
        pin(&places, 1);
        assert_eq!(current_cpus(), vec![places[0][0]]);
    })
    .join()
    .unwrap();
}

#[test]
fn moved_threads_are_noticed() {
    let mut team = Vec::new();
    let (m, moved) = place_team(kind::CLOSE, at(0, 0, 2), 2, &mut team, true);
    assert_eq!((m, moved), (at(0, 0, 2), false), "a first team moves nobody");
    assert!(!place_team(kind::CLOSE, at(0, 0, 2), 2, &mut team, true).1);
    assert!(place_team(kind::PRIMARY, at(0, 0, 2), 2, &mut team, true).1);
    assert!(!place_team(kind::PRIMARY, at(0, 0, 2), 3, &mut team, true).1, "new threads are not moves");
    // Under true a thread inside its new partition is not moved.
    assert!(!place_team(kind::TRUE, at(0, 0, 2), 2, &mut team, true).1);
    assert!(!place_team(kind::SPREAD, at(0, 0, 2), 2, &mut team, true).1, "same place, smaller partition");
    assert!(!place_team(kind::PRIMARY, at(0, 0, 2), 2, &mut team, false).1, "untracked");
}
