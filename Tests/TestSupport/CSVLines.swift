import Foundation

/// Line-level editing of small generated CSV files (no quoted fields), for tests that split a
/// shop into days or change some of its rows.
public enum CSVLines {
    /// The file's lines, header first.
    public static func read(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    public static func write(_ lines: [String], to path: String) throws {
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Field `k` (0-based) of a line.
    public static func field(_ line: String, _ k: Int) -> String {
        String(line.split(separator: ",", omittingEmptySubsequences: false)[k])
    }
}
