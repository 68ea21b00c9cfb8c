import ArgumentParser
import Foundation
import ScorecardCore
import ScorecardServer

struct TeamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "team", abstract: "Manage teams.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a team.")
        @OptionGroup var db: DatabaseOptions
        @Option var id: String
        @Option var name: String
        @Option(help: "operations, support, field_service or sales.") var type: String?
        @Option(help: "The person id of the team's manager.") var manager: String?

        func run() async throws {
            let teamType = try type.map { raw in
                guard let t = TeamType(rawValue: raw) else { throw ValidationError("--type must be operations, support, field_service or sales") }
                return t
            }
            try await reporting {
                let audit = AuditEntry(
                    .commandLine(), "team.created", subject: id,
                    detail: "\(name), type \(teamType?.rawValue ?? "none")" + (manager.map { ", manager \($0)" } ?? ""))
                try await db.withStore {
                    try await $0.createTeam(Team(id: id, name: name, teamType: teamType, managerPersonID: manager), audit: audit)
                }
                print("team \(id) created")
            }
        }
    }
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage people and their passwords.", subcommands: [Add.self, Passwd.self, List.self, Deactivate.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a person; the password is read from standard input.")
        @OptionGroup var db: DatabaseOptions
        @Option var id: String
        @Option var name: String
        @Option var email: String
        @Option(help: "agent, manager or admin.") var role: String
        @Option(help: "The team the person belongs to.") var team: String?
        @Flag(help: "Read the password from standard input.") var passwordStdin = false
        @Option(help: "bcrypt cost (4-31).") var bcryptCost = 10

        func validate() throws {
            guard (4...31).contains(bcryptCost) else { throw ValidationError("--bcrypt-cost must be 4...31") }
        }

        func run() async throws {
            guard let role = Role(rawValue: role) else { throw ValidationError("--role must be agent, manager or admin") }
            guard email.contains("@") else { throw ValidationError("--email must be an email address") }
            try await reporting {
                let password = try readPassword(fromStdin: passwordStdin)
                let hash = try await Credentials.hashPassword(password, cost: UInt8(clamping: bcryptCost))
                let audit = AuditEntry(
                    .commandLine(), "person.created", personID: id, subject: team, detail: "role \(role.rawValue)" + (team.map { ", team \($0)" } ?? ""))
                try await db.withStore {
                    try await $0.createPerson(Person(id: id, name: name, email: email, role: role, teamID: team), passwordHash: hash, audit: audit)
                }
                print("user \(id) created")
            }
        }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a password (read from standard input); revokes the person's tokens.")
        @OptionGroup var db: DatabaseOptions
        @Option var id: String
        @Flag(help: "Read the password from standard input.") var passwordStdin = false
        @Option(help: "bcrypt cost (4-31).") var bcryptCost = 10

        func validate() throws {
            guard (4...31).contains(bcryptCost) else { throw ValidationError("--bcrypt-cost must be 4...31") }
        }

        func run() async throws {
            try await reporting {
                let password = try readPassword(fromStdin: passwordStdin)
                let hash = try await Credentials.hashPassword(password, cost: UInt8(clamping: bcryptCost))
                let audit = AuditEntry(.commandLine(), "person.password_changed", personID: id, detail: "tokens and sessions revoked")
                try await db.withStore { try await $0.setPasswordHash(personID: id, hash: hash, audit: audit) }
                print("password of \(id) changed; their sessions were revoked")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List people.")
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await reporting {
                let people = try await db.withStore { try await $0.people() }
                print(["ID", "NAME", "ROLE", "TEAM", "ACTIVE"].joined(separator: "\t"))
                for p in people {
                    print([p.id, p.name, p.role.rawValue, p.teamID ?? "-", p.active ? "yes" : "no"].joined(separator: "\t"))
                }
            }
        }
    }

    struct Deactivate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Deactivate a person, end their memberships and revoke their tokens.")
        @OptionGroup var db: DatabaseOptions
        @Option var id: String

        func run() async throws {
            try await reporting {
                let audit = AuditEntry(.commandLine(), "person.deactivated", personID: id, detail: "memberships ended, tokens and sessions revoked")
                try await db.withStore { try await $0.deactivatePerson(id: id, audit: audit) }
                print("user \(id) deactivated")
            }
        }
    }
}

struct DemoDataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-data", abstract: "Write reproducible demo people, teams, calls, day summaries and activity; score the weeks, write reviews and goals; print the logins.")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "Number of agents.") var agents = 20
    @Option(help: "Number of days, ending today (UTC).") var days = 30
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Last day with data (YYYY-MM-DD); default today (UTC).") var endDate: String?

    func validate() throws {
        guard (1...10_000).contains(agents) else { throw ValidationError("--agents must be 1...10000") }
        guard (1...730).contains(days) else { throw ValidationError("--days must be 1...730") }
        if let endDate, CivilDate(endDate) == nil { throw ValidationError("--end-date must be YYYY-MM-DD") }
    }

    func run() async throws {
        try await reporting {
            var options = DemoData.Options()
            options.agents = agents
            options.days = days
            options.seed = seed
            if let endDate, let d = CivilDate(endDate) { options.endDate = d }
            let summary = try await db.withStore { store in
                try await DemoData(options: options).write(to: store, logger: stderrLogger("demo-data", level: .warning))
            }
            print("calls: \(summary.calls.inserted) inserted, \(summary.calls.updated) updated, \(summary.calls.unchanged) unchanged")
            print("day summaries: \(summary.daySummaries.inserted) inserted, \(summary.daySummaries.unchanged) unchanged")
            print("activities: \(summary.activities.inserted) inserted, \(summary.activities.updated) updated, \(summary.activities.unchanged) unchanged")
            print("scoring: \(summary.weeksScored) weeks scored, \(summary.reviews) reviews written, \(summary.goals) goals created")
            print("\nDemo logins (person id / password):")
            for login in summary.logins.prefix(12) {
                print("  \(login.personID.padding(toLength: 12, withPad: " ", startingAt: 0)) \(login.password.padding(toLength: 20, withPad: " ", startingAt: 0)) \(login.role.rawValue)\(login.teamID.map { " (\($0))" } ?? "")")
            }
            if summary.logins.count > 12 { print("  … and \(summary.logins.count - 12) more: every password is demo-<person id>") }
        }
    }
}

struct PruneTombstones: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune-tombstones", abstract: "Delete feed tombstones older than N days and raise each feed's floor.")
    @OptionGroup var db: DatabaseOptions
    @Option(help: "Age in days.") var olderThan: Int

    func validate() throws {
        guard olderThan >= 0 else { throw ValidationError("--older-than must be ≥ 0") }
    }

    func run() async throws {
        try await reporting {
            let cutoff = Int(Date().timeIntervalSince1970) - olderThan * 86_400
            let pruned = try await db.withStore { store in
                let pruned = try await store.pruneTombstones(olderThan: cutoff)
                try await store.appendAudit(
                    AuditEntry(.commandLine(), "tombstones.pruned", detail: "\(pruned) tombstones older than \(olderThan) days"))
                return pruned
            }
            print("pruned \(pruned) tombstones")
        }
    }
}
