/* Field offsets of RTS structures, from the installed GHC's
 * DerivedConstants.h. A file of its own: that header redefines BLOCK_SIZE
 * when it meets Rts.h. */
#include <stddef.h>
#include "DerivedConstants.h"

const size_t hsomp_rts_offset_capability_no = OFFSET_Capability_no;
