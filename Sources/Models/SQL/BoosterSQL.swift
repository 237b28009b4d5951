import Core

extension RegressionTree {
    /// The tree as one flat CASE expression with a WHEN per leaf, in depth-first order (left
    /// subtree first), each testing only the left turns on the leaf's path: a row that turned
    /// right at a node fails the left turn there, which every leaf of that node's left subtree
    /// tests and which all come earlier, so the first WHEN a row meets is its leaf's. A left
    /// turn at node k is "feature ≤ threshold", or that or NULL when the node sends missing
    /// values left. The flat form reads the same as nested CASE expressions but has no
    /// nesting for a parser to overflow on: SQLite's parser stack (100 deep) overflowed on the
    /// nested form of a 31-leaf tree.
    ///
    /// Throws ``ScoreSQL/UncompilableModel`` for a tree whose indices do not describe a tree
    /// over `featureCount` features (a damaged model file): an index out of range, or a path
    /// longer than the node count (a cycle).
    func caseSQL(_ d: SQLDialect, featureCount: Int, feature: (Int) -> String) throws -> String {
        func damaged(_ what: String) -> ScoreSQL.UncompilableModel {
            ScoreSQL.UncompilableModel(kind: "gbm", reason: "a tree of the model file is damaged: \(what)")
        }
        let nodes = self.feature.count
        guard nodes > 0 else { return d.literal(leafValue.first ?? 0) }
        guard threshold.count == nodes, missingLeft.count == nodes, left.count == nodes, right.count == nodes else {
            throw damaged("its node arrays have different lengths")
        }
        var leaves: [(conditions: [String], value: Double)] = []
        func visit(_ child: Int, _ path: [String]) throws {
            if child < 0 {
                guard ~child < leafValue.count else { throw damaged("leaf \(~child) of \(leafValue.count)") }
                leaves.append((path, leafValue[~child]))
                return
            }
            guard child < nodes, path.count < nodes else { throw damaged(child < nodes ? "a cycle through node \(child)" : "node \(child) of \(nodes)") }
            guard (0..<featureCount).contains(self.feature[child]) else { throw damaged("feature \(self.feature[child]) of \(featureCount)") }
            let x = feature(self.feature[child])
            let turnLeft = "\(x) <= \(d.literal(threshold[child]))"
            try visit(left[child], path + [missingLeft[child] ? "(\(turnLeft) OR \(x) IS NULL)" : turnLeft])
            try visit(right[child], path)
        }
        try visit(0, [])
        guard let last = leaves.popLast() else { return d.literal(leafValue.first ?? 0) }
        let whens = leaves.map { "WHEN \($0.conditions.isEmpty ? "1 = 1" : $0.conditions.joined(separator: " AND ")) THEN \(d.literal($0.value))" }
        return "CASE \(whens.joined(separator: " ")) ELSE \(d.literal(last.value)) END"
    }
}

extension GradientBoosting: SQLScorable {
    /// e^min(initial score + Σ trees, cap): ``predict(columns:rows:)`` with each tree as a
    /// CASE expression over its thresholds.
    public func expectedEventsSQL(_ d: SQLDialect, feature: (String) -> String, horizonDays: Int) throws -> String {
        guard !featureNames.isEmpty else { throw ModelFitError.notFitted(model: name) }
        let columns = featureNames.map(feature)
        let trees = try self.trees.map { try $0.caseSQL(d, featureCount: columns.count) { columns[$0] } }
        let score = ([d.literal(initialScore)] + trees).joined(separator: "\n            + ")
        return "exp(\(d.least(score, d.literal(PoissonObjective.maxScore))))"
    }
}
