import Foundation
import Testing

/// Golden files under `Tests/ScorecardShellTests/Golden/`, compared byte for byte.
/// `SCORECARD_RECORD_GOLDEN=1 swift test --filter ScorecardShellTests` rewrites them.
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static func check(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["SCORECARD_RECORD_GOLDEN"] == "1" {
            try Data(actual.utf8).write(to: url)
            return
        }
        guard let expected = FileManager.default.contents(atPath: url.path) else {
            Issue.record("missing golden file \(name); record it with SCORECARD_RECORD_GOLDEN=1", sourceLocation: sourceLocation)
            return
        }
        let text = String(decoding: expected, as: UTF8.self)
        #expect(actual == text, "\(name) differs:\n--- expected\n\(text)\n--- actual\n\(actual)", sourceLocation: sourceLocation)
    }
}
