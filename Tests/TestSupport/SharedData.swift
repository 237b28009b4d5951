import Foundation

/// Paths of the public data sets next to the repository (`../shared/datasets`), which the
/// tests use when they are there (CI has them; a lone clone may not).
public enum SharedData {
    /// The repository's parent folder.
    static let workspace: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }  // SharedData.swift, TestSupport, Tests, repository
        return url
    }()

    public static let cdnowDirectory = workspace.appendingPathComponent("shared/datasets/cdnow").path
    public static let cdnowMaster = cdnowDirectory + "/CDNOW_master.txt"
    public static let cdnowSample = cdnowDirectory + "/CDNOW_sample.txt"
    /// True when the CDNOW files are present.
    public static let cdnowAvailable = FileManager.default.fileExists(atPath: cdnowMaster)
}
