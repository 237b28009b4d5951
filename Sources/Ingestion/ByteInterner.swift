import CShims

/// Maps byte strings (ids as they appear in a file) to dense integer codes 0, 1, 2, ...
/// in order of first appearance, without creating a `String` per row.
///
/// Open addressing with linear probing over a power-of-two table of 16-byte slots. A slot
/// holds the key's first 8 bytes, 24 bits of its hash with its length, and its code, so a
/// lookup of a key of at most 8 bytes (most ids) touches one slot and nothing else: one
/// cache miss at most, which matters when a million customers arrive in random order.
/// Longer keys are confirmed against the byte arena. A one-entry cache catches runs of rows
/// for the same id.
///
/// A struct over manually managed storage, so the parser's hot loop calls it with no
/// reference counting: copies share storage, and exactly one owner calls ``free()``
/// (a chunk's result, then the table's ``KeyDictionary``).
struct ByteInterner: @unchecked Sendable {
    struct Slot {
        var word: UInt64
        var meta: UInt32
        var codePlusOne: Int32  // 0 = empty
    }

    private var slots: UnsafeMutablePointer<Slot>
    private var mask: Int
    private var keyStarts = GrowableBuffer<Int>()
    private var keyLengths = GrowableBuffer<Int32>()
    private var arena = GrowableBuffer<UInt8>(capacity: 1 << 16)
    private var lastWord: UInt64 = 0
    private var lastMeta: UInt32 = 0
    private var lastCode: Int32 = -1

    /// Number of distinct keys.
    var count: Int { keyLengths.count }

    init(expected: Int = 1024) {
        var size = 64
        while size < expected * 2 { size <<= 1 }
        slots = HugePageMemory.allocate(Slot.self, count: size)
        slots.initialize(repeating: Slot(word: 0, meta: 0, codePlusOne: 0), count: size)
        mask = size - 1
    }

    /// Releases the storage; the interner must not be used afterwards.
    func free() {
        HugePageMemory.deallocate(slots, count: mask + 1)
        keyStarts.free(); keyLengths.free(); arena.free()
    }

    /// The first `min(n, 8)` bytes as a little-endian word, zero-padded.
    @inline(__always)
    static func firstWord(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        if n >= 8 { return UnsafeRawPointer(p).loadUnaligned(as: UInt64.self) }
        var w: UInt64 = 0
        var shift: UInt64 = 0
        var i = 0
        if n >= 4 {
            w = UInt64(UnsafeRawPointer(p).loadUnaligned(as: UInt32.self))
            shift = 32; i = 4
        }
        while i < n { w |= UInt64(p[i]) << shift; shift += 8; i += 1 }
        return w
    }

    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var h = x &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 32
        h = h &* 0xD6E8_FEB8_6659_FD93
        return h ^ (h >> 32)
    }

    /// Hash of a key whose first word is `word`.
    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ n: Int, word: UInt64) -> UInt64 {
        var h = mix(word ^ UInt64(truncatingIfNeeded: n) &* 0xFF51_AFD7_ED55_8CCD)
        var i = 8
        while i < n {
            let rest = n - i
            let w = rest >= 8 ? UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) : firstWord(p + i, rest)
            h = mix(h ^ w)
            i += 8
        }
        return h
    }

    @inline(__always)
    static func meta(_ h: UInt64, _ n: Int) -> UInt32 { UInt32(truncatingIfNeeded: h >> 40) << 8 | UInt32(min(n, 255)) }

    @inline(__always)
    private func tailEquals(_ code: Int, _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        if n <= 8 { return true }
        guard Int(keyLengths[code]) == n else { return false }
        let s = arena.base + keyStarts[code]
        var i = 8
        while i < n { if s[i] != p[i] { return false }; i += 1 }
        return true
    }

    /// The first word and hash of a key, computed ahead of ``intern(_:_:word:hash:)`` so the
    /// caller can do other work while the slot's cache line is fetched (this starts the
    /// fetch). With `overreadable`, the caller promises that the 8 bytes at `p` are readable
    /// even when the key is shorter, so the first word is one load and a mask.
    @inline(__always)
    func prepare(_ p: UnsafePointer<UInt8>, _ n: Int, overreadable: Bool) -> (word: UInt64, hash: UInt64) {
        let word: UInt64
        if overreadable, n < 8 {
            word = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self) & ((1 << UInt64(n * 8)) &- 1)
        } else {
            word = ByteInterner.firstWord(p, n)
        }
        if lastCode >= 0, word == lastWord, n <= 8, lastMeta & 0xFF == UInt32(n) { return (word, 0) }
        let h = ByteInterner.hash(p, n, word: word)
        cshims_prefetch(slots + (Int(truncatingIfNeeded: h) & mask))
        return (word, h)
    }

    /// The code of a key, and whether it was new.
    @inline(__always)
    mutating func intern(_ p: UnsafePointer<UInt8>, _ n: Int) -> (code: Int32, isNew: Bool) {
        let word = ByteInterner.firstWord(p, n)
        return intern(p, n, word: word, hash: ByteInterner.hash(p, n, word: word))
    }

    /// The code of a key whose word and hash came from ``prepare(_:_:overreadable:)``.
    @inline(__always)
    mutating func intern(_ p: UnsafePointer<UInt8>, _ n: Int, word: UInt64, hash h: UInt64) -> (code: Int32, isNew: Bool) {
        if lastCode >= 0, word == lastWord, n <= 8, lastMeta & 0xFF == UInt32(n) { return (lastCode, false) }
        let m = ByteInterner.meta(h, n)
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = slots[i]
            if s.codePlusOne == 0 { break }
            if s.meta == m, s.word == word, tailEquals(Int(s.codePlusOne) - 1, p, n) {
                lastWord = word; lastMeta = m; lastCode = s.codePlusOne - 1
                return (lastCode, false)
            }
            i = (i + 1) & mask
        }
        let code = Int32(count)
        keyStarts.append(arena.count)
        keyLengths.append(Int32(n))
        for k in 0..<n { arena.append(p[k]) }
        slots[i] = Slot(word: word, meta: m, codePlusOne: code + 1)
        lastWord = word; lastMeta = m; lastCode = code
        if count * 2 > mask { rehash() }
        return (code, true)
    }

    /// The code of a key if it is known.
    func lookup(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32? {
        let word = ByteInterner.firstWord(p, n)
        let h = ByteInterner.hash(p, n, word: word)
        let m = ByteInterner.meta(h, n)
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = slots[i]
            if s.codePlusOne == 0 { return nil }
            if s.meta == m, s.word == word, tailEquals(Int(s.codePlusOne) - 1, p, n) { return s.codePlusOne - 1 }
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
    mutating func absorb(_ other: ByteInterner) -> [Int32] {
        (0..<other.count).map { c in other.withKey(c) { p, n in intern(p, n).code } }
    }

    private mutating func rehash() {
        let old = slots, oldSize = mask + 1
        let size = oldSize * 2
        slots = HugePageMemory.allocate(Slot.self, count: size)
        slots.initialize(repeating: Slot(word: 0, meta: 0, codePlusOne: 0), count: size)
        mask = size - 1
        for k in 0..<oldSize where old[k].codePlusOne != 0 {
            let code = Int(old[k].codePlusOne) - 1
            let h = withKey(code) { p, n in ByteInterner.hash(p, n, word: old[k].word) }
            var i = Int(truncatingIfNeeded: h) & mask
            while slots[i].codePlusOne != 0 { i = (i + 1) & mask }
            slots[i] = old[k]
        }
        HugePageMemory.deallocate(old, count: oldSize)
    }
}
