/* Field offsets of RTS structures, from the installed GHC's
 * DerivedConstants.h. A file of its own: that header redefines BLOCK_SIZE
 * when it meets Rts.h. */
#include <stddef.h>
#include "DerivedConstants.h"

const size_t hsomp_rts_offset_capability_no = OFFSET_Capability_no;
/* Where a Capability keeps the two words the RTS's timer writes to make the
 * Haskell thread running on it return to the scheduler. */
const size_t hsomp_rts_offset_capability_context_switch = OFFSET_Capability_context_switch;
const size_t hsomp_rts_offset_capability_hp_lim = OFFSET_Capability_r + OFFSET_StgRegTable_rHpLim;

/* The Capability's running_task (the Task holding it, NULL when free) is not
 * in DerivedConstants.h. On GHC 9.0 it follows `no` and `node`; the fields
 * from `no` to `mut_lists` (no, node, running_task, in_haskell, idle,
 * disabled, run_queue_hd/tl, n_run_queue, suspended_ccalls,
 * n_suspended_ccalls) take 72 bytes. When the two published offsets around
 * it do not match that layout, the shim does not guess: it reports the
 * layout unknown and makes no yield requests. */
const int hsomp_rts_capability_layout_known =
    sizeof(void *) == 8 && OFFSET_Capability_mut_lists == OFFSET_Capability_no + 72;
const size_t hsomp_rts_offset_capability_running_task = OFFSET_Capability_no + 8;
/* n_run_queue: the number of Haskell threads queued on the Capability. */
const size_t hsomp_rts_offset_capability_n_run_queue = OFFSET_Capability_no + 48;
