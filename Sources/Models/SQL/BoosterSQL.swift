import Core

extension RegressionTree {
    /// The tree as one CASE expression over its thresholds. A left turn at node k is
    /// "feature ≤ threshold", or that or NULL when the node sends missing values left.
    ///
    /// PostgreSQL and Spark get nested CASE expressions, one per node. SQLite's parser stack
    /// (100 deep) overflows on the nesting of a deep tree, so it gets one flat CASE with a
    /// WHEN per leaf, in depth-first order (left subtree first), each testing only the left
    /// turns on the leaf's path: a row that turned right at a node fails the left turn there,
    /// which every leaf of that node's left subtree tests and which all come earlier, so the
    /// first WHEN a row meets is its leaf's. (The flat form is about twice as long, and Spark
    /// plans and runs it slower: 4.0 against 1.5 s for a 153-tree model on 1,450 customers.)
    ///
    /// Throws ``ScoreSQL/UncompilableModel`` for a tree whose indices do not describe a tree
    /// over `featureCount` features (a damaged model file): an index out of range, or a path
    /// longer than the node count (a cycle).
    /// `nested` chooses the form (tests ask SQLite for the nested one on shallow trees).
    func caseSQL(_ d: SQLDialect, nested: Bool, featureCount: Int, feature: (Int) -> String) throws -> String {
        let nodes = self.feature.count
        guard nodes > 0 else { return d.literal(leafValue.first ?? 0) }
        func damaged(_ what: String) -> ScoreSQL.UncompilableModel {
            ScoreSQL.UncompilableModel(kind: "gbm", reason: "a tree of the model file is damaged: \(what)")
        }
        guard threshold.count == nodes, missingLeft.count == nodes, left.count == nodes, right.count == nodes else {
            throw damaged("its node arrays have different lengths")
        }
        /// The left-turn condition of node k, after checking its indices; `depth` counts the nodes on the path.
        func leftTurn(_ k: Int, depth: Int) throws -> String {
            guard k < nodes, depth <= nodes else { throw damaged(k < nodes ? "a cycle through node \(k)" : "node \(k) of \(nodes)") }
            guard (0..<featureCount).contains(self.feature[k]) else { throw damaged("feature \(self.feature[k]) of \(featureCount)") }
            let x = feature(self.feature[k])
            let test = "\(x) <= \(d.literal(threshold[k]))"
            return missingLeft[k] ? "(\(test) OR \(x) IS NULL)" : test
        }
        func leaf(_ c: Int) throws -> Double {
            guard ~c < leafValue.count else { throw damaged("leaf \(~c) of \(leafValue.count)") }
            return leafValue[~c]
        }
        if nested {
            func node(_ k: Int, depth: Int) throws -> String {
                let test = try leftTurn(k, depth: depth)
                func child(_ c: Int) throws -> String { c < 0 ? d.literal(try leaf(c)) : try node(c, depth: depth + 1) }
                return "CASE WHEN \(test) THEN \(try child(left[k])) ELSE \(try child(right[k])) END"
            }
            return try node(0, depth: 1)
        }
        var leaves: [(conditions: [String], value: Double)] = []
        func visit(_ k: Int, _ path: [String], depth: Int) throws {
            let test = try leftTurn(k, depth: depth)
            for (c, conditions) in [(left[k], path + [test]), (right[k], path)] {
                if c < 0 { leaves.append((conditions, try leaf(c))) } else { try visit(c, conditions, depth: depth + 1) }
            }
        }
        try visit(0, [], depth: 1)
        guard let last = leaves.popLast() else { return d.literal(leafValue.first ?? 0) }
        let whens = leaves.map { "WHEN \($0.conditions.isEmpty ? "1 = 1" : $0.conditions.joined(separator: " AND ")) THEN \(d.literal($0.value))" }
        return "CASE \(whens.joined(separator: " ")) ELSE \(d.literal(last.value)) END"
    }
}

extension GradientBoosting: SQLScorable {
    /// e^min(initial score + Σ trees, cap): ``predict(columns:rows:)`` with each tree as a
    /// CASE expression over its thresholds.
    public func expectedEventsSQL(_ d: SQLDialect, feature: (String) -> String, horizonDays: Int) throws -> String {
        try expectedEventsSQL(d, nestedTrees: d != .sqlite, feature: feature)
    }

    func expectedEventsSQL(_ d: SQLDialect, nestedTrees: Bool, feature: (String) -> String) throws -> String {
        guard !featureNames.isEmpty else { throw ModelFitError.notFitted(model: name) }
        let columns = featureNames.map(feature)
        let trees = try self.trees.map { try $0.caseSQL(d, nested: nestedTrees, featureCount: columns.count) { columns[$0] } }
        let score = Self.balancedSum([d.literal(initialScore)] + trees)
        return "exp(\(d.least(score, d.literal(PoissonObjective.maxScore))))"
    }

    /// `terms` added as a balanced tree of `+`, ((a + b) + (c + d)), not a chain: Spark's
    /// analyzer recurses once per `+` of a chain and overflowed its stack on 500 trees. The
    /// order differs from the Swift loop's only in rounding (relative 1e-16 per tree).
    static func balancedSum(_ terms: [String]) -> String {
        guard terms.count > 1 else { return terms.first ?? "0" }
        let half = terms.count / 2
        return "(\(balancedSum(Array(terms[..<half])))\n            + \(balancedSum(Array(terms[half...]))))"
    }
}
