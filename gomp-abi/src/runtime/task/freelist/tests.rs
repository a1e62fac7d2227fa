//! Tests of the free lists: owner return, orphaning, no leaks.

use super::*;
use std::sync::{mpsc, Arc};

crate::runtime::tls::lasting! {
    static L: List<u64> = RefCell::new(Vec::new());
}

#[test]
fn recycles_and_keeps_everything() {
    let a = get(&L, || 1);
    let pa = &*a as *const u64;
    put(&L, a);
    let b = get(&L, || 2);
    assert_eq!(&*b as *const u64, pa, "the freed box is reused");
    assert_eq!(*b, 1);
    for _ in 0..CAP + 10 {
        put(&L, Box::new(0));
    }
    assert_eq!(L.with(|l| l.borrow().len()), CAP + 10, "an ended taskgroup is never freed");
}

/// A pooled node that counts how many exist, to catch leaks and
/// double frees.
struct Node {
    link: Link<Node>,
    val: u64,
    alive: Arc<AtomicUsize>,
}
impl Pooled for Node {
    fn link(&self) -> &Link<Node> {
        &self.link
    }
}
impl Drop for Node {
    fn drop(&mut self) {
        self.alive.fetch_sub(1, Ordering::Relaxed);
    }
}
fn node(alive: &Arc<AtomicUsize>, val: u64) -> Node {
    alive.fetch_add(1, Ordering::Relaxed);
    Node { link: Link::new(), val, alive: alive.clone() }
}

crate::runtime::tls::lasting! {
    static C: Cache<Node> = Cache::new();
}

struct Send<T>(T);
// SAFETY: test only: boxes handed to another thread, as the runtime
// hands descriptors over through its queues.
unsafe impl<T> std::marker::Send for Send<T> {}

#[test]
fn owner_reuses_what_others_free() {
    let alive = Arc::new(AtomicUsize::new(0));
    let (tx, rx) = mpsc::channel::<Send<Vec<Box<Node>>>>();
    let (ack_tx, ack_rx) = mpsc::channel::<()>();
    let consumer = std::thread::spawn(move || {
        for Send(v) in rx {
            v.into_iter().for_each(|b| give(&C, b));
            ack_tx.send(()).unwrap();
        }
    });
    // A pure producer: everything it makes is freed by the consumer.
    for round in 0..1000 {
        let batch = (0..64).map(|k| {
            let mut b = take(&C, || node(&alive, 0));
            b.val = round * 64 + k;
            b
        });
        tx.send(Send(batch.collect())).unwrap();
        ack_rx.recv().unwrap();
    }
    drop(tx);
    consumer.join().unwrap();
    assert_eq!(fresh_allocations(&C), 64, "the producer reuses the nodes freed elsewhere");
    assert_eq!(alive.load(Ordering::Relaxed), 64);
}

#[test]
fn concurrent_pushes_and_drains_lose_nothing() {
    const BATCHES: usize = 600;
    const PUSHERS: usize = 3;
    let alive = Arc::new(AtomicUsize::new(0));
    // Bounded, so fewer than CAP nodes are ever out (beyond CAP a drain
    // frees nodes instead of keeping them).
    let (tx, rx) = mpsc::sync_channel::<Send<Vec<Box<Node>>>>(4);
    let rx = Arc::new(std::sync::Mutex::new(rx));
    let pushers: Vec<_> = (0..PUSHERS)
        .map(|_| {
            let rx = rx.clone();
            std::thread::spawn(move || loop {
                let batch = rx.lock().unwrap().recv();
                match batch {
                    Ok(Send(v)) => v.into_iter().for_each(|b| give(&C, b)),
                    Err(_) => return,
                }
            })
        })
        .collect();
    // The owner drains (take) while the pushers push.
    for round in 0..BATCHES {
        let batch: Vec<Box<Node>> = (0..100)
            .map(|k| {
                let mut b = take(&C, || node(&alive, 0));
                b.val = (round * 100 + k) as u64;
                b
            })
            .collect();
        let mut addrs: Vec<usize> = batch.iter().map(|b| &**b as *const Node as usize).collect();
        addrs.sort_unstable();
        addrs.dedup();
        assert_eq!(addrs.len(), 100, "a node handed out twice at once");
        tx.send(Send(batch)).unwrap();
    }
    drop(tx);
    for p in pushers {
        p.join().unwrap();
    }
    // Every node is back: taking as many as were made allocates nothing.
    let made = fresh_allocations(&C);
    assert!(made < CAP, "nodes are reused: {made}");
    let back: Vec<_> = (0..made).map(|_| take(&C, || node(&alive, 0))).collect();
    assert_eq!(fresh_allocations(&C), made, "no node was lost");
    let mut addrs: Vec<usize> = back.iter().map(|b| &**b as *const Node as usize).collect();
    addrs.sort_unstable();
    addrs.dedup();
    assert_eq!(addrs.len(), made, "no node is duplicated");
    back.into_iter().for_each(|b| give(&C, b));
    assert_eq!(alive.load(Ordering::Relaxed), made);
}

#[test]
fn nodes_freed_after_the_owner_exits_are_released() {
    let alive = Arc::new(AtomicUsize::new(0));
    let a2 = alive.clone();
    // A thread makes nodes and exits while others still hold them.
    let held: Vec<Send<Box<Node>>> = std::thread::spawn(move || {
        let v: Vec<_> = (0..1000).map(|i| Send(take(&C, || node(&a2, i)))).collect();
        // some go home before the exit, to its local list
        v.into_iter()
            .filter_map(|Send(b)| {
                if b.val % 2 == 0 {
                    give(&C, b);
                    None
                } else {
                    Some(Send(b))
                }
            })
            .collect()
    })
    .join()
    .unwrap();
    assert_eq!(alive.load(Ordering::Relaxed), 500, "the exited thread freed its list");
    let givers: Vec<_> = held
        .chunks(250)
        .map(|c| c.iter().map(|Send(b)| Send(&**b as *const Node as *mut Node)).collect::<Vec<_>>())
        .map(|ptrs| {
            std::thread::spawn(move || {
                for Send(p) in ptrs {
                    // SAFETY: test: ownership moves with the pointer
                    // (`held` forgets its boxes below).
                    give(&C, unsafe { Box::from_raw(p) });
                }
            })
        })
        .collect();
    std::mem::forget(held);
    for g in givers {
        g.join().unwrap();
    }
    assert_eq!(alive.load(Ordering::Relaxed), 0, "late frees of an orphan's nodes are released");
}

#[test]
fn a_stack_reuses_lifo_and_frees_what_it_keeps_after_its_cache() {
    let alive = Arc::new(AtomicUsize::new(0));
    let a2 = alive.clone();
    let kept = std::thread::spawn(move || {
        let s = Stack::new();
        let a = take(&C, || node(&a2, 1));
        let b = take(&C, || node(&a2, 2));
        let pb = &*b as *const Node;
        s.push(a);
        s.push(b);
        let top = s.pop().expect("two kept");
        assert_eq!(&*top as *const Node, pb, "last kept, first reused");
        s.push(top);
        Send(s)
    })
    .join()
    .unwrap();
    // The thread and its cache are gone (as a thread's state can outlive
    // its cache at exit): the stack's nodes still reach the allocator.
    assert_eq!(alive.load(Ordering::Relaxed), 2);
    drop(kept);
    assert_eq!(alive.load(Ordering::Relaxed), 0);
}
