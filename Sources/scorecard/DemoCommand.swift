import ArgumentParser
import Foundation
import Logging
import ScorecardCore
import ScorecardServer
import ScorecardStoreSQLite
import ScorecardShell
import ScorecardSync

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",  // named, not derived from the type: that costs a reflection pass at every start
        abstract: "Run a demo server in-process, log in as a demo agent, sync, then open the shell (or print the week).",
        discussion: """
            The demo server's database lives in $XDG_DATA_HOME/scorecard/demo-server/ and is reused on the next run
            (new days are added, existing ones are left as they were). The account is `demo/agent-001`.
            When standard input and output are terminals the shell opens (the server runs until you leave it);
            otherwise `stats week` is printed.
            """)

    @Option(help: "Demo agent to log in as.") var agent = "agent-001"
    @Option(help: "Agents to generate on first run.") var agents = 12
    @Option(help: "Days of history to generate.") var days = 35
    @Flag(help: "Serve the web pages until Ctrl-C instead of opening the shell (or printing the week).") var web = false

    func run() async throws {
        let accounts = AccountStore()
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
        let interactive = isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
        if summary.calls.inserted > 0 && interactive {
            Output.error("demo: generated \(grouped(summary.calls.inserted)) calls for \(agents) agents\n")
        }
        var configuration = ServerConfiguration()
        configuration.port = 0
        let server = try await RunningServer.start(services: ServerServices(store: store, configuration: configuration), logger: quiet)
        var status: Int32 = 0
        do {
            let url = URL(string: server.baseURL)!
            let login = try await APIClient(server: url, token: nil).login(personID: agent, password: "demo-\(agent)")
            let account = Account(server: server.baseURL, person: agent, hostKey: "demo")
            try accounts.setToken(login.token, for: account)
            try accounts.use(account)
            let context = CommandContext(terminal: .detect(), accounts: accounts)
            let mirror = try context.mirror(for: account)
            let report = await SyncRunner.run(SyncEngine(mirror: mirror, client: try context.client(for: account)), progress: isatty(STDERR_FILENO) == 1)
            _ = try SyncRunner.outcome(report)
            Output.standard("Scorecard demo — signed in as \(login.person.name) (\(agent)); mirror at \(accounts.mirrorPath(account))\n")
            Output.standard("Web pages: \(server.baseURL)/ — sign in as manager-01 (password demo-manager-01) or \(agent) (demo-\(agent)) while the demo runs\n\n")
            if web {
                Output.standard("Serving the web pages until Ctrl-C.\n")
                while true { try await Task.sleep(for: .seconds(3600)) }
            } else if interactive {
                status = await Shell.run(ShellOptions())
            } else {
                status = await ShellSession(interactive: false).runScript(["stats week"])
            }
        } catch {
            await server.stop()
            throw CLIError.from(error)
        }
        await server.stop()
        if status != 0 { throw ExitCode(status) }
    }
}
