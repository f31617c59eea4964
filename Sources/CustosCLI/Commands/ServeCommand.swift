import ArgumentParser
import CustosCore
import CustosGuard
import CustosServer
import Foundation
import Logging

/// `custos serve`: the OpenAI-compatible guardrail gateway.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the guardrail gateway: an OpenAI-compatible HTTP server that screens, proxies and records.",
        discussion: """
            Point an OpenAI SDK at http://HOST:PORT/v1 with a key from `custos keys create`. Chat is proxied to --upstream
            (without one, chat answers 503 while moderation and embeddings still work). Every request is screened with
            the policy (default: block jailbreaks and secrets, pseudonymize PII, flag offensive text) and recorded in
            the audit log before the answer completes. Flags override custos.yaml (see docs/gateway.md).
            SIGTERM/SIGINT drain in-flight requests, then exit.
            """)

    @Option(help: "Configuration file (custos.yaml); flags override it.")
    var config: String?
    @Option(help: "Address to listen on (default 127.0.0.1).")
    var host: String?
    @Option(help: "Port (default 8080; 0 picks a free one, printed on stderr).")
    var port: Int?
    @Option(help: "The upstream's OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1.")
    var upstream: String?
    @Option(help: "Environment variable holding the upstream's API key.")
    var upstreamKeyEnv: String?
    @Option(help: "Upstream timeout in seconds (default 60).")
    var upstreamTimeout: Int?
    @Option(help: "Policy YAML (default: the built-in gateway policy).")
    var policy: String?
    @Option(help: "Custos home: keys, audit log, gateway database (default: $CUSTOS_HOME, else ~/.custos).")
    var home: String?
    @Option(help: "Audit store: postgres://user:pass@host:port/db for several gateways sharing one log (default: SQLite in the home).")
    var store: String?
    @Option(help: "Largest request body in bytes (default 4194304).")
    var maxBodyBytes: Int?
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (default info).")
    var logLevel: String = "info"

    func run() async throws {
        var settings = try config.map { try GatewayConfiguration.load(path: $0) } ?? GatewayConfiguration()
        if let host { settings.host = host }
        if let port { settings.port = port }
        if let upstream { settings.upstream = upstream }
        if let upstreamKeyEnv { settings.upstreamKeyEnvironment = upstreamKeyEnv }
        if let upstreamTimeout {
            guard upstreamTimeout > 0 else { throw CustosError(.usage, "--upstream-timeout must be positive") }
            settings.upstreamTimeoutSeconds = upstreamTimeout
        }
        if let policy { settings.policyPath = policy }
        if let home { settings.home = home }
        if let store { settings.store = store }
        if let maxBodyBytes { settings.maximumBodyBytes = maxBodyBytes }
        settings.scannerWorkerCommand = scannerWorkerCommand(home: CustosHome(path: settings.home))
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw CustosError(.usage, "--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
        let gateway = try await Gateway(configuration: settings, logger: Logger(label: "custos.gateway"))
        let host = settings.host
        let upstream = settings.upstream ?? "none"
        try await gateway.run { port in
            printError("custos serve: listening on http://\(host):\(port)/v1 (upstream: \(upstream))")
        }
        printError("custos serve: stopped")
    }
}

/// `custos keys`: the gateway's API keys.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Create, list and revoke the gateway's API keys (stored hashed).",
        subcommands: [Create.self, List.self, Revoke.self])

    /// `custos keys create`.
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a key; it is printed once and only its SHA-256 is stored.",
            discussion: #"With --format json prints {"key": "...", "name": ..., "role": ...}."#)
        @Option(help: "Unique name, recorded as the caller of every request made with the key.")
        var name: String
        @Option(help: "client (chat, moderations, embeddings, feedback) or admin (also /admin routes).")
        var role: String = "client"
        @Option(help: "Requests per second for this key (default: the gateway's).")
        var rate: Double?
        @Option(help: "Burst for this key (default: the gateway's).")
        var burst: Double?
        @Option(help: "Policy file applied to this key's requests (default: the gateway's).")
        var policy: String?
        @Option(help: "text or json.")
        var format: String = "text"
        @OptionGroup var home: HomeOptions

        func run() throws {
            guard let role = KeyRole(rawValue: role) else { throw CustosError(.usage, "--role must be client or admin") }
            guard format == "text" || format == "json" else { throw CustosError(.usage, "--format must be text or json") }
            if let rate, !(rate > 0) { throw CustosError(.usage, "--rate must be positive") }
            if let burst, !(burst >= 1) { throw CustosError(.usage, "--burst must be at least 1") }
            if let policy { _ = try PolicyLoader.load(path: policy) }
            let store = try APIKeyStore(home: home.custosHome)
            let (secret, key) = try store.create(name: name, role: role, ratePerSecond: rate, burst: burst, policy: policy)
            if format == "json" {
                let out = JSONValue.object(["key": .string(secret), "name": .string(key.name), "role": .string(key.role.rawValue)])
                print(String(decoding: try out.jsonBytes(), as: UTF8.self))
            } else {
                print(secret)
                printError("created \(key.role.rawValue) key '\(key.name)'; it is shown only now")
            }
        }
    }

    /// `custos keys list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (names, roles, prefixes; never the keys).")
        @OptionGroup var home: HomeOptions

        func run() throws {
            for key in try APIKeyStore(home: home.custosHome).all() {
                print("\(key.name)\t\(key.role.rawValue)\t\(key.prefix)…\t\(key.revoked ? "revoked" : "active")")
            }
        }
    }

    /// `custos keys revoke`.
    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by name (a running gateway stops accepting it within a second).")
        @Option(help: "The key's name.")
        var name: String
        @OptionGroup var home: HomeOptions

        func run() throws {
            try APIKeyStore(home: home.custosHome).revoke(name: name)
            printError("revoked '\(name)'")
        }
    }
}

/// `custos demo-upstream`: a deterministic OpenAI-compatible upstream to try the gateway without a model.
struct DemoUpstreamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-upstream",
        abstract: "Serve a deterministic OpenAI-compatible chat model that echoes the last user message (for demos and tests).")
    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"
    @Option(help: "Port (0 picks a free one, printed on stderr).")
    var port = 8081

    @Option(help: "Milliseconds to wait before every chat answer (a slow model).")
    var delayMs = 0

    func validate() throws {
        guard delayMs >= 0 && delayMs <= 600_000 else { throw ValidationError("--delay-ms must be between 0 and 600000") }
    }

    func run() async throws {
        let host = self.host
        try await EchoUpstream.run(host: host, port: port, delay: .milliseconds(delayMs)) { port in
            printError("demo upstream: listening on http://\(host):\(port)/v1")
        }
    }
}
