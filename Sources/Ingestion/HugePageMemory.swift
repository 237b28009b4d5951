#if canImport(Glibc)
import Glibc
#endif

/// Large, randomly accessed tables (the id interner's slots, the grouping scratch) allocated
/// with `mmap` and advised to use transparent huge pages: with 4 KiB pages nearly every
/// random access to a table of hundreds of megabytes also misses the TLB. Small requests,
/// and systems that refuse, fall back to ordinary allocation.
enum HugePageMemory {
    private static let threshold = 4 << 20

    /// Memory for `count` values of `T`, uninitialized. Free it with ``deallocate(_:count:)``.
    static func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let bytes = max(1, count * MemoryLayout<T>.stride)
        if bytes >= threshold {
            let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            if let p, p != MAP_FAILED {
                _ = madvise(p, bytes, MADV_HUGEPAGE)
                return p.bindMemory(to: T.self, capacity: count)
            }
        }
        return .allocate(capacity: max(1, count))
    }

    static func deallocate<T>(_ p: UnsafeMutablePointer<T>, count: Int) {
        let bytes = max(1, count * MemoryLayout<T>.stride)
        if bytes >= threshold {
            munmap(UnsafeMutableRawPointer(p), bytes)
        } else {
            p.deallocate()
        }
    }
}
