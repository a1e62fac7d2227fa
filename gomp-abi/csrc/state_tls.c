/* The calling thread's ThreadState, cached in a thread-local word of the
 * initial-exec model: Rust reads it with one instruction after the load of
 * its offset (runtime/team/state.rs), where Rust's own thread-locals cost a
 * call to __tls_get_addr in a shared library on every OpenMP entry point.
 * Stable Rust cannot choose a thread-local's TLS model, so the word is
 * defined here. Hidden: nothing outside the library sees it. */
__attribute__((visibility("hidden"), tls_model("initial-exec"))) __thread void *hsomp_state_tls;
