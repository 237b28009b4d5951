import Core

/// Runs `body` on `parts` contiguous slices of 0..<count in parallel (the slices do not depend
/// on the number of cores).
func parallelMapRanges<T>(_ count: Int, parts: Int, _ body: (Range<Int>) -> T) -> [T] {
    let k = max(1, parts)
    return parallelMap(k) { i in body((count * i / k)..<(count * (i + 1) / k)) }
}

/// Runs `body` on the blocks of `blockSize` consecutive indices of 0..<count (the last one
/// shorter), thread t of `threads` taking blocks t, t + threads, ..., and returns the results
/// in block order. The blocks depend only on `count` and `blockSize`, so sums made block by
/// block and then added in block order are the same on any number of threads.
func parallelBlocks<T>(_ count: Int, blockSize: Int, threads: Int, _ body: (Range<Int>) -> T) -> [T] {
    let blocks = max(1, (count + blockSize - 1) / blockSize)
    func block(_ b: Int) -> Range<Int> { (b * blockSize)..<min(count, (b + 1) * blockSize) }
    let t = max(1, min(threads, blocks))
    if t == 1 { return (0..<blocks).map { body(block($0)) } }
    let perThread = parallelMap(t) { i in stride(from: i, to: blocks, by: t).map { body(block($0)) } }
    // Thread i's k-th result is block i + k * t.
    return (0..<blocks).map { b in perThread[b % t][b / t] }
}
