/* Between the shim's own C files; includes Rts.h, so not for bindgen. */
#ifndef HSOMP_RTS_SHIM_INTERNAL_H
#define HSOMP_RTS_SHIM_INTERNAL_H
#include "Rts.h"

/* 1 and the calling thread's preferred in-call Capability when the shim
 * registered the thread (bind_thread / prefer_capability) and the RTS is
 * not detached after a fork; else 0. */
int shim_preferred_capability(unsigned *capability);

/* rts_lock, after asking the Haskell thread on the preferred Capability to
 * yield it (yield.c). */
Capability *shim_lock_capability(void);

/* yield.c, for shim.c: the RTS is shutting down (its Capabilities are about
 * to be freed), and the process was forked (reset the pump's state). */
void shim_capabilities_gone(void);
void shim_yield_after_fork(void);

#endif
