import Synchronization

/// Runs `operation` and fails with `onTimeout()` once `limit` has passed, whether or not the
/// operation notices its cancellation.
///
/// Not a task group on purpose: a task group waits for all its children before it returns, so a
/// call that ignores cancellation (a URLSession request to a hung chromedriver on Linux, where the
/// resource timeout is not applied) would still hang the test. Here the losing task is cancelled
/// and left to finish on its own; the caller resumes at the deadline.
func withDeadline<T: Sendable>(
    _ limit: Duration, onTimeout: @escaping @Sendable () -> any Error, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    let race = DeadlineRace<T>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
            race.wait(continuation)
            let work = Task {
                do { race.finish(.success(try await operation())) } catch { race.finish(.failure(error)) }
            }
            let timer = Task {
                try? await Task.sleep(for: limit)
                race.finish(.failure(onTimeout()))
            }
            race.track([work, timer])
        }
    } onCancel: {
        race.finish(.failure(CancellationError()))
    }
}

/// The first of the operation, the timer and cancellation to finish resumes the caller.
private final class DeadlineRace<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var result: Result<T, any Error>?
        var tasks: [Task<Void, Never>] = []
    }
    private let state = Mutex(State())

    func wait(_ continuation: CheckedContinuation<T, any Error>) {
        let result: Result<T, any Error>? = state.withLock { state in
            if state.result == nil { state.continuation = continuation }
            return state.result
        }
        if let result { continuation.resume(with: result) }
    }

    func track(_ tasks: [Task<Void, Never>]) {
        let finished = state.withLock { state in
            if state.result == nil { state.tasks = tasks }
            return state.result != nil
        }
        if finished { tasks.forEach { $0.cancel() } }
    }

    func finish(_ result: Result<T, any Error>) {
        let (continuation, tasks): (CheckedContinuation<T, any Error>?, [Task<Void, Never>]) = state.withLock { state in
            guard state.result == nil else { return (nil, []) }
            state.result = result
            defer { state.continuation = nil; state.tasks = [] }
            return (state.continuation, state.tasks)
        }
        continuation?.resume(with: result)
        tasks.forEach { $0.cancel() }
    }
}
