import Foundation
import Testing
@testable import Analytics

@Suite("time zones")
struct TimeZoneTests {
    @Test func timeZonesOfStates() {
        #expect(USTimeZones.resolve(state: "NY") == .init(zone: "America/New_York", spansTwoZones: false, note: nil))
        let tx = USTimeZones.resolve(state: " tx ")
        #expect(tx.zone == "America/Chicago" && tx.spansTwoZones && tx.note!.contains("America/Denver"))
        #expect(USTimeZones.resolve(state: "ZZ") == .init(zone: nil, spansTwoZones: false, note: "unknown state 'ZZ'"))
        #expect(USTimeZones.resolve(state: nil).note == "missing state" && USTimeZones.resolve(state: "").zone == nil)
        #expect(USTimeZones.states.count == 54)  // 50 states, DC, PR, GU, VI
        let twoZones = USTimeZones.states.filter { USTimeZones.resolve(state: $0).spansTwoZones }
        #expect(twoZones == ["AK", "FL", "ID", "IN", "KS", "KY", "MI", "ND", "NE", "OR", "SD", "TN", "TX"])
        // Every zone is a real IANA zone.
        for state in USTimeZones.states {
            let zone = USTimeZones.resolve(state: state).zone!
            #expect(TimeZone(identifier: zone) != nil, "\(state): \(zone)")
        }
    }
}
