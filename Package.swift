// swift-tools-version:6.1
// imagehook: a durable bridge between internal services and EvoLink's asynchronous
// image API. Layers (see README "Architecture"); a target imports only targets below it:
//
//   imagehookd, evolink-sim         thin executables (main.swift only)
//   imagehook-bench                 benchmark entry points (.ci/bench-*), not installed
//   Daemon, EvoLinkSim              config, logging, signals, sd_notify, CLI / simulator
//   ImageHook                       the service: submit, callbacks, downloads, reconcile, relay
//   EvoLink  Store  ImageStore      wire format + provider client / SQLite / verified files
//   HTTPServer  HTTPClient          POSIX sockets + Dispatch / sockets + OpenSSL
//   HTTP1                           pure HTTP/1.1 codec, no I/O
//   COpenSSL  CZlib  CSQLite        system libraries
import PackageDescription

let package = Package(
    name: "imagehook",
    platforms: [.macOS(.v14)],
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

        .target(name: "HTTP1"),
        .target(name: "HTTPServer", dependencies: [
            "HTTP1", .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "HTTPClient", dependencies: [
            "HTTP1", "COpenSSL", "CZlib", .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "EvoLink", dependencies: [
            "HTTP1", "HTTPClient", .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Store", dependencies: [
            "CSQLite", .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "ImageStore", dependencies: ["COpenSSL", "CZlib"]),
        .target(name: "ImageHook", dependencies: [
            "HTTP1", "HTTPServer", "HTTPClient", "EvoLink", "Store", "ImageStore", "COpenSSL",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "EvoLinkSim", dependencies: [
            "HTTP1", "HTTPServer", "HTTPClient", "EvoLink", "ImageStore",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Daemon", dependencies: [
            "HTTP1", "HTTPServer", "HTTPClient", "EvoLink", "Store", "ImageStore", "ImageHook", "EvoLinkSim",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "imagehookd", dependencies: ["Daemon"]),
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

        .testTarget(name: "HTTP1Tests", dependencies: ["HTTP1"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "HTTP1"]),
        .testTarget(name: "HTTPClientTests", dependencies: ["HTTPClient", "HTTP1", "HTTPServer"]),
        .testTarget(name: "EvoLinkTests", dependencies: [
            "EvoLink", "EvoLinkSim", "HTTPClient", "HTTPServer", "ImageStore",
        ]),
        .testTarget(name: "StoreTests", dependencies: ["Store"]),
        .testTarget(name: "ImageStoreTests", dependencies: ["ImageStore"]),
        .testTarget(name: "ImageHookTests", dependencies: [
            "ImageHook", "EvoLink", "EvoLinkSim", "Store", "ImageStore", "HTTPClient", "HTTPServer",
        ]),
        .testTarget(name: "DaemonTests", dependencies: ["Daemon", "ImageHook", "HTTPClient"]),
        // Whole-system tests: the built imagehookd and evolink-sim binaries as separate
        // processes (crash recovery with kill -9, the TLS front through nginx).
        .testTarget(name: "SystemTests", dependencies: [
            "HTTP1", "HTTPClient", "EvoLink", "ImageStore", "Store",
        ]),
    ]
)
