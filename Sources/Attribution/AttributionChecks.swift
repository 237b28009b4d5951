import Warehouse

/// The attribution database's data tests (dbt style, see ``DataCheck``): keys, references,
/// weights that sum to 1, journeys that only hold earlier sessions, and `channel_reporting`
/// reconciled with the source tables on the dates it covers.
public enum AttributionChecks {
    static let sessionTime = "s.event_date || ' ' || s.event_time"
    static let conversionTime = "c.conv_date || ' ' || c.conv_time"
    /// The sessions on the dates `channel_reporting` covers.
    static let reportedSessions = "SELECT session_id FROM session_sources WHERE event_date IN (SELECT date FROM channel_reporting)"

    public static let all: [DataCheck] = [
        .unique("session_sources", "session_id"),
        .unique("conversions", "conv_id"),
        .notNull("session_sources", "user_id", "event_date", "event_time", "channel_name"),
        .notNull("conversions", "user_id", "conv_date", "conv_time", "revenue"),
        DataCheck(.consistency, "session_costs.cost >= 0", "SELECT count(*) FROM session_costs WHERE cost < 0",
                  failure: "sessions have a negative cost"),
        .foreignKey("session_costs", "session_id", "session_sources", "session_id"),
        .foreignKey("journey_conversions", "conv_id", "conversions", "conv_id"),
        .foreignKey("journey_sessions", "session_id", "session_sources", "session_id"),
        .foreignKey("attribution_customer_journey", "conv_id", "conversions", "conv_id"),
        .foreignKey("attribution_customer_journey", "session_id", "session_sources", "session_id"),
        DataCheck(.consistency, "journey sessions precede their conversion", """
            SELECT count(*) FROM journey_sessions j JOIN conversions c ON c.conv_id = j.conv_id
            JOIN session_sources s ON s.session_id = j.session_id
            WHERE \(sessionTime) >= \(conversionTime) OR s.user_id <> c.user_id
            """, failure: "journey rows are not an earlier session of the same user"),
        DataCheck(.consistency, "journey_conversions.sessions = its journey rows", """
            SELECT count(*) FROM journey_conversions jc
            WHERE jc.sessions <> (SELECT count(*) FROM journey_sessions j WHERE j.conv_id = jc.conv_id)
            """, failure: "conversions have a session count that differs from their journey"),
        DataCheck(.consistency, "attribution weights sum to 1 per conversion", """
            SELECT count(*) FROM (SELECT conv_id FROM attribution_customer_journey GROUP BY conv_id HAVING abs(total(ihc) - 1) > 1e-9)
            """, failure: "conversions have weights that do not sum to 1 (1e-9)"),
        DataCheck(.consistency, "attribution weights in [0, 1]",
                  "SELECT count(*) FROM attribution_customer_journey WHERE ihc < 0 OR ihc > 1 + 1e-12",
                  failure: "weights are outside [0, 1]"),
        DataCheck(.consistency, "attributed sessions belong to the conversion's journey", """
            SELECT count(*) FROM attribution_customer_journey a
            WHERE NOT EXISTS (SELECT 1 FROM journey_sessions j WHERE j.conv_id = a.conv_id AND j.session_id = a.session_id)
            """, failure: "weights are on sessions outside the journey"),
        .unique("channel_reporting", "channel_name", "date"),
        .sumsAgree(.reconciliation, "channel_reporting.cost = session costs on its dates",
                   "SELECT total(cost) FROM channel_reporting",
                   "SELECT total(k.cost) FROM session_costs k WHERE k.session_id IN (\(reportedSessions))"),
        .sumsAgree(.reconciliation, "channel_reporting.ihc = weights of sessions on its dates",
                   "SELECT total(ihc) FROM channel_reporting",
                   "SELECT total(a.ihc) FROM attribution_customer_journey a WHERE a.session_id IN (\(reportedSessions))"),
        .sumsAgree(.reconciliation, "channel_reporting.ihc_revenue = weight x revenue on its dates",
                   "SELECT total(ihc_revenue) FROM channel_reporting",
                   "SELECT total(a.ihc * c.revenue) FROM attribution_customer_journey a JOIN conversions c ON c.conv_id = a.conv_id WHERE a.session_id IN (\(reportedSessions))"),
        DataCheck(.consistency, "every attributed session's date is reported", """
            SELECT count(*) FROM (SELECT DISTINCT s.event_date, s.channel_name FROM attribution_customer_journey a
            JOIN session_sources s ON s.session_id = a.session_id
            WHERE NOT EXISTS (SELECT 1 FROM channel_reporting r WHERE r.date = s.event_date AND r.channel_name = s.channel_name))
            """, failure: "channel-days have attributions but no channel_reporting row (the report step has not run for their range)"),
    ]
}
