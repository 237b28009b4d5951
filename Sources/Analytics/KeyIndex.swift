/// Positions by surrogate key: a dense array when the keys are dense (SQLite's `INTEGER
/// PRIMARY KEY`s count up from 1, so they nearly always are), a dictionary otherwise. The
/// segments look a key up for each of millions of fact rows; hashing was 9% of their time.
struct KeyIndex {
    let maxKey: Int64
    private var dense: [Int32]
    private var sparse: [Int64: Int] = [:]

    /// `maxKey`: the largest key there can be; `count`: how many keys there are.
    init(maxKey: Int64, count: Int) {
        self.maxKey = maxKey
        let useDense = maxKey >= 0 && maxKey <= Int64(4 * count + 1_024)
        dense = useDense ? [Int32](repeating: -1, count: Int(maxKey) + 1) : []
    }

    subscript(key: Int64) -> Int? {
        @inline(__always)
        get {
            if !dense.isEmpty {
                guard key >= 0 && key < Int64(dense.count) else { return nil }
                let v = dense[Int(key)]
                return v < 0 ? nil : Int(v)
            }
            return sparse[key]
        }
        set {
            if !dense.isEmpty, key >= 0, key < Int64(dense.count), let newValue, newValue < Int(Int32.max) {
                dense[Int(key)] = Int32(newValue)
            } else if !dense.isEmpty, key >= 0, key < Int64(dense.count), newValue == nil {
                dense[Int(key)] = -1
            } else {
                if !dense.isEmpty {  // a key outside the dense range: move everything to the dictionary
                    for (k, v) in dense.enumerated() where v >= 0 { sparse[Int64(k)] = Int(v) }
                    dense = []
                }
                sparse[key] = newValue
            }
        }
    }
}
