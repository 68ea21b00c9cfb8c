// swift-tools-version: 6.1
import PackageDescription

/// Debug builds link FoundationNetworking as a shared library, which brings libcurl itself; exporting
/// CLazyCurl's trampolines makes it call them anyway, so the tests exercise what release binaries use.
let exportTrampolines: [LinkerSetting] = [
    .unsafeFlags(["-Xlinker", "--export-dynamic"], .when(platforms: [.linux], configuration: .debug)),
]

/// The directory holding this manifest: linker flags need absolute paths.
let packageDirectory = String(#filePath.dropLast("/Package.swift".count))

/// With the `StaticLibstdcxx` trait (for `--static-swift-stdlib` release builds only; a dynamic
/// build fails to link with it): libstdc++ from its archive too (Linker/static-archives/README.md).
let staticLibstdcxx: [LinkerSetting] = [
    .unsafeFlags(["-L", packageDirectory + "/Linker/static-libstdcxx"], .when(platforms: [.linux], configuration: .release, traits: ["StaticLibstdcxx"])),
]

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    // FoundationNetworking would have every binary that contains it (and every module that sees it,
    // even indirectly) link libcurl, loaded at each start. CLazyCurl loads it on the first network
    // call instead (see Sources/CLazyCurl/lazycurl.c), so reading commands never pay for it.
    .unsafeFlags(["-Xfrontend", "-disable-autolink-library", "-Xfrontend", "curl"], .when(platforms: [.linux])),
]

let package = Package(
    name: "scorecard",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "scorecard", targets: ["scorecard"]),
        .executable(name: "scorecard-server", targets: ["scorecard-server"]),
        .executable(name: "scorecard-bench", targets: ["scorecard-bench"]),
        .executable(name: "scorecard-floor", targets: ["scorecard-floor"]),
        .library(name: "ScorecardCore", targets: ["ScorecardCore"]),
        .library(name: "ScorecardServer", targets: ["ScorecardServer"]),
        .library(name: "ScorecardStoreSQLite", targets: ["ScorecardStoreSQLite"]),
        .library(name: "ScorecardStorePostgres", targets: ["ScorecardStorePostgres"]),
    ],
    traits: [
        .trait(name: "StaticLibstdcxx", description: "Release builds with --static-swift-stdlib: link libstdc++ from its static archive (about 0.8 ms less at every start)."),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
    ],
    targets: [
        // Domain and wire types shared by client and server. Imports nothing of ours.
        .target(name: "ScorecardCore", swiftSettings: swiftSettings),
        // libcurl loaded on first use: trampolines for the libcurl functions FoundationNetworking calls.
        .target(name: "CLazyCurl"),
        // Raw SQLite binds for the hot paths (bulk ingest, page apply).
        .target(
            name: "ScorecardSQLite",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // The server's domain and services: the storage protocol, scoring, reviews, goals, reports,
        // jobs, settings, auth primitives, demo data. Knows no backend and no HTTP.
        .target(
            name: "ScorecardServerCore",
            dependencies: [
                "ScorecardCore", "CLazyCurl",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The embedded default backend: one SQLite file (GRDB, WAL).
        .target(
            name: "ScorecardStoreSQLite",
            dependencies: [
                "ScorecardServerCore", "ScorecardSQLite",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // The PostgreSQL backend: several server processes on one database (postgres-nio's pool).
        .target(
            name: "ScorecardStorePostgres",
            dependencies: [
                "ScorecardCore", "ScorecardServerCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // libzstd (libzstd-dev): the zstd response coding.
        .systemLibrary(name: "CZstd", path: "Sources/CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        // The server's HTTP layer: the application, middleware and routes over the services.
        .target(
            name: "ScorecardServer",
            dependencies: [
                "ScorecardCore", "ScorecardServerCore", "CZstd",
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // The client's local SQLite mirror.
        .target(
            name: "ScorecardCache",
            dependencies: ["ScorecardCore", "ScorecardSQLite", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        // The sync engine: transport, state machine, pull loop.
        .target(
            name: "ScorecardSync",
            dependencies: ["ScorecardCore", "ScorecardCache", "CLazyCurl"],
            swiftSettings: swiftSettings
        ),
        // GNU readline (libreadline-dev), with inline C setters for the globals Swift 6 cannot touch.
        .systemLibrary(name: "CReadline", path: "Sources/CReadline"),
        // The interactive shell and the one-shot commands: one parser, one implementation per command.
        .target(
            name: "ScorecardShell",
            dependencies: [
                "ScorecardCore", "ScorecardCache", "ScorecardSync", "CReadline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // What tests and benchmarks share: a live server on a free port, seeding, the fault proxy.
        .target(
            name: "ScorecardTesting",
            dependencies: [
                "ScorecardCore", "ScorecardServer", "ScorecardStoreSQLite", "ScorecardStorePostgres", "CLazyCurl",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                // The WebDriver client (chromedriver's headers are more than URLSession on Linux parses).
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "scorecard-server",
            dependencies: [
                "ScorecardServer", "ScorecardStoreSQLite", "ScorecardStorePostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "scorecard",
            dependencies: [
                "ScorecardCore", "ScorecardCache", "ScorecardSync", "ScorecardShell", "ScorecardServer", "ScorecardStoreSQLite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings,
            // Start-up, measured on `scorecard -c "\\pager on"` (docs/performance.md): a
            // position-dependent executable leaves the loader no relative relocations to apply to
            // the image at each start (~0.7 ms), and not exporting every symbol keeps the dynamic
            // symbol table small for the Swift runtime's `dladdr` at start (~0.7 ms).
            linkerSettings: [
                .unsafeFlags(["-Xlinker", "-no-pie", "-Xlinker", "--no-export-dynamic"], .when(platforms: [.linux], configuration: .release)),
                // libstdc++, SQLite and readline from their static archives (Linker/static-archives/README.md):
                // loading and binding the shared ones cost about 1 ms at every start.
                .unsafeFlags(["-L", packageDirectory + "/Linker/static-archives"], .when(platforms: [.linux], configuration: .release)),
            ] + staticLibstdcxx + exportTrampolines
        ),
        // The floor under the stats-month benchmark: a process that starts, or parses `stats month`
        // with ArgumentParser alone, and exits (Sources/scorecard-floor/main.swift).
        .executableTarget(
            name: "scorecard-floor",
            dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings,
            linkerSettings: [
                .unsafeFlags(["-Xlinker", "-no-pie", "-Xlinker", "--no-export-dynamic"], .when(platforms: [.linux], configuration: .release)),
                .unsafeFlags(["-L", packageDirectory + "/Linker/static-archives"], .when(platforms: [.linux], configuration: .release)),
            ] + staticLibstdcxx
        ),
        .executableTarget(
            name: "scorecard-bench",
            dependencies: [
                "ScorecardCore", "ScorecardServer", "ScorecardStoreSQLite", "ScorecardStorePostgres", "ScorecardCache", "ScorecardSync", "ScorecardTesting",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "ScorecardCoreTests", dependencies: ["ScorecardCore"], swiftSettings: swiftSettings, linkerSettings: exportTrampolines),
        .testTarget(
            name: "ScorecardServerTests",
            dependencies: ["ScorecardServer", "ScorecardStoreSQLite", "ScorecardTesting", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings, linkerSettings: exportTrampolines
        ),
        // The web pages over HTTP: scope, figures against the API, sessions, CSRF, forms; the chart builders.
        .testTarget(
            name: "ScorecardWebTests",
            dependencies: ["ScorecardServer", "ScorecardStoreSQLite", "ScorecardTesting", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings, linkerSettings: exportTrampolines
        ),
        .testTarget(
            name: "ScorecardClientTests",
            dependencies: ["ScorecardCache", "ScorecardSync", "ScorecardTesting", "CLazyCurl"],
            swiftSettings: swiftSettings, linkerSettings: exportTrampolines
        ),
        .testTarget(
            name: "ScorecardShellTests",
            dependencies: ["ScorecardShell", "ScorecardCache", "ScorecardSync", "ScorecardTesting"],
            exclude: ["Golden"],
            swiftSettings: swiftSettings, linkerSettings: exportTrampolines
        ),
    ],
    swiftLanguageModes: [.v6]
)
