//! `#pragma omp barrier`.

use crate::runtime::team::with_state;

#[no_mangle]
pub extern "C" fn GOMP_barrier() {
    with_state(|ts| ts.team_barrier())
}
