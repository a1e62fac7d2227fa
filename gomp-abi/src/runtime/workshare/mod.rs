//! Worksharing: loops, sections and single, split as libgomp splits
//! iter.c, work.c and loop.c:
//!
//! | file | what |
//! |---|---|
//! | iter.rs | iteration spaces (`Space`) and the static, dynamic and guided schedules |
//! | ring.rs | the ring of work shares: one elected initialiser per construct, slot reuse |
//! | construct.rs | the calling thread's side: begin, next chunk, end, ordered, doacross |
//! | gomp_loop.rs | what the GOMP_loop_* entry points share: schedule decoding, loop and doacross starts |
//!
//! Each file's module comment has its protocol.

mod construct;
pub mod gomp_loop;
mod iter;
mod ring;

pub use construct::*;
pub use iter::*;
pub use ring::*;
