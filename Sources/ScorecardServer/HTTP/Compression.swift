import CZstd
import CompressNIO
import HTTPTypes
import Hummingbird
import NIOCore

/// A content coding the server writes responses in and (for `gzip`) reads request bodies in.
public enum ContentCoding: String, Sendable, CaseIterable {
    case zstd
    case gzip
}

/// How the server compresses response bodies (docs/api.md, "Compression").
public struct CompressionSettings: Sendable, Equatable {
    /// Off: every response goes as it is (and without `Vary`).
    public var enabled = true
    /// Bodies shorter than this go as they are: a header and a frame would cost more than they save
    /// (the no-op pull is about 90 bytes).
    public var minimumBytes = 1024
    /// zstd's level (1–19); chosen by measurement in docs/performance.md.
    public var zstdLevel: Int32 = 1
    /// gzip's level (1–9); chosen by measurement in docs/performance.md.
    public var gzipLevel: Int32 = 6

    public init() {}

    /// Nothing compressed.
    public static var off: CompressionSettings {
        var settings = CompressionSettings()
        settings.enabled = false
        return settings
    }
}

/// Response compression and request-body inflation.
public enum Compression {
    /// The coding to answer a request in, from its `Accept-Encoding` values (RFC 9110 §12.5.3):
    /// zstd when it is accepted at least as much as gzip, else gzip, else none. `q=0` refuses a
    /// coding; `*` stands for codings not named.
    public static func negotiate(_ acceptEncoding: [String]) -> ContentCoding? {
        var quality: [String: Double] = [:]
        for value in acceptEncoding {
            for item in value.split(separator: ",") {
                let parts = item.split(separator: ";")
                guard let first = parts.first else { continue }
                let name = first.trimmingCharacters(in: .whitespaces).lowercased()
                guard !name.isEmpty else { continue }
                var q = 1.0
                for parameter in parts.dropFirst() {
                    let kv = parameter.split(separator: "=", maxSplits: 1)
                    if kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces).lowercased() == "q" {
                        q = Double(kv[1].trimmingCharacters(in: .whitespaces)) ?? 0
                    }
                }
                quality[name == "x-gzip" ? "gzip" : name] = q
            }
        }
        func q(_ coding: ContentCoding) -> Double { quality[coding.rawValue] ?? quality["*"] ?? 0 }
        let zstd = q(.zstd)
        let gzip = q(.gzip)
        if zstd > 0, zstd >= gzip { return .zstd }
        if gzip > 0 { return .gzip }
        return nil
    }

    /// Whether a response of this media type is worth compressing (text, JSON, CSV, SVG, scripts).
    static func isCompressible(contentType: String?) -> Bool {
        guard let type = contentType?.lowercased() else { return false }
        return type.hasPrefix("text/") || type.contains("json") || type.contains("svg") || type.contains("javascript")
    }

    /// `buffer` in `coding` at the settings' level.
    public static func compress(_ buffer: ByteBuffer, _ coding: ContentCoding, settings: CompressionSettings) throws -> ByteBuffer {
        switch coding {
        case .gzip:
            var input = buffer
            return try input.compress(with: .gzip(configuration: .init(compressionLevel: settings.gzipLevel)))
        case .zstd:
            let bound = ZSTD_compressBound(buffer.readableBytes)
            var output = ByteBufferAllocator().buffer(capacity: bound)
            var failure: String?
            _ = buffer.withUnsafeReadableBytes { source in
                output.writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { target in
                    let written = ZSTD_compress(target.baseAddress, target.count, source.baseAddress, source.count, settings.zstdLevel)
                    if ZSTD_isError(written) != 0 {
                        failure = String(cString: ZSTD_getErrorName(written))
                        return 0
                    }
                    return written
                }
            }
            if let failure { throw CompressionError(message: "zstd: \(failure)") }
            return output
        }
    }

    /// `buffer` inflated from `coding`, at most `limit` bytes of output: beyond that a
    /// ``CompressionError`` with `tooLarge` (a zip bomb costs no more than `limit` bytes of memory),
    /// a corrupt or cut stream one without.
    public static func decompress(_ buffer: ByteBuffer, _ coding: ContentCoding, limit: Int) throws -> ByteBuffer {
        switch coding {
        case .gzip:
            var input = buffer
            do {
                let output = try input.decompress(with: .gzip(), maxSize: limit)
                // A complete stream is read to its end; bytes left over are not one gzip member.
                guard input.readableBytes == 0 else { throw CompressionError(message: "bytes after the end of the gzip stream") }
                return output
            } catch let error as CompressNIOError where error == .bufferOverflow {
                throw CompressionError(message: "inflates to more than \(limit) bytes", tooLarge: true)
            } catch let error as CompressionError {
                throw error
            } catch {
                throw CompressionError(message: "gzip: \(error)")
            }
        case .zstd:
            let size = buffer.withUnsafeReadableBytes { ZSTD_getFrameContentSize($0.baseAddress, $0.count) }
            guard size != ZSTD_CONTENTSIZE_ERROR, size != ZSTD_CONTENTSIZE_UNKNOWN else {
                throw CompressionError(message: "zstd: not a frame that states its size")
            }
            guard size <= UInt64(limit) else { throw CompressionError(message: "inflates to more than \(limit) bytes", tooLarge: true) }
            var output = ByteBufferAllocator().buffer(capacity: Int(size))
            var failure: String?
            _ = buffer.withUnsafeReadableBytes { source in
                output.writeWithUnsafeMutableBytes(minimumWritableBytes: Int(size)) { target in
                    let n = ZSTD_decompress(target.baseAddress, Int(size), source.baseAddress, source.count)
                    if ZSTD_isError(n) != 0 {
                        failure = String(cString: ZSTD_getErrorName(n))
                        return 0
                    }
                    return n
                }
            }
            if let failure { throw CompressionError(message: "zstd: \(failure)") }
            return output
        }
    }
}

/// A compression library failure, or output over its limit.
public struct CompressionError: Error, CustomStringConvertible, Sendable {
    public var message: String
    /// The output would pass the caller's limit.
    public var tooLarge = false
    public var description: String { message }
}

extension Request {
    /// The request body, at most `limit` bytes once inflated: `Content-Encoding: gzip` is inflated,
    /// `identity` or none taken as it is, anything else refused with 415. Over the limit, compressed
    /// or not, is 413.
    func collectDecodedBody(upTo limit: Int) async throws -> ByteBuffer {
        var request = self
        let raw = try await request.collectBody(upTo: limit)
        let codings = headers[values: .contentEncoding].flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty && $0 != "identity" }
        switch codings {
        case []:
            return raw
        case ["gzip"], ["x-gzip"]:
            do {
                return try Compression.decompress(raw, .gzip, limit: limit)
            } catch let error as CompressionError where error.tooLarge {
                throw APIError(
                    .contentTooLarge, "payload_too_large", "The request body inflates to more than \(limit) bytes, more than this server accepts.")
            } catch {
                throw APIError(.badRequest, "malformed_body", "The gzip request body is corrupt or cut off (\(error)).")
            }
        default:
            throw APIError(
                .unsupportedMediaType, "unsupported_encoding",
                "Content-Encoding '\(codings.joined(separator: ", "))' is not accepted; send the body as it is or in gzip.")
        }
    }
}

/// Compresses response bodies the caller accepts compressed (``Compression/negotiate(_:)``):
/// JSON, CSV, HTML and other text of at least ``CompressionSettings/minimumBytes`` with a known
/// length, unless the response already has a coding. Such responses carry `Vary: Accept-Encoding`
/// whatever the caller asked; smaller ones do not vary and go without it.
struct CompressionMiddleware<Context: RequestContext>: RouterMiddleware {
    let settings: CompressionSettings

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        guard settings.enabled, request.method != .head, let length = response.body.contentLength, length >= settings.minimumBytes,
            response.status != .noContent, response.status != .notModified, response.status != .partialContent,
            response.headers[.contentEncoding] == nil, Compression.isCompressible(contentType: response.headers[.contentType])
        else { return response }
        if !response.headers[values: .vary].contains(where: { $0.lowercased().contains("accept-encoding") }) {
            response.headers.append(HTTPField(name: .vary, value: "Accept-Encoding"))
        }
        guard let coding = Compression.negotiate(request.headers[values: .acceptEncoding]) else { return response }
        let original = try await BodyCollector.collect(response.body)
        let compressed = try Compression.compress(original, coding, settings: settings)
        guard compressed.readableBytes < original.readableBytes else {
            response.body = .init(byteBuffer: original)
            return response
        }
        response.headers[.contentEncoding] = coding.rawValue
        response.body = .init(byteBuffer: compressed)
        return response
    }
}

/// Gathers a response body's bytes (bodies the middleware compresses have a known length).
private final class BodyCollector: ResponseBodyWriter {
    var buffer = ByteBuffer()

    func write(_ part: ByteBuffer) async throws {
        if buffer.readableBytes == 0 {
            buffer = part  // the usual case: one buffer, not copied
        } else {
            var part = part
            buffer.writeBuffer(&part)
        }
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}

    static func collect(_ body: ResponseBody) async throws -> ByteBuffer {
        let collector = BodyCollector()
        try await body.write(collector)
        return collector.buffer
    }
}
