/// A tree's internal nodes in the binned form the booster walks while training: one 8-byte
/// record per node.
struct BinnedTree {
    struct Node {
        var feature: UInt16
        var bin: UInt8
        var missingBin: UInt8
        var missingLeft: Bool
        var left: Int32
        var right: Int32
    }

    let nodes: [Node]

    init(_ tree: RegressionTree, splitBins: [Int], missingBins: [Int]) {
        nodes = tree.feature.indices.map { k in
            Node(feature: UInt16(tree.feature[k]), bin: UInt8(splitBins[k]), missingBin: UInt8(truncatingIfNeeded: missingBins[tree.feature[k]]),
                 missingLeft: tree.missingLeft[k], left: Int32(tree.left[k]), right: Int32(tree.right[k]))
        }
    }

    /// The leaf of a row of bins.
    @inline(__always)
    static func leaf(_ p: UnsafeBufferPointer<Node>, _ row: UnsafePointer<UInt8>) -> Int {
        if p.isEmpty { return 0 }
        var k = 0
        while true {
            let node = p[k]
            let v = row[Int(node.feature)]
            let goLeft = v == node.missingBin ? node.missingLeft : v <= node.bin
            let child = Int(goLeft ? node.left : node.right)
            if child < 0 { return ~child }
            k = child
        }
    }
}
