import CustosCore
import CustosGuard
import Foundation

/// Everything `custos serve` needs to know, from `custos.yaml` and flags (flags win). Validated once at start:
/// a bad value stops the server with the file and line, never at the first request.
///
/// `custos.yaml` is a flat mapping:
/// ```yaml
/// host: 127.0.0.1
/// port: 8080
/// upstream: http://127.0.0.1:8000/v1      # any OpenAI-compatible base URL; absent: chat answers 503
/// upstream_key_env: OPENAI_API_KEY        # the upstream's key is read from this variable
/// upstream_timeout_seconds: 60
/// policy: policies/default.yaml           # absent: the built-in default policy
/// home: /var/lib/custos                   # keys, audit log, gateway database (default $CUSTOS_HOME)
/// store: postgres://user@host/db          # audit store shared by several gateways (default SQLite in home)
/// max_body_bytes: 4194304
/// rate_limit_per_second: 20               # per API key (token bucket), unless the key sets its own
/// rate_limit_burst: 40
/// checkpoint_every: 1000                  # signed checkpoint after this many audit records
/// models: [gpt-4o-mini]                   # chat models callers may ask for (absent: any)
/// ```
public struct GatewayConfiguration: Sendable, Equatable {
    /// Keys `custos.yaml` may contain.
    public static let keys: Set<String> = [
        "host", "port", "upstream", "upstream_key_env", "upstream_timeout_seconds", "policy", "home", "store",
        "max_body_bytes", "rate_limit_per_second", "rate_limit_burst", "checkpoint_every", "models",
    ]

    /// Address to listen on.
    public var host = "127.0.0.1"
    /// Port (0 picks a free one).
    public var port = 8080
    /// The upstream's base URL.
    public var upstream: String?
    /// Environment variable holding the upstream's key.
    public var upstreamKeyEnvironment: String?
    /// Upstream timeout.
    public var upstreamTimeoutSeconds = 60
    /// Policy file (absent: `GatewayConfiguration.defaultPolicy`).
    public var policyPath: String?
    /// Custos home (keys, audit log, gateway database).
    public var home: String?
    /// Audit store location (absent: SQLite in home).
    public var store: String?
    /// Largest request body.
    public var maximumBodyBytes = 4 << 20
    /// Requests per second per key.
    public var rateLimitPerSecond = 20.0
    /// Burst per key.
    public var rateLimitBurst = 40.0
    /// Records between signed checkpoints.
    public var checkpointEvery = 1000
    /// Chat models callers may ask for (empty: any).
    public var models: [String] = []
    /// The command that starts a scanner worker, for policies with `isolation: process` (`custos serve` sets it to
    /// `custos guard worker`; not read from `custos.yaml`).
    public var scannerWorkerCommand: [String]?

    /// Defaults.
    public init() {}

    /// Reads `custos.yaml`; every key is checked.
    public static func load(path: String) throws -> GatewayConfiguration {
        let text = try FileInput.readText(path, limit: 1 << 20)
        return try parse(text, file: path)
    }

    /// Parses configuration YAML.
    public static func parse(_ yaml: String, file: String? = nil) throws -> GatewayConfiguration {
        let settings = try PolicyLoader.settings(yaml, file: file, what: "the configuration")
        try settings.allowOnly(keys, in: file ?? "the configuration")
        var config = GatewayConfiguration()
        if let v = try settings.string("host") { config.host = v }
        if let v = try settings.string("port") {
            guard let port = Int(v), (0...65535).contains(port) else {
                throw CustosError(.invalidInput, "port must be an integer in 0...65535, got '\(v)'", at: settings.location("port"))
            }
            config.port = port
        }
        config.upstream = try settings.string("upstream")
        config.upstreamKeyEnvironment = try settings.string("upstream_key_env")
        if let v = try settings.positiveInt("upstream_timeout_seconds") { config.upstreamTimeoutSeconds = v }
        config.policyPath = try settings.string("policy")
        config.home = try settings.string("home")
        config.store = try settings.string("store")
        if let v = try settings.positiveInt("max_body_bytes") { config.maximumBodyBytes = v }
        if let v = try settings.number("rate_limit_per_second", in: 0.001...1e9) { config.rateLimitPerSecond = v }
        if let v = try settings.number("rate_limit_burst", in: 1...1e9) { config.rateLimitBurst = v }
        if let v = try settings.positiveInt("checkpoint_every") { config.checkpointEvery = v }
        config.models = try settings.strings("models")
        try config.validate()
        return config
    }

    /// Checks values that flags may also have set.
    public func validate() throws {
        if let upstream { _ = try UpstreamCheck.validate(upstream) }
        if let upstreamKeyEnvironment, upstreamKeyEnvironment.isEmpty {
            throw CustosError(.usage, "upstream_key_env must name an environment variable")
        }
        guard (0...65535).contains(port) else { throw CustosError(.usage, "port must be in 0...65535, got \(port)") }
        guard maximumBodyBytes >= 1024 else { throw CustosError(.usage, "max_body_bytes must be at least 1024") }
    }

    /// The policy the gateway applies when none is configured: block jailbreaks and secrets, pseudonymize PII,
    /// flag offensive text; on the answer, redact secrets, flag offensive text and block exfiltration. The
    /// jailbreak scanner uses its head's threshold (0.30); the head is trained with greetings and one-word messages,
    /// which score below 0.06 (docs/guard.md).
    public static let defaultPolicyYAML = """
        name: gateway-default
        fail_mode: closed
        input:
          - scanner: length
            action: block
            options:
              max_scalars: 262144
          - scanner: secrets
            action: block
          - scanner: pii
            action: pseudonymize
          - scanner: offensive
            action: flag
            threshold: 0.8
          - scanner: jailbreak
            action: block
        output:
          - scanner: secrets
            action: redact
          - scanner: offensive
            action: flag
            threshold: 0.8
          - scanner: exfiltration
            action: block
        """
}

/// Validation of an upstream URL without building a client.
enum UpstreamCheck {
    static func validate(_ url: String) throws -> URL {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = parsed.host, !host.isEmpty else {
            throw CustosError(.usage, "upstream '\(url)' is not an http(s) URL with a host (e.g. http://127.0.0.1:8000/v1)")
        }
        return parsed
    }
}
