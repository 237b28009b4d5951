/// Maps byte strings (ids as they appear in a file) to dense integer codes 0, 1, 2, ...
/// in order of first appearance, without creating a `String` per row.
///
/// Open addressing with linear probing over a power-of-two table; keys live in one byte
/// arena. A one-entry cache catches the common run of rows for the same id.
final class ByteInterner: @unchecked Sendable {
    private var slots: UnsafeMutablePointer<Int32>  // code + 1; 0 = empty
    private var mask: Int
    private let hashes = GrowableBuffer<UInt64>()
    private let keyStarts = GrowableBuffer<Int>()
    private let keyLengths = GrowableBuffer<Int32>()
    private let arena = GrowableBuffer<UInt8>(capacity: 1 << 16)
    private var lastHash: UInt64 = 0
    private var lastCode: Int32 = -1

    /// Number of distinct keys.
    var count: Int { keyLengths.count }

    init(expected: Int = 1024) {
        var size = 64
        while size < expected * 2 { size <<= 1 }
        slots = .allocate(capacity: size)
        slots.initialize(repeating: 0, count: size)
        mask = size - 1
    }

    deinit { slots.deallocate() }

    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: n)
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i + 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ w) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 29
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n { tail |= UInt64(p[i]) << shift; shift += 8; i += 1 }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        h ^= h >> 31
        h = h &* 0xBF58_476D_1CE4_E5B9
        return h ^ (h >> 32)
    }

    @inline(__always)
    private func equals(_ code: Int, _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        guard Int(keyLengths[code]) == n else { return false }
        let s = arena.base + keyStarts[code]
        var i = 0
        while i < n { if s[i] != p[i] { return false }; i += 1 }
        return true
    }

    /// The code of a key, and whether it was new.
    @inline(__always)
    func intern(_ p: UnsafePointer<UInt8>, _ n: Int) -> (code: Int32, isNew: Bool) {
        let h = ByteInterner.hash(p, n)
        if lastCode >= 0, h == lastHash, equals(Int(lastCode), p, n) { return (lastCode, false) }
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = slots[i]
            if s == 0 { break }
            let code = Int(s) - 1
            if hashes[code] == h, equals(code, p, n) {
                lastHash = h; lastCode = Int32(code)
                return (Int32(code), false)
            }
            i = (i + 1) & mask
        }
        let code = Int32(count)
        hashes.append(h)
        keyStarts.append(arena.count)
        keyLengths.append(Int32(n))
        arena.append(contentsOf: p, count: n)
        slots[i] = code + 1
        lastHash = h; lastCode = code
        if count * 2 > mask { rehash() }
        return (code, true)
    }

    /// The code of a key if it is known.
    func lookup(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32? {
        let h = ByteInterner.hash(p, n)
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = slots[i]
            if s == 0 { return nil }
            let code = Int(s) - 1
            if hashes[code] == h, equals(code, p, n) { return Int32(code) }
            i = (i + 1) & mask
        }
    }

    /// Calls `body` with the bytes of key `code`.
    func withKey<R>(_ code: Int, _ body: (UnsafePointer<UInt8>, Int) -> R) -> R {
        body(arena.base + keyStarts[code], Int(keyLengths[code]))
    }

    /// Key `code` as a string (invalid UTF-8 is repaired with U+FFFD).
    func key(_ code: Int) -> String {
        withKey(code) { p, n in String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self) }
    }

    /// All keys in code order.
    func allKeys() -> [String] { (0..<count).map(key) }

    /// Interns every key of `other` and returns the code each of its codes maps to.
    func absorb(_ other: ByteInterner) -> [Int32] {
        (0..<other.count).map { c in other.withKey(c) { p, n in intern(p, n).code } }
    }

    private func rehash() {
        let size = (mask + 1) * 2
        slots.deallocate()
        slots = .allocate(capacity: size)
        slots.initialize(repeating: 0, count: size)
        mask = size - 1
        for code in 0..<count {
            var i = Int(truncatingIfNeeded: hashes[code]) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = Int32(code + 1)
        }
    }
}
