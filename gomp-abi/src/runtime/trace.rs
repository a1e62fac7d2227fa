//! HSOMP_TRACE=file.json: every region, barrier wait and task, per thread, as
//! Chrome trace events (open the file in Perfetto or chrome://tracing).
//!
//! Off by default. When off, the only cost on a hot path is one relaxed load
//! of `ENABLED` and a predictable branch (`start()` returns None).
//! When on, each thread appends complete ("X") events to its own buffer; the
//! buffers are registered once in `BUFFERS` and written out at process exit
//! (atexit), so recording takes only the thread's own uncontended lock.

use std::cell::OnceCell;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

static ENABLED: AtomicBool = AtomicBool::new(false);
static PATH: OnceLock<String> = OnceLock::new();
static BUFFERS: Mutex<Vec<Arc<Mutex<ThreadBuffer>>>> = Mutex::new(Vec::new());

/// Events kept per thread; beyond this they are counted, not stored.
const MAX_EVENTS_PER_THREAD: usize = 4_000_000;

struct Event {
    name: &'static str,
    category: &'static str,
    start_ns: u64,
    duration_ns: u64,
    arg: u64,
}

struct ThreadBuffer {
    os_tid: i64,
    thread_name: String,
    events: Vec<Event>,
    dropped: u64,
}

super::tls::lasting! {
    static MINE: OnceCell<Arc<Mutex<ThreadBuffer>>> = OnceCell::new();
}

fn now_ns() -> u64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: valid out-parameter; CLOCK_MONOTONIC always exists on Linux.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// Turn tracing on, writing to `path` at exit. Called once at start-up.
pub fn enable(path: String) {
    if PATH.set(path).is_ok() {
        extern "C" fn at_exit() {
            write_out();
        }
        // SAFETY: registers a plain extern "C" function with no arguments.
        unsafe { libc::atexit(at_exit) };
        ENABLED.store(true, Ordering::Release);
    }
}

/// The start time of a span when tracing is on.
#[inline]
pub fn start() -> Option<u64> {
    if ENABLED.load(Ordering::Relaxed) {
        Some(now_ns())
    } else {
        None
    }
}

/// Record a span that began at `start` (from `start()`) and ends now.
#[inline]
pub fn end(start: Option<u64>, name: &'static str, category: &'static str, arg: u64) {
    if let Some(start_ns) = start {
        record(Event { name, category, start_ns, duration_ns: now_ns().saturating_sub(start_ns), arg });
    }
}

#[cold]
fn record(event: Event) {
    MINE.with(|cell| {
        let buf = cell.get_or_init(|| {
            // SAFETY: gettid has no preconditions.
            let os_tid = unsafe { libc::syscall(libc::SYS_gettid) } as i64;
            let thread_name = std::thread::current().name().unwrap_or("thread").to_owned();
            let b = Arc::new(Mutex::new(ThreadBuffer { os_tid, thread_name, events: Vec::new(), dropped: 0 }));
            BUFFERS.lock().unwrap_or_else(|e| e.into_inner()).push(b.clone());
            b
        });
        let mut b = buf.lock().unwrap_or_else(|e| e.into_inner());
        if b.events.len() < MAX_EVENTS_PER_THREAD {
            b.events.push(event);
        } else {
            b.dropped += 1;
        }
    })
}

fn write_out() {
    let Some(path) = PATH.get() else { return };
    let buffers = BUFFERS.lock().unwrap_or_else(|e| e.into_inner());
    let pid = std::process::id();
    let mut out = String::from("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n");
    let mut first = true;
    let mut sep = |out: &mut String| {
        if !first {
            out.push_str(",\n");
        }
        first = false;
    };
    for buf in buffers.iter() {
        let b = buf.lock().unwrap_or_else(|e| e.into_inner());
        sep(&mut out);
        out.push_str(&format!(
            "{{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":{pid},\"tid\":{},\"args\":{{\"name\":\"{}\"}}}}",
            b.os_tid,
            b.thread_name.replace(['"', '\\'], "_")
        ));
        for e in &b.events {
            sep(&mut out);
            out.push_str(&format!(
                "{{\"name\":\"{}\",\"cat\":\"{}\",\"ph\":\"X\",\"ts\":{:.3},\"dur\":{:.3},\"pid\":{pid},\"tid\":{},\"args\":{{\"n\":{}}}}}",
                e.name,
                e.category,
                e.start_ns as f64 / 1e3,
                e.duration_ns as f64 / 1e3,
                b.os_tid,
                e.arg
            ));
        }
        if b.dropped > 0 {
            eprintln!("hsomp: trace buffer of thread {} full; {} events dropped", b.os_tid, b.dropped);
        }
    }
    out.push_str("\n]}\n");
    match std::fs::File::create(path).and_then(|mut f| f.write_all(out.as_bytes())) {
        Ok(()) => {}
        Err(e) => eprintln!("hsomp: cannot write HSOMP_TRACE file {path}: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disabled_tracing_records_nothing() {
        if ENABLED.load(Ordering::Relaxed) {
            return;
        }
        let s = start();
        assert!(s.is_none());
        end(s, "region", "parallel", 2);
        assert!(BUFFERS.lock().unwrap().is_empty());
    }
}
