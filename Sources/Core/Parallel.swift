import Foundation
import Dispatch

/// Runs `body(i)` for `i` in `0..<count` on up to `count` threads and returns the results
/// in index order. Each result slot is written by exactly one iteration.
public func parallelMap<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
    if count == 1 { return [body(0)] }
    let slots = UnsafeMutablePointer<T?>.allocate(capacity: count)
    slots.initialize(repeating: nil, count: count)
    defer { slots.deinitialize(count: count); slots.deallocate() }
    nonisolated(unsafe) let unsafeSlots = slots
    withoutActuallyEscaping(body) { work in
        nonisolated(unsafe) let work = work
        DispatchQueue.concurrentPerform(iterations: count) { i in unsafeSlots[i] = work(i) }
    }
    return (0..<count).map { slots[$0]! }
}

/// The number of threads to use by default: the machine's active cores.
public var defaultThreadCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
