#if canImport(Glibc)
import Glibc
#endif

/// glibc's allocator, tuned for a night's run. Neither `mallopt` nor `malloc_trim` is in Swift's Glibc
/// module, so both are looked up by name.
public enum ProcessMemory {
    /// At most two malloc arenas. glibc gives each thread that allocates an arena of its own, up to
    /// eight per core, and a night's parsing threads, writer and readers each kept one growing
    /// (200,000 receipts: 730 MB peak RSS, 638 MB with two). Call first, before any thread starts.
    public static func limitArenas() {
        #if canImport(Glibc)
        if let mallopt = dlsym(nil, "mallopt") {
            _ = unsafeBitCast(mallopt, to: (@convention(c) (Int32, Int32) -> Int32).self)(-8 /* M_ARENA_MAX */, 2)
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
