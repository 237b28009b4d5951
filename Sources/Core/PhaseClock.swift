import Dispatch

/// Wall-clock laps of a multi-phase job.
public struct PhaseClock: Sendable {
    private var last = DispatchTime.now().uptimeNanoseconds
    public private(set) var laps: [(phase: String, seconds: Double)] = []

    public init() {}

    /// Records the time since the previous lap (or the start) under `phase`.
    public mutating func lap(_ phase: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        laps.append((phase, Double(now - last) / 1e9))
        last = now
    }

    /// Seconds of the lap named `phase` (0 when there is none).
    public func seconds(_ phase: String) -> Double {
        laps.first { $0.phase == phase }?.seconds ?? 0
    }
}
