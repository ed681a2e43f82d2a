//! Running independent work items on several threads and getting the results back in input
//! order, so that nothing downstream depends on scheduling.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `f` applied to every item on up to `threads` threads; results in the order of `items`. A
/// panic in a worker is re-raised here rather than losing its results.
pub fn map<T: Sync, R: Send>(items: &[T], threads: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    // Small items (a file, an ownership file): a thread is worth it for 16 of them or more.
    map_costly(items, threads.min(items.len().div_ceil(16)), f)
}

/// [`map`] for a few costly items (a pack to parse or compile): a thread for each, up to
/// `threads`.
pub fn map_costly<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let threads = threads.min(items.len()).max(1);
    if threads == 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let done: Vec<Vec<(usize, R)>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        done.push((i, f(item)));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    // Each result moved once into its place, rather than sorted: a result can be large (a
    // file's findings), and thousands of them are gathered on one thread while the others wait.
    let mut slots: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    for (i, r) in done.into_iter().flatten() {
        slots[i] = Some(r);
    }
    slots.into_iter().flatten().collect()
}

/// Results a worker of [`each`] hands over at a time: one hand-over per result would wake the
/// taking thread for every file.
const BATCH: usize = 64;

/// `f` applied to every item on up to `threads` threads, with `take` called on this thread
/// with each result as it comes, in no set order. No worker waits for another: in chunks, every
/// thread waited at each chunk's end for the slowest item, or for a thread the machine had
/// put aside. At most a few batches per thread wait to be taken, so `take` can bound what it
/// keeps. A panic in a worker is re-raised here.
pub fn each<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
    mut take: impl FnMut(R),
) {
    let threads = threads.min(items.len().div_ceil(16)).max(1);
    if threads == 1 {
        items.iter().for_each(|item| take(f(item)));
        return;
    }
    let next = AtomicUsize::new(0);
    let (sender, batches) = std::sync::mpsc::sync_channel::<Vec<R>>(threads * 2);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let sender = sender.clone();
                let (f, next) = (&f, &next);
                scope.spawn(move || {
                    let mut batch = Vec::with_capacity(BATCH);
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        batch.push(f(item));
                        if batch.len() == BATCH {
                            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                            // The taking side is gone only when it panicked: stop.
                            if sender.send(full).is_err() {
                                return;
                            }
                        }
                    }
                    let _ = sender.send(batch);
                })
            })
            .collect();
        drop(sender);
        for batch in batches {
            batch.into_iter().for_each(&mut take);
        }
        for worker in workers {
            worker
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
        }
    });
}

/// Drops `value` on a thread of its own that nothing waits for. Freeing a large structure (the
/// walk's ignore chains, a pack's compiled rules, ten thousand paths: allocations made on other
/// threads) took milliseconds at the end of a run, on one thread while the others had nothing
/// left to do. When no thread can be started, `value` is dropped here.
pub fn drop_aside<T: Send + 'static>(value: T) {
    // On failure the closure, and `value` with it, is dropped by `spawn`.
    let _ = std::thread::Builder::new()
        .name("drop".into())
        .spawn(move || drop(value));
}

/// The default thread count: every core.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_takes_every_result_once_whatever_the_thread_count() {
        let items: Vec<u32> = (0..1000).collect();
        for threads in [1, 2, 8] {
            let mut taken = Vec::new();
            super::each(&items, threads, |i| i * 2, |r| taken.push(r));
            taken.sort_unstable();
            assert_eq!(taken, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        }
    }

    #[test]
    fn a_panic_on_either_side_of_each_reaches_the_caller_and_nothing_waits() {
        let items: Vec<u32> = (0..20_000).collect();
        for threads in [2, 8] {
            // A worker panics: the others finish, and the panic is raised here.
            let worker = std::panic::catch_unwind(|| {
                super::each(&items, threads, |&i| assert!(i != 5_000, "worker"), |()| {});
            });
            assert!(worker.is_err(), "{threads}");
            // The taking side panics: the workers stop at their next batch, not blocked on a
            // full channel.
            let mut taken = 0;
            let taker = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                super::each(
                    &items,
                    threads,
                    |&i| i,
                    |_| {
                        taken += 1;
                        assert!(taken < 1_000, "taker");
                    },
                );
            }));
            assert!(taker.is_err(), "{threads}");
            assert_eq!(taken, 1_000);
        }
    }

    #[test]
    fn results_keep_input_order_whatever_the_thread_count() {
        let items: Vec<u32> = (0..1000).collect();
        for threads in [1, 2, 8] {
            let out = super::map(&items, threads, |i| i * 2);
            assert_eq!(out, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        }
    }
}
