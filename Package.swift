// swift-tools-version:6.0
import PackageDescription

/// Flags every Custos target is compiled with: Swift 6 language mode (strict concurrency) is the
/// default for tools-version 6; warnings are errors so the tree stays warning-free.
let strict: [SwiftSetting] = [
    .unsafeFlags(["-warnings-as-errors"]),
]

/// CustosML's elementwise kernels (GELU, softmax, LayerNorm) only vectorize with AVX2/FMA: baseline x86-64 (SSE2)
/// leaves them scalar. Haswell is the oldest x86-64 CPU with both; never `native`, so CI machines of the same
/// type build the same code. Measured with `custos-bench encoder` (see docs/encoder.md). Other architectures
/// (arm64 has NEON by default) build without it.
#if arch(x86_64)
let numericKernels: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
#else
let numericKernels: [SwiftSetting] = []
#endif

/// glibc's vector math library, whose AVX2 exp CVectorMath calls on x86-64 Linux (elsewhere it uses libm's exp).
#if arch(x86_64)
let vectorMathLibraries: [LinkerSetting] = [.linkedLibrary("mvec", .when(platforms: [.linux])), .linkedLibrary("m")]
#else
let vectorMathLibraries: [LinkerSetting] = [.linkedLibrary("m")]
#endif

let package = Package(
    name: "custos",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "custos", targets: ["CustosCLI"]),
        .executable(name: "custos-bench", targets: ["CustosBench"]),
        .library(name: "CustosCore", targets: ["CustosCore"]),
        .library(name: "CustosReport", targets: ["CustosReport"]),
        .library(name: "CustosML", targets: ["CustosML"]),
        .library(name: "CustosFairness", targets: ["CustosFairness"]),
        .library(name: "CustosAudit", targets: ["CustosAudit"]),
        .library(name: "CustosPrivacy", targets: ["CustosPrivacy"]),
        .library(name: "CustosGuard", targets: ["CustosGuard"]),
        .library(name: "CustosExplain", targets: ["CustosExplain"]),
        .library(name: "CustosOpenAI", targets: ["CustosOpenAI"]),
        .library(name: "CustosServer", targets: ["CustosServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // Exact integer arithmetic for the DP samplers (6.0.1 is the version available here).
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.1"),
        // YAML policies for CustosGuard (6.2.2 is the version available here).
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // The gateway (CustosServer) and the OpenAI wire client (CustosOpenAI).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // Only to tell whether a tracer was bootstrapped (AsyncHTTPClient traces through it; see UpstreamClient).
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // PostgreSQL audit store for several gateway instances writing one log.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
    ],
    targets: [
        .target(
            name: "CustosCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict),
        .target(name: "CustosReport", dependencies: ["CustosCore"], swiftSettings: strict),
        .systemLibrary(
            name: "COpenBLAS", path: "Sources/COpenBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        // Vectorized sigmoid: glibc's libmvec exp (AVX2, chosen at run time) behind a C shim, as Swift cannot call
        // the vector math ABI.
        .target(name: "CVectorMath", linkerSettings: vectorMathLibraries),
        // Re-runs a DYNAMIC_ARCH OpenBLAS' kernel selection on CPUs newer than its build (which get SSE3 kernels).
        .target(name: "COpenBLASCore"),
        // bfloat16 matrix products on Intel AMX tiles (run-time dispatch), for the encoder's bfloat16 precision.
        .target(name: "CBFloat16"),
        .target(
            name: "CustosML",
            dependencies: ["CustosCore", "CustosReport", "COpenBLAS", "COpenBLASCore", "CBFloat16", "CVectorMath"],
            swiftSettings: strict + numericKernels),
        .target(
            name: "CustosFairness",
            dependencies: ["CustosCore", "CustosReport", "CustosML"],
            swiftSettings: strict),
        // How Custos opens its SQLite files (WAL, durable commits, busy timeout, migrations, error mapping).
        .target(
            name: "CustosSQLite",
            dependencies: ["CustosCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        .target(
            name: "CustosAudit",
            dependencies: [
                "CustosCore", "CustosSQLite", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strict),
        .target(
            name: "CustosPrivacy",
            dependencies: [
                "CustosCore", "CustosML", "CustosSQLite", .product(name: "BigInt", package: "BigInt"),
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict),
        // ICU's confusable skeletons (UTS #39) and NFKC for the guard's text normalizer, from Debian's libicu-dev
        // behind a C shim (ICU's headers clash with Foundation's private ICU copy when imported into Swift).
        .target(
            name: "CICUShim",
            linkerSettings: [.linkedLibrary("icui18n"), .linkedLibrary("icuuc"), .linkedLibrary("icudata")]),
        .target(
            name: "CustosGuard",
            dependencies: [
                "CustosCore", "CustosReport", "CustosML", "CustosPrivacy", "CustosExplain", "CICUShim",
                .product(name: "Yams", package: "Yams"),
            ],
            resources: [
                .copy("Resources/profanity_model.json"), .copy("Resources/jailbreak_head.json"),
                .copy("Resources/jailbreak_training_texts.sha256"),
            ],
            swiftSettings: strict),
        // Shapley values (exact, KernelSHAP, permutation), LIME, word-level text explanations, faithfulness curves.
        .target(
            name: "CustosExplain", dependencies: ["CustosCore", "CustosReport", "CustosML"],
            swiftSettings: strict),
        // Evaluations that drive a model from outside: identity-term audits of text scorers, counterfactual probes of
        // a chat endpoint and the red-team harness, through one resumable runner.
        .target(
            name: "CustosEval",
            dependencies: [
                "CustosCore", "CustosReport", "CustosFairness", "CustosGuard", "CustosOpenAI", "CustosSQLite",
                .product(name: "Yams", package: "Yams"), .product(name: "GRDB", package: "GRDB.swift"),
            ],
            resources: [.copy("Resources/identity_templates.yaml"), .copy("Resources/detector_eval.jsonl")],
            swiftSettings: strict),
        // The OpenAI HTTP wire format (chat, moderation, embedding, error types; SSE) and an upstream client.
        .target(
            name: "CustosOpenAI",
            dependencies: [
                "CustosCore", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strict),
        // `custos serve`: the OpenAI-compatible guardrail gateway (Hummingbird 2).
        .target(
            name: "CustosServer",
            dependencies: [
                "CustosCore", "CustosML", "CustosPrivacy", "CustosGuard", "CustosAudit", "CustosSQLite", "CustosOpenAI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "CustosCLI",
            dependencies: [
                "CustosCore", "CustosReport", "CustosML", "CustosFairness", "CustosAudit", "CustosPrivacy",
                "CustosGuard", "CustosExplain", "CustosOpenAI", "CustosServer", "CustosEval",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "CustosBench",
            dependencies: [
                "CustosCore", "CustosML", "CustosFairness", "CustosAudit", "CustosPrivacy", "CustosGuard",
                "CustosExplain", "CustosOpenAI", "CustosServer", "CustosEval",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        // libFuzzer entry point for the CSV reader; see README "Fuzzing".
        .executableTarget(name: "FuzzCSV", dependencies: ["CustosCore"], swiftSettings: strict),
        // libFuzzer entry points for the gateway's chat-request decoder and the upstream SSE parser.
        .executableTarget(name: "FuzzChatRequest", dependencies: ["CustosOpenAI"], swiftSettings: strict),
        .executableTarget(name: "FuzzSSE", dependencies: ["CustosOpenAI"], swiftSettings: strict),
        // libFuzzer entry point for the guard's normalizer and every scanner that needs no model asset.
        .executableTarget(name: "FuzzGuardScanners", dependencies: ["CustosCore", "CustosGuard"], swiftSettings: strict),
        .testTarget(
            name: "CustosCoreTests",
            dependencies: ["CustosCore"],
            swiftSettings: strict),
        // Drives the built `custos` executable as a user would (exit codes, stderr, files written).
        .testTarget(name: "CustosCLITests", dependencies: ["CustosCore", "CustosGuard"], swiftSettings: strict),
        .testTarget(
            name: "CustosMLTests",
            dependencies: ["CustosCore", "CustosML", "CBFloat16"],
            swiftSettings: strict),
        .testTarget(
            name: "CustosAuditTests",
            dependencies: [
                "CustosCore", "CustosAudit", "CustosSQLite", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "CustosPrivacyTests",
            dependencies: ["CustosCore", "CustosML", "CustosPrivacy", .product(name: "BigInt", package: "BigInt")],
            swiftSettings: strict),
        .testTarget(
            name: "CustosGuardTests",
            dependencies: ["CustosCore", "CustosML", "CustosGuard", "CustosPrivacy"],
            swiftSettings: strict),
        .testTarget(
            name: "CustosExplainTests",
            dependencies: ["CustosCore", "CustosML", "CustosGuard", "CustosExplain"],
            swiftSettings: strict),
        .testTarget(
            name: "CustosServerTests",
            dependencies: [
                "CustosCore", "CustosML", "CustosGuard", "CustosAudit", "CustosOpenAI", "CustosServer",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict),
        .testTarget(name: "CustosReportTests", dependencies: ["CustosReport"], swiftSettings: strict),
        .testTarget(name: "CustosEvalTests", dependencies: ["CustosCore", "CustosFairness", "CustosGuard", "CustosEval"], swiftSettings: strict),
        .testTarget(
            name: "CustosFairnessTests",
            dependencies: ["CustosCore", "CustosML", "CustosFairness", "CustosReport"],
            swiftSettings: strict),
    ]
)
