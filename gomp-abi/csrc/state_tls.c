/* The calling thread's ThreadState, cached in a thread-local word that Rust
 * reads through a TLS descriptor (runtime/team/state.rs): a call that
 * returns the offset at once when the word is in static TLS, which is where
 * the dynamic linker puts it when it can. Rust's own thread-locals cost a
 * call to __tls_get_addr in a shared library on every OpenMP entry point,
 * and stable Rust cannot choose the access model; the initial-exec model
 * would cost one instruction less but fails to load where static TLS has
 * no room left (GHCi loading the runtime: "cannot allocate memory in static
 * TLS block"). Hidden: nothing outside the library sees it. */
__attribute__((visibility("hidden"))) __thread void *hsomp_state_tls;
