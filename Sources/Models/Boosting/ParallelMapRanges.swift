import Core

/// Runs `body` on `parts` contiguous slices of 0..<count in parallel (the slices do not depend
/// on the number of cores).
func parallelMapRanges<T>(_ count: Int, parts: Int, _ body: (Range<Int>) -> T) -> [T] {
    let k = max(1, parts)
    return parallelMap(k) { i in body((count * i / k)..<(count * (i + 1) / k)) }
}
