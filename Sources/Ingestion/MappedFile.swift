#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A read-only memory map of a whole file.
///
/// The parser reads the bytes in place; pages it has finished with can be handed back to
/// the kernel (``release(upTo:from:)``) so resident memory stays small on large files. A
/// released page is simply read again from the page cache if touched later (e.g. to copy a
/// rejected line).
final class MappedFile: @unchecked Sendable {
    let path: String
    let count: Int
    let bytes: UnsafePointer<UInt8>
    private let mapping: UnsafeMutableRawPointer?
    private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
    // An empty file cannot be mapped; it gets a one-byte dummy buffer.
    nonisolated(unsafe) private static let emptyBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)

    init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw IngestionError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            throw IngestionError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            throw IngestionError.cannotOpen(path: path, reason: "is a directory")
        }
        count = Int(st.st_size)
        if count == 0 {
            mapping = nil
            bytes = UnsafePointer(MappedFile.emptyBuffer)
            return
        }
        let m = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let m, m != MAP_FAILED else {
            throw IngestionError.cannotOpen(path: path, reason: "mmap failed: \(String(cString: strerror(errno)))")
        }
        _ = madvise(m, count, MADV_SEQUENTIAL)
        mapping = m
        bytes = UnsafePointer(m.assumingMemoryBound(to: UInt8.self))
    }

    deinit {
        if let mapping { munmap(mapping, count) }
    }

    /// Tells the kernel the pages fully inside `[from, upTo)` are no longer needed.
    func release(upTo end: Int, from start: Int) {
        guard let mapping else { return }
        let ps = MappedFile.pageSize
        let a = (start + ps - 1) / ps * ps
        let b = end / ps * ps
        if b > a { _ = madvise(mapping + a, b - a, MADV_DONTNEED) }
    }
}
