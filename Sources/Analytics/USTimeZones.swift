import Foundation

/// The IANA time zone of a US state (postal code), for scheduling messages at a sensible
/// local hour. Thirteen states span two zones; they get the zone where most of their people
/// live, and a flag. Sources: the tz database's zone.tab and the US Census population by county.
public enum USTimeZones {
    /// What is known about a customer's zone.
    public struct Resolution: Sendable, Equatable {
        /// IANA zone, nil when the state is missing or unknown.
        public var zone: String?
        /// True for states that span two zones (the predominant one is given).
        public var spansTwoZones: Bool
        /// Why there is no zone, or which other zone part of the state uses.
        public var note: String?
    }

    /// state -> (predominant zone, the other zone of a state that spans two).
    static let zones: [String: (String, String?)] = [
        "AL": ("America/Chicago", nil), "AK": ("America/Anchorage", "America/Adak"),
        "AZ": ("America/Phoenix", nil), "AR": ("America/Chicago", nil), "CA": ("America/Los_Angeles", nil),
        "CO": ("America/Denver", nil), "CT": ("America/New_York", nil), "DE": ("America/New_York", nil),
        "DC": ("America/New_York", nil), "FL": ("America/New_York", "America/Chicago"),
        "GA": ("America/New_York", nil), "HI": ("Pacific/Honolulu", nil), "ID": ("America/Boise", "America/Los_Angeles"),
        "IL": ("America/Chicago", nil), "IN": ("America/Indiana/Indianapolis", "America/Chicago"),
        "IA": ("America/Chicago", nil), "KS": ("America/Chicago", "America/Denver"),
        "KY": ("America/New_York", "America/Chicago"), "LA": ("America/Chicago", nil), "ME": ("America/New_York", nil),
        "MD": ("America/New_York", nil), "MA": ("America/New_York", nil), "MI": ("America/Detroit", "America/Menominee"),
        "MN": ("America/Chicago", nil), "MS": ("America/Chicago", nil), "MO": ("America/Chicago", nil),
        "MT": ("America/Denver", nil), "NE": ("America/Chicago", "America/Denver"), "NV": ("America/Los_Angeles", nil),
        "NH": ("America/New_York", nil), "NJ": ("America/New_York", nil), "NM": ("America/Denver", nil),
        "NY": ("America/New_York", nil), "NC": ("America/New_York", nil), "ND": ("America/Chicago", "America/Denver"),
        "OH": ("America/New_York", nil), "OK": ("America/Chicago", nil), "OR": ("America/Los_Angeles", "America/Boise"),
        "PA": ("America/New_York", nil), "RI": ("America/New_York", nil), "SC": ("America/New_York", nil),
        "SD": ("America/Chicago", "America/Denver"), "TN": ("America/Chicago", "America/New_York"),
        "TX": ("America/Chicago", "America/Denver"), "UT": ("America/Denver", nil), "VT": ("America/New_York", nil),
        "VA": ("America/New_York", nil), "WA": ("America/Los_Angeles", nil), "WV": ("America/New_York", nil),
        "WI": ("America/Chicago", nil), "WY": ("America/Denver", nil),
        "PR": ("America/Puerto_Rico", nil), "GU": ("Pacific/Guam", nil), "VI": ("America/St_Thomas", nil),
    ]

    /// Every state code known, sorted.
    public static var states: [String] { zones.keys.sorted() }

    /// The zone of a state code (case and surrounding spaces ignored).
    public static func resolve(state raw: String?) -> Resolution {
        let state = (raw ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        guard !state.isEmpty else { return Resolution(zone: nil, spansTwoZones: false, note: "missing state") }
        guard let (zone, other) = zones[state] else {
            return Resolution(zone: nil, spansTwoZones: false, note: "unknown state '\(raw ?? "")'")
        }
        return Resolution(zone: zone, spansTwoZones: other != nil,
                          note: other.map { "\(state) spans two zones; part of it uses \($0)" })
    }
}
