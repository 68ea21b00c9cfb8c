import Foundation

/// llama-cpp-python's OpenAI-compatible server (`python -m llama_cpp.server`) serving a GGUF model
/// on a free loopback port, for the real-model review tests and `scorecard-bench llm-reviews`.
///
/// ```swift
/// let llama = try await LlamaServer.shared()      // started once per process
/// settings: vllm_base_url = llama.baseURL, vllm_model = llama.modelID
/// ```
///
/// It runs under a ``WatchedProcess``, so it dies with the test process however that ends.
public final class LlamaServer: Sendable {
    /// The model id the server reports (its `--model_alias`).
    public static let modelID = "SmolLM2-135M-Instruct"
    /// The context the server is started with: the review prompt (about 1,300 tokens) plus the
    /// default `vllm_max_tokens` (1,024) need more than llama-cpp-python's default of 2,048.
    public static let contextTokens = 4096

    public let port: Int
    public let model: String
    let process: WatchedProcess

    /// `http://127.0.0.1:PORT/v1`.
    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }
    public var modelID: String { Self.modelID }
    /// The server's output so far.
    public var log: String { process.log }

    private init(port: Int, model: String, process: WatchedProcess) {
        self.port = port
        self.model = model
        self.process = process
    }

    /// Starts a server (``ModelServerRequirement`` says where from) with `threads` threads and
    /// waits until `GET /v1/models` answers, at most `timeout`.
    ///
    /// One thread by default: llama.cpp's threads wait for each other at every step, and on a
    /// two-core machine that is also building or testing, two threads took a review from 23 s to
    /// over 150 s (docs/performance.md).
    public static func start(threads: Int = 1, timeout: Duration = .seconds(120)) async throws -> LlamaServer {
        if let reason = ModelServerRequirement.unavailableReason { throw ModelServerError(reason) }
        let python = ModelServerRequirement.python!
        let model = ModelServerRequirement.model!
        let port = try PostgresCluster.freePort()
        let logPath = FileManager.default.temporaryDirectory.appendingPathComponent("scorecard-llama-\(port)-\(UUID().uuidString.prefix(8)).log").path
        let process = try WatchedProcess(
            [
                python, "-m", "llama_cpp.server", "--model", model, "--model_alias", modelID, "--host", "127.0.0.1", "--port", String(port),
                "--n_ctx", String(contextTokens), "--n_threads", String(threads), "--n_threads_batch", String(threads),
            ], logPath: logPath)
        let server = LlamaServer(port: port, model: model, process: process)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let r = try? await TestHTTP.send("GET", server.baseURL + "/models"), r.status == 200 { return server }
            guard process.isRunning else {
                throw ModelServerError("llama_cpp.server exited before it served: \(server.log.suffix(2000))")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        process.stop()
        throw ModelServerError("llama_cpp.server did not answer on port \(port) within \(timeout): \(server.log.suffix(2000))")
    }

    /// Stops the server.
    public func stop() { process.stop() }

    /// The one server of this process, started on first use (loading the model takes a second or
    /// two; every test shares it, one review at a time as the server itself works).
    public static func shared() async throws -> LlamaServer { try await holder.server() }

    private static let holder = Holder()

    private actor Holder {
        var started: Task<LlamaServer, any Error>?

        func server() async throws -> LlamaServer {
            if let started { return try await started.value }
            let task = Task { try await LlamaServer.start() }
            started = task
            return try await task.value
        }
    }
}
