/// An append-only buffer of trivial values with manual storage, for the parser's hot loops.
///
/// Swift arrays pay a uniqueness check and bounds checks on every append, and a class
/// buffer a retain and release per call; the parser appends hundreds of millions of values,
/// so this is a plain struct over a raw pointer. It has value syntax but not value semantics:
/// copies share storage. Exactly one owner calls ``free()`` (chunk results and interners in
/// their `deinit`, local scratch buffers in a `defer`).
struct GrowableBuffer<Element: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private(set) var capacity: Int

    init(capacity: Int = 1024) {
        self.capacity = max(16, capacity)
        base = .allocate(capacity: self.capacity)
    }

    /// Releases the storage; the buffer must not be used afterwards.
    func free() { base.deallocate() }

    @inline(__always)
    mutating func append(_ v: Element) {
        if count == capacity { grow(to: capacity * 2) }
        base[count] = v
        count += 1
    }

    /// Appends `n` values; a plain loop, as `n` is small (a row's fields) and a memmove
    /// call would cost more than the copy.
    @inline(__always)
    mutating func append(contentsOf p: UnsafePointer<Element>, count n: Int) {
        if count + n > capacity { grow(to: max(capacity * 2, count + n)) }
        for k in 0..<n { base[count + k] = p[k] }
        count += n
    }

    @inline(__always)
    subscript(i: Int) -> Element {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }

    mutating func removeAll() { count = 0 }

    /// Makes room for at least `minimumCapacity` values, so that appends up to it never copy.
    mutating func reserve(_ minimumCapacity: Int) {
        if minimumCapacity > capacity { grow(to: minimumCapacity) }
    }

    private mutating func grow(to newCapacity: Int) {
        let fresh = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        fresh.moveInitialize(from: base, count: count)
        base.deallocate()
        base = fresh
        capacity = newCapacity
    }
}
