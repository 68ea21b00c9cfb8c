/// The JSON error body of API.md: `{"error": {"code": "...", "message": "..."}}`.
public struct ErrorBody: Codable, Hashable, Sendable {
    /// The inner error object.
    public struct Detail: Codable, Hashable, Sendable {
        /// A stable `snake_case` code callers match on.
        public var code: String
        /// One sentence a person can act on.
        public var message: String

        public init(code: String, message: String) {
            self.code = code
            self.message = message
        }
    }

    public var error: Detail

    public init(code: String, message: String) { self.error = Detail(code: code, message: message) }
}
