import Foundation
import ScorecardCache
import ScorecardCore
import ScorecardSync
import ScorecardTesting
import Testing

/// What the client keeps on disk is the user's alone: the accounts file, the token and the mirror
/// (with its WAL files) 0600, every directory the client creates for them 0700 — after the
/// account is stored and a real sync through the `scorecard` binary.
@Suite struct PrivateFilesTests {
    static func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? nil
    }

    @Test func tokensAccountsAndMirrorsArePrivate() async throws {
        guard CLIChild.executable != nil else {
            Issue.record("\(CLIMissing())")
            return
        }
        try await withServer(backend: .sqlite) { server, sandbox in
            try await server.seedDemo(agents: 1, days: 2)
            // The account and token as `scorecard login` stores them (the same AccountStore calls).
            let account = try registerAccount(sandbox, server: server.baseURL, person: Demo.agent, token: try await server.demoLogin())
            let sync = try await CLIChild.run(["sync"], sandbox: sandbox)
            #expect(sync.status == 0, "\(sync.stderr)")
            let token = sandbox.accounts.tokenPath(account)
            let mirror = sandbox.accounts.mirrorPath(account)
            var files = [sandbox.configHome + "/scorecard/accounts.json", token, mirror]
            files += ["-wal", "-shm"].map { mirror + $0 }.filter { FileManager.default.fileExists(atPath: $0) }
            for file in files {
                #expect(Self.mode(file) == 0o600, "\(file): \(String(Self.mode(file) ?? -1, radix: 8))")
            }
            // Every directory the client made, from its own folders down to the files'.
            var directories: Set<String> = []
            for (top, file) in [(sandbox.configHome + "/scorecard", token), (sandbox.dataHome + "/scorecard", mirror)] {
                var dir = (file as NSString).deletingLastPathComponent
                while dir.count >= top.count {
                    directories.insert(dir)
                    dir = (dir as NSString).deletingLastPathComponent
                }
            }
            #expect(files.count >= 3 && directories.count >= 4, "\(files) \(directories)")
            for dir in directories.sorted() {
                #expect(Self.mode(dir) == 0o700, "\(dir): \(String(Self.mode(dir) ?? -1, radix: 8))")
            }
        }
    }
}
