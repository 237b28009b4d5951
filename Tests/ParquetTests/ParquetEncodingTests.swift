import Testing
@testable import Parquet

/// The encoders against byte sequences from the specifications (Thrift's compact protocol,
/// Parquet's Encodings.md).
@Suite("Parquet: encodings")
struct ParquetEncodingTests {
    @Test func compactProtocolFieldHeadersAndValues() {
        var w = ThriftCompactWriter()
        w.i32(1, 2)  // delta 1, type i32 (5); zigzag(2) = 4
        w.i64(3, -1)  // delta 2, type i64 (6); zigzag(-1) = 1
        w.bool(4, true)  // delta 1, type BOOLEAN_TRUE (1)
        w.i32(20, 300)  // delta 16 > 15: long form, type byte then zigzag(20) = 40; zigzag(300) = 600 = 0xD8 0x04
        w.string(21, "ab")
        w.endStruct()
        #expect(w.bytes == [0x15, 0x04, 0x26, 0x01, 0x11, 0x05, 0x28, 0xD8, 0x04, 0x18, 0x02, 0x61, 0x62, 0x00])
    }

    @Test func compactProtocolNestedStructsAndLists() {
        var w = ThriftCompactWriter()
        w.beginStruct(2)  // delta 2, struct (12)
        w.i32(1, 1)  // inner ids restart from 0
        w.endStruct()
        w.i32(3, 1)  // outer delta from 2
        w.beginList(4, of: .i32, count: 3)
        for v: Int32 in [0, -1, 1] { w.elementI32(v) }
        w.beginList(5, of: .i32, count: 20)  // 15 or more: 0xF0 | type, then the size
        for _ in 0..<20 { w.elementI32(0) }
        w.endStruct()
        #expect(Array(w.bytes.prefix(12)) == [0x2C, 0x15, 0x02, 0x00, 0x15, 0x02, 0x19, 0x35, 0x00, 0x01, 0x02, 0x19])
        #expect(Array(w.bytes[12..<14]) == [0xF5, 20])
        #expect(w.bytes.count == 14 + 20 + 1)
    }

    @Test func bitPackedRunOfTheSpecification() {
        // Encodings.md: 0..7 with bit width 3 pack to 10001000 11000110 11111010.
        #expect(RLEHybridEncoder.encode([0, 1, 2, 3, 4, 5, 6, 7], bitWidth: 3) == [0x03, 0x88, 0xC6, 0xFA])
    }

    @Test func repeatedRunsAndPadding() {
        // Ten ones, width 1: one RLE run, header 10 << 1.
        #expect(RLEHybridEncoder.encode([UInt32](repeating: 1, count: 10), bitWidth: 1) == [0x14, 0x01])
        // Three values: one bit-packed group, padded with zeros.
        #expect(RLEHybridEncoder.encode([1, 0, 1], bitWidth: 1) == [0x03, 0b101])
        // A value of width 9 in an RLE run takes two bytes.
        #expect(RLEHybridEncoder.encode([UInt32](repeating: 300, count: 8), bitWidth: 9) == [0x10, 0x2C, 0x01])
        // Five mixed values then a long run: the run starts after padding to a group of 8.
        let values: [UInt32] = [1, 0, 1, 0, 1] + [UInt32](repeating: 1, count: 20)
        let encoded = RLEHybridEncoder.encode(values, bitWidth: 1)
        #expect(encoded == [0x03, 0b1111_0101, 17 << 1, 0x01])
        #expect(decode(encoded, bitWidth: 1, count: values.count) == values)
    }

    @Test(arguments: [1, 2, 3, 7, 8, 13, 17])
    func hybridRoundTripsOverGeneratedRuns(bitWidth: Int) {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(bitWidth)
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        for _ in 0..<50 {
            var values: [UInt32] = []
            while values.count < 500 {
                let v = UInt32(next() % (1 << UInt64(bitWidth)))
                values += [UInt32](repeating: v, count: Int(next() % 3 == 0 ? next() % 40 : 1))
            }
            #expect(decode(RLEHybridEncoder.encode(values, bitWidth: bitWidth), bitWidth: bitWidth, count: values.count) == values)
        }
        #expect(RLEHybridEncoder.encode([], bitWidth: bitWidth).isEmpty)
    }

    @Test func bitWidths() {
        #expect(RLEHybridEncoder.bitWidth(forMaximum: 0) == 1)
        #expect(RLEHybridEncoder.bitWidth(forMaximum: 1) == 1)
        #expect(RLEHybridEncoder.bitWidth(forMaximum: 2) == 2)
        #expect(RLEHybridEncoder.bitWidth(forMaximum: 255) == 8)
        #expect(RLEHybridEncoder.bitWidth(forMaximum: 65_535) == 16)
    }

    @Test func statisticsFollowTheFormatsRules() {
        let d = ColumnStatistics(.double([0.0, .nan, 2.5, -0.0]), valid: nil)
        #expect(d.min == PlainEncoding.bytes(of: -0.0) && d.max == PlainEncoding.bytes(of: 2.5) && d.nullCount == 0)
        let nan = ColumnStatistics(.double([.nan]), valid: nil)
        #expect(nan.min == nil && nan.max == nil)
        // Strings by bytes, not by Swift's Unicode ordering; nulls are left out and counted.
        let s = ColumnStatistics(.string(["b", "é", "a", "zz"]), valid: [true, true, false, true])
        #expect(s.min == Array("b".utf8) && s.max == Array("é".utf8) && s.nullCount == 1)
        let long = ColumnStatistics(.string([String(repeating: "x", count: 300)]), valid: nil)
        #expect(long.min == nil)
        let i = ColumnStatistics(.int64([5, -3, 9]), valid: [true, true, false])
        #expect(i.min == PlainEncoding.bytes(of: Int64(-3)) && i.max == PlainEncoding.bytes(of: Int64(5)))
    }

    @Test func dictionaryKeepsCanonicallyEquivalentStringsApart() {
        #expect(ValueDictionary(["é", "e\u{301}"], valid: nil, maxBytes: 1 << 20) == nil)
        let d = ValueDictionary(["a", "b", "a", "x"], valid: [true, true, true, false], maxBytes: 1 << 20)
        #expect(d?.count == 2 && d?.index == [0, 1, 0, 0])
        #expect(d?.plain == [1, 0, 0, 0, 97, 1, 0, 0, 0, 98])  // PLAIN byte arrays: length, bytes
        #expect(ValueDictionary(["x", "y"], valid: [false, false], maxBytes: 1 << 20) == nil)
    }

    @Test func numbersAreDictionaryEncodedByTheirBits() {
        let values: [Double] = [1.5, -0.0, 0.0, 1.5, .nan, 1.5, 0.0]
        let d = ValueDictionary(bits: { values[$0].bitPattern }, rows: values.count, width: 8, valid: nil, maxBytes: 1 << 20)
        #expect(d?.count == 4 && d?.index == [0, 1, 2, 0, 3, 0, 2])  // -0.0 and +0.0 kept apart
        #expect(Array(d?.plain.prefix(16) ?? []) == PlainEncoding.bytes(of: 1.5.bitPattern) + PlainEncoding.bytes(of: (-0.0).bitPattern))
        let ints: [Int32] = [7, -1, 7, 7]
        let i = ValueDictionary(bits: { UInt64(UInt32(bitPattern: ints[$0])) }, rows: 4, width: 4, valid: [true, true, false, true], maxBytes: 1 << 20)
        #expect(i?.index == [0, 1, 0, 0] && i?.plain == [7, 0, 0, 0, 255, 255, 255, 255])
        // All distinct past the entry limit: no dictionary.
        let many = ValueDictionary(bits: { UInt64($0) }, rows: ValueDictionary.maximumEntries + 1, width: 8, valid: nil, maxBytes: 1 << 30)
        #expect(many == nil)
        #expect(ValueDictionary(bits: { UInt64($0) }, rows: 1_000, width: 8, valid: nil, maxBytes: 64) == nil)  // past the bytes
    }

    /// A decoder for the tests: the second implementation the encoder is checked against.
    private func decode(_ bytes: [UInt8], bitWidth: Int, count: Int) -> [UInt32] {
        var out: [UInt32] = [], p = 0
        func varint() -> UInt64 {
            var v: UInt64 = 0, shift: UInt64 = 0
            while true { let b = bytes[p]; p += 1; v |= UInt64(b & 0x7F) << shift; if b < 0x80 { return v }; shift += 7 }
        }
        while p < bytes.count, out.count < count {
            let header = varint()
            if header & 1 == 1 {
                let n = Int(header >> 1) * 8
                var acc: UInt64 = 0, bits = 0
                for _ in 0..<n {
                    while bits < bitWidth { acc |= UInt64(bytes[p]) << bits; p += 1; bits += 8 }
                    out.append(UInt32(acc & ((1 << UInt64(bitWidth)) - 1)))
                    acc >>= UInt64(bitWidth); bits -= bitWidth
                }
            } else {
                var v: UInt32 = 0
                for b in 0..<((bitWidth + 7) / 8) { v |= UInt32(bytes[p]) << (8 * b); p += 1 }
                out += [UInt32](repeating: v, count: Int(header >> 1))
            }
        }
        return Array(out.prefix(count))
    }
}
