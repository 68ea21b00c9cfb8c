import Foundation
import ScorecardCache
import ScorecardCore
import ScorecardServer
import ScorecardSync
import ScorecardTesting
import Testing

/// Offline edits end to end: the real `scorecard` binary (and the real sync engine) against the
/// real server, through the fault-injecting proxy where the network has to misbehave.
@Suite struct OfflineEditsTests {
    /// Offline `ack`, then a sync once the network is back: acknowledged once, at the client's time.
    @Test(arguments: TestBackend.all) func offlineAckThenSyncAcknowledgesOnceAtTheClientsTime(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server, _ in
            let world = try await server.seedEdits()
            var proxy = try FaultProxy(upstreamPort: server.port)
            proxy.start()
            let port = proxy.port
            let device = try await Device.make(url: "http://127.0.0.1:\(port)", server: server)
            defer { device.remove() }
            try await device.ok("sync")

            proxy.stop()  // offline: connections are refused
            let ack = try await device.ok("ack", String(world.review.id.prefix(8)))
            #expect(ack.stdout.contains("1 edit waiting to sync"), "\(ack.stdout)")
            let offline = try await device.run("sync")
            #expect(offline.status == 5, "offline sync exits 5: \(offline.stderr)")
            let shown = try await device.ok("reviews", "--format", "json")
            let review = try #require(try WireJSON.decode([Review].self, from: Data(shown.stdout.utf8)).first { $0.id == world.review.id })
            #expect(review.isAcknowledged, "the mirror shows the acknowledgement while it waits")
            let entry = try #require(try device.mirror().outbox().first)
            #expect(entry.state == .pending)
            guard case .ackReview(_, let clientTime)? = entry.mutation else {
                Issue.record("expected an ack_review, got \(entry.type)")
                return
            }
            #expect(try await server.store.review(id: world.review.id)?.isAcknowledged == false, "nothing reached the server")

            proxy = try FaultProxy(upstreamPort: server.port, listenPort: port)  // the network is back
            proxy.start()
            defer { proxy.stop() }
            let synced = try await device.ok("sync")
            #expect(synced.stdout.contains("Sent 1 edit: 1 applied."), "\(synced.stdout)")
            let onServer = try #require(try await server.store.review(id: world.review.id))
            #expect(onServer.isAcknowledged)
            #expect(onServer.acknowledgedAt == clientTime, "the server keeps the time the person pressed ack")
            #expect(onServer.version == world.review.version + 1, "written once")
            #expect(try device.mirror().outbox().isEmpty)

            let again = try await device.ok("sync")
            #expect(!again.stdout.contains("Sent"), "nothing left to send: \(again.stdout)")
            #expect(try await server.store.review(id: world.review.id)?.version == world.review.version + 1)
            let mirrored = try #require(try device.mirror().reviews().first { $0.id == world.review.id })
            #expect(mirrored == onServer, "the mirror holds the server's review")
        }
    }

    /// The push's response is cut after the server committed: the retry gets the stored results,
    /// so the create is not refused as a duplicate and nothing is applied twice.
    @Test(arguments: TestBackend.all) func aLostPushResponseIsRetriedAndAppliedExactlyOnce(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server, sandbox in
            let world = try await server.seedEdits()
            let token = try await server.login(EditsWorld.agent)
            let proxy = try FaultProxy(upstreamPort: server.port)
            proxy.start()
            defer { proxy.stop() }
            let mirror = try openMirror(sandbox, server: server.baseURL, person: EditsWorld.agent)
            #expect(await makeEngine(mirror: mirror, server: server.baseURL, token: token).run().outcome == .upToDate)

            let draft = GoalDraft(
                domain: .support, metricKey: "sla_compliance_rate", label: "SLA above 95%", targetValue: 95, comparison: .gte, deadline: "2099-12-31")
            try mirror.enqueue(.createGoal(draft))
            try mirror.enqueue(.updateGoal(goalID: draft.id, baseVersion: 0, base: ["target_value": 95], changes: ["target_value": 97]))
            try mirror.enqueue(.ackReview(reviewID: world.review.id, acknowledgedAt: Timestamp.now()))
            proxy.schedule([.cutResponse(afterBytes: 40)])  // the first connection: the push, answered but cut
            let report = await makeEngine(mirror: mirror, server: "http://127.0.0.1:\(proxy.port)", token: token).run()
            #expect(report.outcome == .upToDate)
            #expect(report.pushed == { var s = PushSummary(); s.applied = 3; return s }(), "all applied, none refused as a duplicate")
            #expect(proxy.connectionsAccepted >= 2, "the cut push was sent again")
            let goal = try #require(try await server.store.goal(id: draft.id))
            #expect(goal.targetValue == 97)
            #expect(goal.version == 2, "created once, edited once")
            #expect(try await server.store.review(id: world.review.id)?.version == world.review.version + 1)
            #expect(try mirror.outbox().isEmpty)
            #expect(try mirror.goals().first { $0.id == draft.id } == goal)
        }
    }

    /// Two devices edit different fields of one goal: both changes are kept everywhere.
    @Test(arguments: TestBackend.all) func twoDevicesEditingDifferentFieldsMerge(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server, _ in
            let world = try await server.seedEdits()
            let a = try await Device.make(url: server.baseURL, server: server)
            let b = try await Device.make(url: server.baseURL, server: server)
            defer { a.remove(); b.remove() }
            try await a.ok("sync")
            try await b.ok("sync")
            try await a.ok("goal", "set", world.goal.id, "target=95")
            try await b.ok("goal", "set", String(world.goal.id.prefix(6)), "label=SLA first")
            #expect(try await a.ok("sync").stdout.contains("1 applied"))
            #expect(try await b.ok("sync").stdout.contains("1 applied"))
            try await a.ok("sync")
            let onServer = try #require(try await server.store.goal(id: world.goal.id))
            #expect(onServer.targetValue == 95 && onServer.label == "SLA first", "both changes kept: \(onServer)")
            #expect(try await a.shownGoal(world.goal.id) == onServer)
            #expect(try await b.shownGoal(world.goal.id) == onServer)
        }
    }

    enum Resolution: String, CaseIterable { case mine, theirs, set }

    /// Two devices change the same field: the second gets a conflict, visible in `conflicts` and
    /// `goals`; each way of resolving it ends with both devices and the server equal.
    @Test(arguments: TestBackend.all, Resolution.allCases)
    func theSameFieldConflictsAndEachResolutionConverges(backend: TestBackend, _ resolution: Resolution) async throws {
        try await withServer(backend: backend) { server, _ in
            let world = try await server.seedEdits()
            let a = try await Device.make(url: server.baseURL, server: server)
            let b = try await Device.make(url: server.baseURL, server: server)
            defer { a.remove(); b.remove() }
            try await a.ok("sync")
            try await b.ok("sync")
            try await a.ok("goal", "set", world.goal.id, "label=From A")
            try await b.ok("goal", "set", world.goal.id, "label=From B", "target=91")
            try await a.ok("sync")
            let conflicted = try await b.ok("sync")
            #expect(conflicted.stdout.contains("1 in conflict"), "\(conflicted.stdout)")

            let conflicts = try await b.ok("conflicts")
            #expect(conflicts.stdout.contains("label") && conflicts.stdout.contains("From A") && conflicts.stdout.contains("From B"), "\(conflicts.stdout)")
            let json = try await b.ok("conflicts", "--format", "json")
            let items = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
            let fields = items.first?["fields"] as? [[String: Any]]
            #expect(items.count == 1 && items.first?["state"] as? String == "conflict")
            #expect(fields?.first?["field"] as? String == "label" && fields?.first?["mine"] as? String == "From B"
                && fields?.first?["theirs"] as? String == "From A" && fields?.first?["base"] as? String == "SLA above 90%")
            #expect(try await b.ok("goals").stdout.contains("[conflict]"))
            #expect(try await server.store.goal(id: world.goal.id)?.targetValue == 90, "a conflict applies nothing, not even target")

            switch resolution {
            case .mine: try await b.ok("goal", "resolve", world.goal.id, "--mine")
            case .theirs: try await b.ok("goal", "resolve", String(world.goal.id.prefix(5)), "--theirs")
            case .set: try await b.ok("goal", "resolve", world.goal.id, "--set", "label=Agreed")
            }
            try await b.ok("sync")
            try await a.ok("sync")
            let onServer = try #require(try await server.store.goal(id: world.goal.id))
            switch resolution {
            case .mine: #expect(onServer.label == "From B" && onServer.targetValue == 91)
            case .theirs: #expect(onServer.label == "From A" && onServer.targetValue == 90)
            case .set: #expect(onServer.label == "Agreed" && onServer.targetValue == 91)
            }
            #expect(try await a.shownGoal(world.goal.id) == onServer)
            #expect(try await b.shownGoal(world.goal.id) == onServer)
            #expect(try b.mirror().outbox().isEmpty)
            #expect(try await b.ok("conflicts").stdout == "No conflicts or rejected edits.\n")
        }
    }

    /// A manager edits the goal on the server while the agent, offline, edits another field of it
    /// and then the manager's field too.
    @Test(arguments: TestBackend.all) func aManagerEditWhileTheAgentIsOfflineMergesOrConflicts(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server, _ in
            let world = try await server.seedEdits()
            let device = try await Device.make(url: server.baseURL, server: server)
            defer { device.remove() }
            try await device.ok("sync")
            try await server.managerPatch(world.goal.id, #"{"label":"Manager's label"}"#, token: world.managerToken)
            try await device.ok("goal", "set", world.goal.id, "target=93")
            try await device.ok("sync")
            var onServer = try #require(try await server.store.goal(id: world.goal.id))
            #expect(onServer.label == "Manager's label" && onServer.targetValue == 93, "merged: \(onServer)")
            #expect(try await device.shownGoal(world.goal.id) == onServer)

            try await server.managerPatch(world.goal.id, #"{"deadline":"2099-06-30"}"#, token: world.managerToken)
            try await device.ok("goal", "set", world.goal.id, "deadline=2099-03-31")
            #expect(try await device.ok("sync").stdout.contains("1 in conflict"))
            onServer = try #require(try await server.store.goal(id: world.goal.id))
            #expect(onServer.deadline == "2099-06-30")
            #expect(try await device.shownGoal(world.goal.id) == onServer, "goals shows the server's goal, marked")
            #expect(try await device.ok("goals").stdout.contains("[conflict]"))
        }
    }

    /// A create the server rejects stays visible with its reason and does not hold back the edits
    /// queued after it; `outbox drop` dismisses it.
    @Test(arguments: TestBackend.all) func aRejectedCreateIsVisibleAndDoesNotBlock(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server, _ in
            let world = try await server.seedEdits()
            let device = try await Device.make(url: server.baseURL, server: server)
            defer { device.remove() }
            try await device.ok("sync")
            try await device.ok(
                "goal", "add", "--domain", "support", "--metric", "happiness", "--target", "3", "--comparison", "gte", "--deadline", "2099-01-01",
                "--label", "Be happy")
            try await device.ok("goal", "set", world.goal.id, "target=96")
            try await device.ok("ack", world.review.id)
            let synced = try await device.ok("sync")
            #expect(synced.stdout.contains("Sent 3 edits: 2 applied, 1 rejected"), "\(synced.stdout)")
            #expect(try await server.store.goal(id: world.goal.id)?.targetValue == 96)
            #expect(try await server.store.review(id: world.review.id)?.isAcknowledged == true)

            let conflicts = try await device.ok("conflicts")
            #expect(conflicts.stdout.contains("unknown metric 'happiness'"), "\(conflicts.stdout)")
            #expect(try await device.ok("goals").stdout.contains("[rejected]"))
            let outbox = try await device.ok("outbox", "--format", "json")
            let entries = try #require(try JSONSerialization.jsonObject(with: Data(outbox.stdout.utf8)) as? [[String: Any]])
            #expect(entries.count == 1 && entries.first?["state"] as? String == "rejected")
            #expect((entries.first?["last_error"] as? String)?.contains("unknown metric") == true)

            let id = try #require(entries.first?["id"] as? String)
            #expect(try await device.ok("sync").stdout.contains("Up to date."), "a rejection is not sent again")
            let dropped = try await device.ok("outbox", "drop", String(id.prefix(8)))
            #expect(dropped.stdout.contains("Dropped the rejected create_goal"))
            #expect(try device.mirror().outbox().isEmpty)
            #expect(!(try await device.ok("goals").stdout.contains("Be happy")))
        }
    }

    /// Bad input to the edit commands: a usage error (exit 2) or a clear failure (exit 1), and the
    /// outbox stays as it was.
    @Test(arguments: TestBackend.all) func badEditsAreRefusedAndLeaveTheOutboxAlone(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server, _ in
            let world = try await server.seedEdits()
            let device = try await Device.make(url: server.baseURL, server: server)
            defer { device.remove() }
            try await device.ok("sync")
            let cases: [([String], Int32, String)] = [
                (["goal", "set", world.goal.id, "target=lots"], 2, "is not a number"),
                (["goal", "set", world.goal.id, "color=red"], 2, "is not a goal field"),
                (["goal", "set", world.goal.id, "deadline=2001-01-01"], 2, "in the past"),
                (["goal", "set", "nope", "target=1"], 1, "no goal 'nope'"),
                (["goal", "add", "--domain", "space", "--metric", "x", "--target", "1", "--comparison", "gte", "--deadline", "2099-01-01", "--label", "x"], 2, "domain"),
                (["goal", "resolve", world.goal.id, "--mine"], 1, "no conflict"),
                (["goal", "resolve", world.goal.id, "--mine", "--theirs"], 2, "choose one"),
                (["ack", "no-such-review"], 1, "no review"),
                (["outbox", "drop", "zzz"], 1, "no outbox entry"),
            ]
            for (arguments, status, message) in cases {
                let r = try await CLIChild.run(arguments, sandbox: device.sandbox)
                #expect(r.status == status && r.stderr.contains(message), "\(arguments) → \(r.status): \(r.stderr)")
            }
            #expect(try device.mirror().outbox().isEmpty)
            #expect(try await device.ok("goal", "set", world.goal.id, "target=90").stdout.contains("Nothing to change"))
            #expect(try device.mirror().outbox().isEmpty)
        }
    }

    /// Transient faults keep the edits pending; once the proxy heals, the next sync drains the
    /// outbox with no new local write and no restart.
    @Test(arguments: TestBackend.all) func theOutboxDrainsOnceTheNetworkHeals(backend: TestBackend) async throws {
        try await withServer(backend: backend) { server, sandbox in
            let world = try await server.seedEdits()
            let token = try await server.login(EditsWorld.agent)
            let proxy = try FaultProxy(upstreamPort: server.port)
            proxy.start()
            defer { proxy.stop() }
            let url = "http://127.0.0.1:\(proxy.port)"
            let mirror = try openMirror(sandbox, server: url, person: EditsWorld.agent)
            #expect(await makeEngine(mirror: mirror, server: url, token: token).run().outcome == .upToDate)
            try mirror.enqueue(.ackReview(reviewID: world.review.id, acknowledgedAt: Timestamp.now()))
            try mirror.enqueue(.updateGoal(goalID: world.goal.id, baseVersion: world.goal.version, base: ["target_value": 90], changes: ["target_value": 92]))

            proxy.mode = .refuse
            let broken = await makeEngine(mirror: mirror, server: url, token: token, maxAttempts: 3).run()
            guard case .failed = broken.outcome else {
                Issue.record("expected the run to give up: \(broken.outcome)")
                return
            }
            #expect(try mirror.outbox().map(\.state) == [.pending, .pending])
            #expect(try mirror.outbox().allSatisfy { $0.attempts == 3 && $0.lastError != nil })

            proxy.mode = .pass
            let healed = await makeEngine(mirror: mirror, server: url, token: token).run()
            #expect(healed.outcome == .upToDate)
            #expect(healed.pushed.applied == 2)
            #expect(try mirror.outbox().isEmpty)
            #expect(try await server.store.goal(id: world.goal.id)?.targetValue == 92)
            #expect(try await server.store.review(id: world.review.id)?.isAcknowledged == true)
        }
    }
}
