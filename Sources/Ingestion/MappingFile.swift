import Foundation

/// Reading the JSON mapping files (``ColumnMapping`` and ``ShopMapping``): the object itself
/// and the values both kinds share, each with an error that names the file and the key.
enum MappingFile {
    /// The file's top-level JSON object; `example` shows what one looks like.
    static func object(path: String, example: String) throws -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw IngestionError.cannotOpen(path: path, reason: "no such file")
        }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw IngestionError.invalidSetting("\(path): not valid JSON: \(error.localizedDescription)")
        }
        guard let dict = object as? [String: Any] else {
            throw IngestionError.invalidSetting("\(path): expected a JSON object like \(example)")
        }
        return dict
    }

    static func delimiter(_ value: Any, path: String) throws -> Delimiter {
        guard let s = value as? String, let d = Delimiter(flag: s) else {
            throw IngestionError.invalidSetting("\(path): \"delimiter\" must be one of , ; tab | whitespace")
        }
        return d
    }

    static func timestampFormat(_ value: Any, path: String) throws -> TimestampFormat {
        guard let s = value as? String, let f = TimestampFormat(rawValue: s) else {
            throw IngestionError.invalidSetting("\(path): \"time_format\" must be one of \(TimestampFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return f
    }

    static func statuses(_ value: Any, path: String) throws -> [String] {
        guard let list = value as? [String] else { throw IngestionError.invalidSetting("\(path): \"exclude_status\" must be a list of strings") }
        return list
    }

    /// A column: a header name, or a 1-based position (a number, or a string of digits).
    static func column(_ value: Any, path: String, key: String) throws -> ColumnReference {
        if let n = value as? Int { return .position(n) }
        if let s = value as? String { return ColumnReference(flag: s) }
        throw IngestionError.invalidSetting("\(path): \"\(key)\" must be a column name or a 1-based position")
    }
}
