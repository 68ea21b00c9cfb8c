import Foundation
import Logging
import ScorecardCore

/// Moves an LLM API key that an older server stored in clear in the settings (`vllm_api_key`)
/// out of the database: into a file of mode 0600 in `directory` (the SQLite database's
/// directory, or the server's data directory for PostgreSQL), pointed at by `vllm_api_key_file`
/// (unless `vllm_api_key_env` or `vllm_api_key_file` is already set), with the row deleted and
/// an `llm_key.moved` audit entry, in one transaction. `scorecard-server` runs it each time it
/// opens the database; once the key is gone it only reads the settings.
public enum LLMKeyMigration {
    /// What a run did: the file written, or nil when there was no clear key.
    @discardableResult
    public static func run(store: any ServerStore, directory: String, actor: AuditActor, logger: Logger) async throws -> String? {
        let settings = try await store.settings()
        guard let stored = settings.stored["vllm_api_key"] else { return nil }
        guard case .string(let key) = stored, !key.isEmpty else {
            _ = try await store.retireSetting(
                key: "vllm_api_key", expected: stored, replacements: [:],
                audit: AuditEntry(actor, "llm_key.moved", subject: "vllm_api_key", detail: "an empty vllm_api_key was removed from the database"))
            return nil
        }
        let path = try writeKeyFile(key, directory: directory)
        let pointed = settings.stored["vllm_api_key_env"] == nil && settings.stored["vllm_api_key_file"] == nil
        let detail =
            "the API key was moved out of the database to \(path)"
            + (pointed ? "; vllm_api_key_file now names it" : "; vllm_api_key_env or vllm_api_key_file was already set and is left as it was")
        let moved = try await store.retireSetting(
            key: "vllm_api_key", expected: stored, replacements: pointed ? ["vllm_api_key_file": .string(path)] : [:],
            audit: AuditEntry(actor, "llm_key.moved", subject: "vllm_api_key_file", detail: detail))
        guard moved else {
            // Another process moved it first (to its own file); ours is a spare copy: remove it.
            try? FileManager.default.removeItem(atPath: path)
            return nil
        }
        logger.warning(
            "\(detail). Other server processes on this database (other machines) need the same file, or vllm_api_key_env; backups made before now still hold the key: rotate it if they are not as safe as the key (docs/operations.md)"
        )
        return path
    }

    /// Writes `key` to `directory/llm-api-key` (or `llm-api-key-N` when that holds another
    /// key), created with mode 0600 and renamed into place; returns the path.
    static func writeKeyFile(_ key: String, directory: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let base = (directory as NSString).appendingPathComponent("llm-api-key")
        var path = base
        var n = 1
        while FileManager.default.fileExists(atPath: path) {
            if (try? LLMKey.readFile(path)) == key { return path }
            n += 1
            path = base + "-\(n)"
        }
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw StoreError(.invalid, "cannot create \(temporary) for the LLM API key: \(String(cString: strerror(errno)))") }
        let bytes = Array((key + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        guard written == bytes.count, synced == 0, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw StoreError(.invalid, "cannot write the LLM API key to \(path): \(String(cString: strerror(errno)))")
        }
        return path
    }
}
