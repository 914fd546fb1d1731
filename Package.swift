// swift-tools-version:6.1
// imagehook: a durable bridge between internal services and EvoLink's asynchronous
// image API. Layers (see README "Architecture"); a target imports only targets below it:
//
//   imagehookd, evolink-sim         thin executables (main.swift only)
//   http1-decide                    test tool: request parser decisions as JSON
//   imagehook-bench                 benchmark entry points (.ci/bench-*), not installed
//   Daemon, EvoLinkSim              config, logging, signals, sd_notify, CLI / simulator
//   ImageHook                       the service: submit, callbacks, downloads, reconcile, relay
//   EvoLink  Store  ImageStore      wire format + provider client / SQLite / verified files
//   HTTPServer  HTTPClient          POSIX sockets + Dispatch / sockets + OpenSSL
//   HTTP1                           pure HTTP/1.1 codec, no I/O (needs nothing else, so it
//                                   can be fuzzed alone)
//   Support                         the one home of shared utilities: Locked, SplitMix64,
//                                   SHA-256, hex, constant-time compare, Base64
//   COpenSSL  CZlib  CSQLite        system libraries
import PackageDescription

let package = Package(
    name: "imagehook",
    platforms: [.macOS(.v15)],  // Synchronization.Mutex
    products: [
        .executable(name: "imagehookd", targets: ["imagehookd"]),
        .executable(name: "evolink-sim", targets: ["evolink-sim"]),
        .executable(name: "imagehook-bench", targets: ["imagehook-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),

        .target(name: "Support", dependencies: ["COpenSSL"]),
        .target(name: "HTTP1"),
        .target(name: "HTTPServer", dependencies: [
            "Support", "HTTP1", .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "HTTPClient", dependencies: [
            "Support", "HTTP1", "COpenSSL", "CZlib", .product(name: "Logging", package: "swift-log"),
        ]),
        // PROVIDER.md: the provider facts the code relies on; comments cite its sections.
        .target(name: "EvoLink", dependencies: [
            "Support", "HTTP1", "HTTPClient", .product(name: "Logging", package: "swift-log"),
        ], exclude: ["PROVIDER.md"]),
        .target(name: "Store", dependencies: [
            "Support", "CSQLite", .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "ImageStore", dependencies: ["Support", "COpenSSL", "CZlib"]),
        .target(name: "ImageHook", dependencies: [
            "Support", "HTTP1", "HTTPServer", "HTTPClient", "EvoLink", "Store", "ImageStore", "COpenSSL",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "EvoLinkSim", dependencies: [
            "Support", "HTTP1", "HTTPServer", "HTTPClient", "EvoLink", "ImageStore",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Daemon", dependencies: [
            "Support", "HTTP1", "HTTPServer", "HTTPClient", "EvoLink", "Store", "ImageStore", "ImageHook", "EvoLinkSim",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "imagehookd", dependencies: ["Daemon"]),
        // Benchmarks of a long history (ledger answer time, callbacks during pruning).
        .executableTarget(name: "history-bench", dependencies: [
            "Support", "HTTP1", "HTTPServer", "HTTPClient", "EvoLink", "Store", "ImageHook",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Prints the request parser's decisions as JSON for the differential check against
        // a reference parser (.ci/differential); no part of the daemon.
        .executableTarget(name: "http1-decide", dependencies: ["HTTP1"]),
        .executableTarget(name: "evolink-sim", dependencies: [
            "EvoLinkSim", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Benchmarks with their own entry point; the .ci/bench-* scripts run them in
        // release mode. Built with everything else so CI keeps them compiling.
        .executableTarget(name: "imagehook-bench", dependencies: [
            "HTTP1", "HTTPServer", "HTTPClient", "EvoLink", "Store", "ImageStore", "ImageHook",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Helpers every test target shares (child processes, ...); a library, not tests.
        .target(name: "CSpawn", path: "Tests/CSpawn"),
        .target(name: "TestSupport", dependencies: ["Support", "CSpawn"], path: "Tests/TestSupport"),
        .testTarget(name: "SupportTests", dependencies: ["Support", "TestSupport"]),
        .testTarget(name: "HTTP1Tests", dependencies: ["TestSupport", "HTTP1", "Support"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["TestSupport", "Support", "HTTPServer", "HTTP1"]),
        .testTarget(name: "HTTPClientTests", dependencies: ["TestSupport", "Support", "HTTPClient", "HTTP1", "HTTPServer"]),
        .testTarget(name: "EvoLinkTests", dependencies: [
            "TestSupport", "Support", "EvoLink", "EvoLinkSim", "HTTPClient", "HTTPServer", "ImageStore",
        ]),
        .testTarget(name: "StoreTests", dependencies: ["TestSupport", "Support", "Store"]),
        .testTarget(name: "ImageStoreTests", dependencies: ["TestSupport", "Support", "ImageStore"]),
        .testTarget(name: "ImageHookTests", dependencies: [
            "TestSupport", "Support", "ImageHook", "EvoLink", "EvoLinkSim", "Store", "ImageStore", "HTTPClient", "HTTPServer",
        ]),
        .testTarget(name: "DaemonTests", dependencies: ["TestSupport", "Support", "Daemon", "ImageHook", "HTTPClient", "Store"]),
        // Whole-system tests: the built imagehookd and evolink-sim binaries as separate
        // processes (crash recovery with kill -9, the TLS front through nginx).
        .testTarget(name: "SystemTests", dependencies: [
            "TestSupport", "Support", "HTTP1", "HTTPClient", "EvoLink", "ImageStore", "Store",
        ]),
    ]
)
