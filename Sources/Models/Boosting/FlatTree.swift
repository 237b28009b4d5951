/// A saved tree as one contiguous array of node records, for fast prediction on raw values.
struct FlatTree {
    struct Node {
        var threshold: Double
        var feature: Int32
        var left: Int32
        var right: Int32
        var missingLeft: Bool
    }

    let nodes: [Node]
    let leafValue: [Double]

    init(_ tree: RegressionTree) {
        nodes = tree.feature.indices.map { k in
            Node(threshold: tree.threshold[k], feature: Int32(tree.feature[k]), left: Int32(tree.left[k]), right: Int32(tree.right[k]),
                 missingLeft: tree.missingLeft[k])
        }
        leafValue = tree.leafValue
    }

    @inline(__always)
    func predict(_ row: UnsafePointer<Double>) -> Double {
        if nodes.isEmpty { return leafValue[0] }
        return nodes.withUnsafeBufferPointer { p in
            var k = 0
            while true {
                let node = p[k]
                let v = row[Int(node.feature)]
                let goLeft = v.isNaN ? node.missingLeft : v <= node.threshold
                let child = Int(goLeft ? node.left : node.right)
                if child < 0 { return leafValue[~child] }
                k = child
            }
        }
    }
}
