import Core

extension GLMDesign {
    /// The linear predictor Σ βⱼ·xⱼ as SQL: each design column as ``matrix(names:columns:)``
    /// computes it (median imputation, the "was missing" indicators, log1p or its signed
    /// form, standardisation, the month one-hot), times its coefficient; columns with scale 0,
    /// which the design writes as 0, are left out.
    func linearPredictorSQL(_ d: SQLDialect, coefficients: [Double], feature: (String) -> String) -> String {
        func lit(_ v: Double) -> String { d.literal(v) }
        var terms = [lit(coefficients.first ?? 0)]
        for (k, c) in columns.enumerated() where c.scale > 0 && k + 1 < coefficients.count {
            let value = feature(c.feature)
            let transformed: String
            if c.indicator {
                transformed = "CASE WHEN \(value) IS NULL THEN \(lit(1)) ELSE \(lit(0)) END"
            } else {
                let x = "coalesce(\(value), \(lit(c.median)))"
                transformed = c.signedLog
                    ? "CASE WHEN \(x) < 0 THEN -\(d.log1p("-\(x)")) ELSE \(d.log1p(x)) END"
                    : d.log1p(d.greatest(x, lit(-0.999_999)))
            }
            terms.append("\(lit(coefficients[k + 1])) * ((\(transformed) - \(lit(c.mean))) / \(lit(c.scale)))")
        }
        if monthOneHot {
            let first = 1 + columns.count
            let month = feature("target_month")
            let cases = (1...12).compactMap { m in
                first + m - 1 < coefficients.count ? "WHEN \(month) = \(lit(Double(m))) THEN \(lit(coefficients[first + m - 1]))" : nil
            }
            terms.append("CASE \(cases.joined(separator: " ")) ELSE \(lit(0)) END")
        }
        return terms.joined(separator: "\n            + ")
    }
}

extension PoissonRegression: SQLScorable {
    /// e^min(η, 30), η the design's linear predictor.
    public func expectedEventsSQL(_ d: SQLDialect, feature: (String) -> String, horizonDays: Int) throws -> String {
        guard let design, !coefficients.isEmpty else { throw ModelFitError.notFitted(model: name) }
        return "exp(\(d.least(design.linearPredictorSQL(d, coefficients: coefficients, feature: feature), d.literal(30))))"
    }
}

extension LogLinearRegression: SQLScorable {
    /// max(0, e^min(η, 30) − 1), η the design's linear predictor.
    public func expectedEventsSQL(_ d: SQLDialect, feature: (String) -> String, horizonDays: Int) throws -> String {
        guard let design, !coefficients.isEmpty else { throw ModelFitError.notFitted(model: name) }
        let eta = d.least(design.linearPredictorSQL(d, coefficients: coefficients, feature: feature), d.literal(30))
        return d.greatest(d.literal(0), "exp(\(eta)) - \(d.literal(1))")
    }
}
