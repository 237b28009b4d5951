/// An append-only buffer of trivial values with manual storage, for the parser's hot loops.
///
/// Swift arrays pay a uniqueness check and bounds checks on every append; the parser appends
/// hundreds of millions of values, so it writes through a raw pointer instead. Each buffer is
/// owned by one thread at a time (one chunk's parser, then the merge step).
final class GrowableBuffer<Element: BitwiseCopyable>: @unchecked Sendable {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private(set) var capacity: Int

    init(capacity: Int = 1024) {
        self.capacity = max(16, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inline(__always)
    func append(_ v: Element) {
        if count == capacity { grow(to: capacity * 2) }
        base[count] = v
        count += 1
    }

    /// Appends `n` values; a plain loop, as `n` is small (a row's fields) and a memmove
    /// call would cost more than the copy.
    @inline(__always)
    func append(contentsOf p: UnsafePointer<Element>, count n: Int) {
        if count + n > capacity { grow(to: max(capacity * 2, count + n)) }
        for k in 0..<n { base[count + k] = p[k] }
        count += n
    }

    @inline(__always)
    subscript(i: Int) -> Element {
        get { base[i] }
        set { base[i] = newValue }
    }

    func removeAll() { count = 0 }

    private func grow(to newCapacity: Int) {
        let fresh = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        fresh.moveInitialize(from: base, count: count)
        base.deallocate()
        base = fresh
        capacity = newCapacity
    }

    /// The contents as a Swift array (a copy).
    func toArray() -> [Element] { Array(UnsafeBufferPointer(start: base, count: count)) }
}
