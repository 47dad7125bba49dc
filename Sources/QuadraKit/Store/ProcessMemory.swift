#if canImport(Glibc)
import Glibc
#endif

/// glibc's allocator, tuned for a night's run. Neither `mallopt` nor `malloc_trim` is in Swift's Glibc
/// module, so both are looked up by name.
public enum ProcessMemory {
    /// At most four malloc arenas. glibc gives each thread that allocates an arena of its own, up to
    /// eight per core, and a night's parsing threads, writer and readers each kept one growing
    /// (200,000 receipts: 730 MB peak RSS, 638 MB with two). With two, the ingest's two parsing
    /// threads and its writer queued on the arenas' locks: 100,000 receipts' `quadra ingest` took
    /// 13.1 s (1.6 to 2.6 s of it system time, mostly `futex`), 11.2 s with four (1.1 to 1.3 s;
    /// three interleaved runs each), its peak RSS the same (+10 MB); a million receipts' `quadra run`
    /// 261 s and 887 MB, 233 s and 936 MB with four. Call first, before any thread starts.
    public static func limitArenas() {
        #if canImport(Glibc)
        if let mallopt = dlsym(nil, "mallopt") {
            _ = unsafeBitCast(mallopt, to: (@convention(c) (Int32, Int32) -> Int32).self)(-8 /* M_ARENA_MAX */, 4)
        }
        #endif
    }

    /// SQLite without its memory statistics. With them (the library's default) every allocation
    /// SQLite makes takes one process-wide mutex to count itself, and reconciliation's reader and
    /// writer threads queued on it: 100,000 receipts' `quadra reconcile` took 3.84 s, 3.38 s without
    /// (three interleaved runs each, every verdict the same). Quadra reads none of those counters.
    /// `sqlite3_config` is variadic, which Swift does not import, so it is looked up by name like
    /// `mallopt`, and called with its fixed-argument form (the same registers on x86-64 and arm64
    /// Linux). Call first, before any store opens: once SQLite is initialised it refuses, and
    /// nothing changes.
    public static func dropSQLiteMemoryStatistics() {
        #if canImport(Glibc)
        if let config = dlsym(nil, "sqlite3_config") {
            _ = unsafeBitCast(config, to: (@convention(c) (Int32, Int32) -> Int32).self)(9 /* SQLITE_CONFIG_MEMSTATUS */, 0)
        }
        #endif
    }

    /// Returns the memory freed so far to the system, so a phase's caches do not stay in the next
    /// phase's resident size.
    static func trim() {
        #if canImport(Glibc)
        if let trim = dlsym(nil, "malloc_trim") {
            _ = unsafeBitCast(trim, to: (@convention(c) (Int) -> Int32).self)(0)
        }
        #endif
    }
}
