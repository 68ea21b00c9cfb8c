import Crypto
import Foundation
import Hummingbird
import ScorecardCore

/// The stylesheet and the script, embedded in the binary (no resource bundle: `scorecard demo`
/// is a single file), served with a content hash in the URL so browsers may cache them for a year.
enum StaticAssets {
    static let stylesheet = Data(Stylesheet.css.utf8)
    static let script = Data(Script.js.utf8)
    static let stylesheetHash = hash(stylesheet)
    static let scriptHash = hash(script)
    static let stylesheetPath = "/static/scorecard.css?v=" + stylesheetHash
    static let scriptPath = "/static/scorecard.js?v=" + scriptHash

    static func hash(_ data: Data) -> String {
        SHA256.hash(data: data).prefix(6).map { String(format: "%02x", $0) }.joined()
    }

    /// The asset with a long cache and an ETag; 304 when the browser has it.
    static func response(_ data: Data, hash: String, contentType: String, request: Request) -> Response {
        let etag = "\"\(hash)\""
        if request.headers[.ifNoneMatch] == etag {
            return Response(status: .notModified, headers: [.eTag: etag, .cacheControl: "public, max-age=31536000, immutable"])
        }
        return Response(
            status: .ok,
            headers: [.contentType: contentType, .eTag: etag, .cacheControl: "public, max-age=31536000, immutable"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
