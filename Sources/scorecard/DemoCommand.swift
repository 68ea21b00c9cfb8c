import ArgumentParser
import Foundation
import Logging
import ScorecardCache
import ScorecardCore
import ScorecardServer
import ScorecardSync

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a demo server in-process, log in as a demo agent, sync, and show the week.",
        discussion: """
            The demo server's database lives in $XDG_DATA_HOME/scorecard/demo-server/ and is reused on the next run
            (new days are added, existing ones are left as they were). The account is `demo/agent-001`.
            """)

    @Option(help: "Demo agent to log in as.") var agent = "agent-001"
    @Option(help: "Agents to generate on first run.") var agents = 12
    @Option(help: "Days of history to generate.") var days = 35

    func run() async throws {
        let env = ClientEnvironment()
        let serverDirectory = XDG.dataHome + "/scorecard/demo-server"
        let store: SQLiteStore
        do {
            store = try SQLiteStore(path: serverDirectory + "/server.sqlite")
        } catch {
            throw CLIError(.failure, "cannot open the demo server's database in \(serverDirectory): \(error)")
        }
        var options = DemoData.Options()
        options.agents = agents
        options.days = days
        var quiet = Logger(label: "scorecard-demo")
        quiet.logLevel = .critical
        let summary = try await DemoData(options: options).write(to: store, logger: quiet)
        if summary.calls.inserted > 0 && Terminal.isTTY(STDOUT_FILENO) {
            Terminal.writeError("demo: generated \(grouped(summary.calls.inserted)) calls for \(agents) agents\n")
        }
        var configuration = ServerConfiguration()
        configuration.port = 0
        let server = try await RunningServer.start(services: ServerServices(store: store, configuration: configuration), logger: quiet)
        do {
            let url = URL(string: server.baseURL)!
            let login = try await APIClient(server: url, token: nil).login(personID: agent, password: "demo-\(agent)")
            let account = Account(server: server.baseURL, person: agent, hostKey: "demo")
            try env.store.setToken(login.token, for: account)
            try env.store.use(account)
            let mirror = try env.mirror(account)
            try mirror.bind(server: server.baseURL, person: agent)
            let report = await SyncCommandRunner.run(SyncEngine(mirror: mirror, client: try env.client(account)), progress: Terminal.isTTY(STDERR_FILENO))
            try SyncCommandRunner.finish(report, quiet: true)
            let week = DateRange.parse("week", today: DateRange.today())!
            print("Scorecard demo — signed in as \(login.person.name) (\(agent)); mirror at \(env.store.mirrorPath(account))\n")
            print(StatsRendering.render(try mirror.kpiReport(from: week.from, to: week.to), format: .table), terminator: "")
        } catch {
            await server.stop()
            throw error is CLIError ? error : CLIError.from(error)
        }
        await server.stop()
    }
}
