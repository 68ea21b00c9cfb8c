import Foundation
import ScorecardTesting
import Testing

extension Trait where Self == ConditionTrait {
    /// For suites that need a real model (llama-cpp-python's server with SmolLM2-135M): skipped,
    /// with one note for the whole run, where the venv is missing (``ModelServerRequirement``). On
    /// CI a missing model server fails the run through `ModelServerRequirementTests` instead.
    static var requiresModelServer: Self {
        .enabled("needs the llama-cpp-python venv (bash .ci/llm-venv; see docs/testing.md)") { ModelServerRequirement.canRun }
    }
}

/// A missing model server fails the run on CI (and only there): the one place the rule is checked.
@Suite("Model server requirement")
struct ModelServerRequirementTests {
    @Test func modelServerIsInstalledWhereCIRequiresIt() {
        if let failure = ModelServerRequirement.ciFailure {
            Issue.record(Comment(rawValue: failure))
        }
    }
}
