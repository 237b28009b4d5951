#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A buffered writer of bytes to a file, with fast formatting of the values CSV files need
/// (integers, fixed-point decimals, ISO timestamps) and RFC 4180 quoting of text.
///
/// Bytes go into a raw buffer that is handed to `write(2)` when it fills; the current line
/// always stays in the buffer, so it can be written twice (the generator's injected
/// duplicates). Writes to `path.tmp` and renames on ``close()``, so a reader never sees
/// half a file. One thread uses a writer.
public final class ByteWriter {
    private let path: String
    private let temporaryPath: String
    private var fd: Int32
    @exclusivity(unchecked) private var base: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var capacity = 1 << 20
    @exclusivity(unchecked) private var count = 0
    /// Where the current line starts in the buffer.
    @exclusivity(unchecked) private var lineStart = 0
    private var failed: Int32 = 0

    public init(path: String) throws {
        self.path = path
        self.temporaryPath = path + ".tmp"
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else {
            throw FileWriteError(path: path, reason: "cannot create the file: \(String(cString: strerror(errno)))")
        }
        base = .allocate(capacity: capacity)
    }

    deinit {
        base.deallocate()
        if fd >= 0 { Glibc.close(fd) }
    }

    /// Makes room for `n` more bytes: writes out the finished lines, grows for a long line.
    @inline(__always)
    private func reserve(_ n: Int) {
        if count + n > capacity { makeRoom(n) }
    }

    private func makeRoom(_ n: Int) {
        writeOut(upTo: lineStart)
        if count + n > capacity {
            while count + n > capacity { capacity *= 2 }
            let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            fresh.update(from: base, count: count)
            base.deallocate()
            base = fresh
        }
    }

    /// Writes the first `end` bytes and moves the rest to the front.
    private func writeOut(upTo end: Int) {
        var done = 0
        while done < end, failed == 0 {
            let w = Glibc.write(fd, base + done, end - done)
            if w < 0 { if errno != EINTR { failed = errno } } else { done += w }
        }
        if end > 0 {
            (base).update(from: base + end, count: count - end)
            count -= end
            lineStart -= end
        }
    }

    @inline(__always)
    public func byte(_ b: UInt8) {
        reserve(1)
        base[count] = b
        count += 1
    }

    private func bytes(_ s: String) {
        var s = s
        s.withUTF8 { u in
            reserve(u.count)
            if let p = u.baseAddress { (base + count).update(from: p, count: u.count) }
            count += u.count
        }
    }

    public func text(_ s: String) { bytes(s) }

    /// A CSV field: quoted (with doubled quotes) when it holds a delimiter, quote or line break.
    public func field(_ s: String) {
        if s.utf8.contains(where: { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 || $0 == 59 || $0 == 9 }) {
            reserve(s.utf8.count * 2 + 2)
            base[count] = 34; count += 1
            for b in s.utf8 {
                if b == 34 { base[count] = 34; count += 1 }
                base[count] = b; count += 1
            }
            base[count] = 34; count += 1
        } else {
            bytes(s)
        }
    }

    public func int(_ v: Int) {
        reserve(21)
        if v < 0 { base[count] = 45; count += 1 }
        var m = v.magnitude
        if m == 0 { base[count] = 48; count += 1; return }
        var digits = 0
        var t = m
        while t > 0 { digits += 1; t /= 10 }
        var i = count + digits - 1
        while m > 0 { base[i] = UInt8(48 + m % 10); m /= 10; i -= 1 }
        count += digits
    }

    /// `v` padded with zeros to `width` digits (non-negative values).
    public func int(_ v: Int, width: Int) {
        reserve(width + 21)
        var p = 10
        var w = 1
        while w < width { if v < p { base[count] = 48; count += 1 }; p *= 10; w += 1 }
        int(v)
    }

    /// A number with exactly two decimals when it is a whole number of cents, else the
    /// shortest text that reads back as the same double.
    public func decimal(_ v: Double) {
        let cents = (v * 100).rounded()
        if abs(cents) < 1e15, abs(cents / 100 - v) <= 1e-9 * max(1, abs(v)) {
            let c = Int(cents)
            if c < 0 { byte(45) }
            int(Int(c.magnitude / 100))
            byte(46)
            int(Int(c.magnitude % 100), width: 2)
        } else {
            bytes(v.description)
        }
    }

    /// `YYYY-MM-DDTHH:MM:SS` (UTC) of seconds since 1970.
    public func timestamp(_ s: Int64) {
        let day = dayNumber(ofSeconds: s)
        let rest = Int(s - Int64(day) * 86_400)
        date(day)
        byte(84)
        int(rest / 3600, width: 2); byte(58); int(rest / 60 % 60, width: 2); byte(58); int(rest % 60, width: 2)
    }

    /// `YYYY-MM-DD` of a day number.
    public func date(_ day: Int) {
        let d = CivilDate(dayNumber: day)
        int(d.year, width: 4); byte(45); int(d.month, width: 2); byte(45); int(d.day, width: 2)
    }

    /// Ends a line; with `repeating`, the line is written a second time.
    public func newline(repeating: Bool = false) {
        byte(10)
        if repeating {
            let n = count - lineStart
            reserve(n)
            (base + count).update(from: base + lineStart, count: n)
            count += n
        }
        lineStart = count
    }

    /// Writes what is left, closes and moves the file into place.
    public func close() throws {
        lineStart = count
        writeOut(upTo: count)
        let closed = Glibc.close(fd)
        fd = -1
        if failed != 0 || closed != 0 {
            let code = failed != 0 ? failed : errno
            throw FileWriteError(path: path, reason: "write failed: \(String(cString: strerror(code)))")
        }
        if rename(temporaryPath, path) != 0 {
            throw FileWriteError(path: path, reason: "cannot move the file into place: \(String(cString: strerror(errno)))")
        }
    }
}

/// A file that could not be written: its path and what went wrong (from `errno`).
public struct FileWriteError: Error, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String { "\(path): cannot write: \(reason)" }
}
