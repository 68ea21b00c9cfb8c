import ArgumentParser
import Foundation
import ScorecardCore
import ScorecardServer

struct SettingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings", abstract: "Read and change the server's settings (seed 002).", subcommands: [Get.self, Set.self])

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print one setting's value as JSON, or every setting with its default.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "A setting key; all settings when omitted.") var key: String?

        func run() async throws {
            try await reporting {
                let settings = try await db.withStore { try await $0.settings() }
                if let key {
                    if let advice = SettingSpec.retired[key] { throw CLIFailure(advice) }
                    guard let spec = SettingSpec.named(key) else { throw CLIFailure("unknown setting '\(key)'; run `scorecard-server settings get` for the list") }
                    print(String(decoding: try WireJSON.encode(SettingView(spec: spec, settings: settings).value), as: UTF8.self))
                    return
                }
                for spec in SettingSpec.all {
                    let view = SettingView(spec: spec, settings: settings)
                    let value = String(decoding: try WireJSON.encode(view.value), as: UTF8.self)
                    print("\(spec.key) = \(value)\(view.isSet ? "" : "  (default)")")
                }
            }
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a setting. VALUE is JSON (true, 70, {\"support\":30,...}); a bare word is taken as a string; null resets it.")
        @OptionGroup var db: DatabaseOptions
        @Argument var key: String
        @Argument var value: String

        func run() async throws {
            try await reporting {
                if let advice = SettingSpec.retired[key] { throw CLIFailure(advice) }
                guard let spec = SettingSpec.named(key) else { throw CLIFailure("unknown setting '\(key)'; run `scorecard-server settings get` for the list") }
                let json = (try? WireJSON.decode(JSONValue.self, from: Data(value.utf8))) ?? .string(value)
                if let problem = spec.problem(with: json) { throw CLIFailure(problem) }
                _ = try await db.withStore { try await SettingsService.set(spec, to: json, by: .commandLine(), store: $0) }
                print("\(key) set")
            }
        }
    }
}
