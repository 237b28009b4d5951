import Foundation

/// A buffered writer of bytes to a file, with fast formatting of the values CSV files need
/// (integers, fixed-point decimals, ISO timestamps) and RFC 4180 quoting of text.
///
/// Writes to `path.tmp` and renames on ``close()``, so a reader never sees half a file.
public final class ByteWriter {
    private var buffer: [UInt8] = []
    private let handle: FileHandle
    private let path: String
    private let temporaryPath: String
    private static let flushSize = 1 << 20

    public init(path: String) throws {
        self.path = path
        self.temporaryPath = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporaryPath, contents: nil) else {
            throw IngestionError.cannotOpen(path: path, reason: "cannot create the file")
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporaryPath))
        buffer.reserveCapacity(ByteWriter.flushSize + 4096)
    }

    @inline(__always)
    public func byte(_ b: UInt8) {
        buffer.append(b)
    }

    public func text(_ s: String) {
        buffer.append(contentsOf: s.utf8)
    }

    /// A CSV field: quoted (with doubled quotes) when it holds a delimiter, quote or line break.
    public func field(_ s: String) {
        if s.utf8.contains(where: { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 || $0 == 59 || $0 == 9 }) {
            buffer.append(34)
            for b in s.utf8 { if b == 34 { buffer.append(34) }; buffer.append(b) }
            buffer.append(34)
        } else {
            buffer.append(contentsOf: s.utf8)
        }
    }

    public func int(_ v: Int) {
        if v < 0 { buffer.append(45) }
        var m = v.magnitude
        if m == 0 { buffer.append(48); return }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            while m > 0 { d[n] = UInt8(48 + m % 10); m /= 10; n += 1 }
            while n > 0 { n -= 1; buffer.append(d[n]) }
        }
    }

    /// `v` padded with zeros to `width` digits (non-negative values).
    public func int(_ v: Int, width: Int) {
        var p = 10
        var w = 1
        while w < width { if v < p { buffer.append(48) }; p *= 10; w += 1 }
        int(v)
    }

    /// A number with exactly two decimals when it is a whole number of cents, else the
    /// shortest text that reads back as the same double.
    public func decimal(_ v: Double) {
        let cents = (v * 100).rounded()
        if abs(cents) < 1e15, abs(cents / 100 - v) <= 1e-9 * max(1, abs(v)) {
            let c = Int(cents)
            if c < 0 { buffer.append(45) }
            int(Int(c.magnitude / 100))
            buffer.append(46)
            int(Int(c.magnitude % 100), width: 2)
        } else {
            buffer.append(contentsOf: v.description.utf8)
        }
    }

    /// `YYYY-MM-DDTHH:MM:SS` (UTC) of seconds since 1970.
    public func timestamp(_ s: Int64) {
        let day = dayNumber(ofSeconds: s)
        let d = CivilDate(dayNumber: day)
        let rest = Int(s - Int64(day) * 86_400)
        int(d.year, width: 4); byte(45); int(d.month, width: 2); byte(45); int(d.day, width: 2)
        byte(84)
        int(rest / 3600, width: 2); byte(58); int(rest / 60 % 60, width: 2); byte(58); int(rest % 60, width: 2)
    }

    /// `YYYY-MM-DD` of a day number.
    public func date(_ day: Int) {
        let d = CivilDate(dayNumber: day)
        int(d.year, width: 4); byte(45); int(d.month, width: 2); byte(45); int(d.day, width: 2)
    }

    /// Ends a line and flushes when the buffer is full; with `repeating`, the line is written
    /// a second time.
    public func newline(repeating: Bool = false) {
        buffer.append(10)
        if repeating { buffer.append(contentsOf: buffer[lineStart...]) }
        flushIfNeeded()
        lineStart = buffer.count
    }
    private var lineStart = 0

    @inline(__always)
    private func flushIfNeeded() {
        if buffer.count >= ByteWriter.flushSize { flush() }
    }

    private func flush() {
        if buffer.isEmpty { return }
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
        lineStart = 0
    }

    /// Flushes, closes and moves the file into place.
    public func close() throws {
        flush()
        try handle.close()
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: temporaryPath, toPath: path)
    }
}
