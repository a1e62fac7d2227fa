//! Expansion checked against both runtimes on this machine: formats GCC's
//! runtime accepts give its output; the ones only LLVM's accepts give LLVM's.

use super::*;

fn fields() -> Fields {
    Fields {
        team_num: 0,
        num_teams: 1,
        level: 1,
        thread_num: 3,
        num_threads: 4,
        ancestor_tnum: -1,
        native_thread_id: 0x7f3d_4c4c_37c0,
        affinity: vec![0, 1, 2, 5],
    }
}

fn x(fmt: &str) -> String {
    expand(fmt, &fields())
}

#[test]
fn formats_gcc_accepts() {
    assert_eq!(x("%0.7{ancestor_tnum}"), "-000001");
    assert_eq!(x("%0.3a|%5a|%.5a"), "-01|-1   |   -1");
    assert_eq!(x("%L %n/%N %t/%T"), "1 3/4 0/1");
    assert_eq!(x("%{nesting_level} %{thread_num} %{num_threads} %{team_num} %{num_teams}"), "1 3 4 0 1");
    assert_eq!(x("%A|%{thread_affinity}|%0.8A|%8A|"), "0-2,5|0-2,5|   0-2,5|0-2,5   |");
    assert_eq!(x("%0.20i"), "0x0000007f3d4c4c37c0");
    assert_eq!(x("%.16i|%i"), "  0x7f3d4c4c37c0|0x7f3d4c4c37c0");
    assert_eq!(x("100%% %.3{thread_num}x"), "100%   3x");
    assert_eq!(x("%0.1n"), "3");
}

#[test]
fn formats_only_llvm_accepts() {
    // A zero without a dot: left-justified, no zeros.
    assert_eq!(x("%05n|%0L|%05a|"), "3    |1|-1   |");
    // A width with a leading zero zero-pads; a width of 0 pads nothing.
    assert_eq!(x("%.05n|%.03a|%.0n|%0.0n"), "00003|-01|3|3");
    // Unknown fields, short names in braces, long names without them.
    assert_eq!(x("%{foo}|%z|%{t}|%{}|%5%|"), "undefined|undefined|undefined|undefined|undefined|");
    assert_eq!(x("%-5n|%5.n|%+3n"), "undefined5n|undefinedn|undefined3n");
    assert_eq!(x("%12{bogus}|"), "undefined|");
    assert_eq!(x("a%{thread_num"), "aundefined");
    assert_eq!(x("b%3"), "bundefined");
}

#[test]
fn ranges() {
    assert_eq!(cpu_ranges(&[]), "");
    assert_eq!(cpu_ranges(&[4]), "4");
    assert_eq!(cpu_ranges(&[0, 1, 3, 4, 5, 9]), "0-1,3-5,9");
}
