import Foundation

/// Where the LLM API key comes from: never the database. The settings name an environment
/// variable of the server (`vllm_api_key_env`) or a file readable by the server's user alone
/// (`vllm_api_key_file`), and the key is read from there for each review.
public enum LLMKey {
    /// The largest key file read (a key is a line; anything bigger is not a key file).
    static let maxFileBytes = 64 << 10

    /// The key the settings point at; nil when neither setting is set (the gateway needs none).
    /// Throws a ``CoachError`` saying what to fix when they are both set, or the variable is
    /// unset or empty, or the file is missing, too open (like ssh, any permission for group or
    /// others is refused), unreadable or empty.
    public static func resolve(_ settings: Settings, environment: (String) -> String? = LLMKey.environment) throws -> String? {
        let variable = settings.string("vllm_api_key_env")
        let file = settings.string("vllm_api_key_file")
        switch (variable, file) {
        case (nil, nil):
            return nil
        case (.some, .some):
            throw CoachError("both vllm_api_key_env and vllm_api_key_file are set; set one of them to null")
        case (let variable?, nil):
            guard let key = environment(variable)?.trimmingCharacters(in: .whitespacesAndNewlines), !key.isEmpty else {
                throw CoachError("vllm_api_key_env names \(variable), which is not set (or empty) in the server's environment")
            }
            return key
        case (nil, let path?):
            return try readFile(path)
        }
    }

    /// The process environment as it is now (`getenv`, so a variable set after start counts).
    public static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// Why `path` cannot serve as a key file, or nil when it can (absolute, a regular file, no
    /// permission for group or others).
    public static func fileProblem(_ path: String) -> String? {
        guard path.hasPrefix("/") else { return "vllm_api_key_file must be an absolute path" }
        var info = stat()
        guard stat(path, &info) == 0 else {
            return "vllm_api_key_file \(path) cannot be read: \(String(cString: strerror(errno)))"
        }
        guard Int(info.st_mode) & 0o170000 == 0o100000 else { return "vllm_api_key_file \(path) is not a regular file" }
        let mode = Int(info.st_mode) & 0o777
        if mode & 0o077 != 0 {
            return "vllm_api_key_file \(path) is accessible by group or others (mode \(String(mode, radix: 8).leftPadded(to: 4))); "
                + "it must be readable by the server's user alone: chmod 600 \(path)"
        }
        return nil
    }

    /// The key in `path` (surrounding white space and the final newline dropped), after ``fileProblem(_:)``.
    public static func readFile(_ path: String) throws -> String {
        if let problem = fileProblem(path) { throw CoachError(problem) }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CoachError("vllm_api_key_file \(path) cannot be read by the server's user")
        }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: maxFileBytes + 1)) ?? Data()
        guard data.count <= maxFileBytes else { throw CoachError("vllm_api_key_file \(path) is larger than \(maxFileBytes) bytes: not a key") }
        let key = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !key.isEmpty else { throw CoachError("vllm_api_key_file \(path) is empty") }
        return key
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
