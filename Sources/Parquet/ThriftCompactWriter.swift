/// Writes Thrift's compact protocol, the encoding of Parquet's page headers and footer.
///
/// Only what a writer needs: struct fields (by id, with the delta form of the field header),
/// i8/i32/i64 as zigzag varints (i8 as one byte), binaries with a varint length, booleans in
/// the field header, lists. The caller writes fields of a struct in increasing id order, as
/// the format expects; `endStruct()` writes the stop byte.
struct ThriftCompactWriter {
    /// Compact protocol type codes.
    enum TType: UInt8 {
        case boolTrue = 1, boolFalse = 2, byte = 3, i16 = 4, i32 = 5, i64 = 6, double = 7, binary = 8, list = 9, structure = 12
    }

    private(set) var bytes: [UInt8] = []
    /// The last field id written in each open struct (the innermost last).
    private var lastFieldID: [Int] = [0]

    init() {}

    // MARK: fields

    mutating func i32(_ id: Int, _ value: Int32) {
        fieldHeader(id, .i32)
        varint(zigzag(Int64(value)))
    }

    mutating func i64(_ id: Int, _ value: Int64) {
        fieldHeader(id, .i64)
        varint(zigzag(value))
    }

    mutating func i16(_ id: Int, _ value: Int16) {
        fieldHeader(id, .i16)
        varint(zigzag(Int64(value)))
    }

    mutating func i8(_ id: Int, _ value: Int8) {
        fieldHeader(id, .byte)
        bytes.append(UInt8(bitPattern: value))
    }

    mutating func bool(_ id: Int, _ value: Bool) {
        fieldHeader(id, value ? .boolTrue : .boolFalse)
    }

    mutating func binary(_ id: Int, _ value: [UInt8]) {
        fieldHeader(id, .binary)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func string(_ id: Int, _ value: String) {
        binary(id, Array(value.utf8))
    }

    /// Opens a struct-valued field; close it with ``endStruct()``.
    mutating func beginStruct(_ id: Int) {
        fieldHeader(id, .structure)
        lastFieldID.append(0)
    }

    /// Writes the stop byte of the innermost open struct.
    mutating func endStruct() {
        bytes.append(0)
        if lastFieldID.count > 1 { lastFieldID.removeLast() }
    }

    /// A list field of `count` elements of `element` type; the elements follow, written
    /// with the `element...` methods.
    mutating func beginList(_ id: Int, of element: TType, count: Int) {
        fieldHeader(id, .list)
        if count < 15 {
            bytes.append(UInt8(count) << 4 | element.rawValue)
        } else {
            bytes.append(0xF0 | element.rawValue)
            varint(UInt64(count))
        }
    }

    // MARK: list elements

    mutating func elementI32(_ value: Int32) { varint(zigzag(Int64(value))) }

    mutating func elementString(_ value: String) {
        let utf8 = Array(value.utf8)
        varint(UInt64(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    /// Opens a struct element of a list; close it with ``endStruct()``.
    mutating func beginStructElement() { lastFieldID.append(0) }

    // MARK: encoding

    private mutating func fieldHeader(_ id: Int, _ type: TType) {
        let delta = id - lastFieldID[lastFieldID.count - 1]
        if delta > 0, delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            varint(zigzag(Int64(id)))
        }
        lastFieldID[lastFieldID.count - 1] = id
    }

    private func zigzag(_ v: Int64) -> UInt64 { UInt64(bitPattern: (v << 1) ^ (v >> 63)) }

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }
}
