import ArgumentParser
import CustosCore
import CustosEval
import Foundation

/// How an evaluation calls a chat endpoint (`bias probe`, `redteam run`): model, sampling, concurrency, retries, key.
struct EndpointRunOptions: ParsableArguments {
    @Option(help: "Model name sent to the endpoint.")
    var model = "default"

    @Option(help: "Sampling temperature, fixed for every call (default: 0.7 for bias probes, 0 for the red team).")
    var temperature: Double?

    @Option(help: "max_tokens per answer.")
    var maxTokens: Int?

    @Option(help: "Calls in flight at once.")
    var concurrency = 4

    @Option(help: "Calls per item before it is stored as failed (retries with exponential backoff).")
    var attempts = 4

    @Option(help: "Environment variable holding the endpoint's API key (sent as a bearer token).")
    var apiKeyEnv: String?

    func validate() throws {
        guard concurrency >= 1 && concurrency <= 256 else { throw ValidationError("--concurrency must be between 1 and 256") }
        guard attempts >= 1 && attempts <= 20 else { throw ValidationError("--attempts must be between 1 and 20") }
        if let temperature, !(temperature.isFinite && temperature >= 0 && temperature <= 2) {
            throw ValidationError("--temperature must be between 0 and 2")
        }
        if let maxTokens, maxTokens < 1 { throw ValidationError("--max-tokens must be positive") }
    }

    /// The API key from `--api-key-env`, or nil.
    func apiKey() throws -> String? {
        guard let apiKeyEnv else { return nil }
        guard let value = ProcessInfo.processInfo.environment[apiKeyEnv], !value.isEmpty else {
            throw CustosError(.usage, "--api-key-env \(apiKeyEnv): the variable is not set")
        }
        return value
    }

    /// A runner with these settings; `defaultTemperature` when `--temperature` is not given.
    func runner(defaultTemperature: Double) -> EvalRunner {
        EvalRunner(concurrency: concurrency, retry: RetryPolicy(attempts: attempts), temperature: temperature ?? defaultTemperature,
                   maxTokens: maxTokens)
    }

    /// The run-store fingerprint entries for these settings.
    func fingerprint(defaultTemperature: Double) -> [String: String] {
        ["model": model, "temperature": String(temperature ?? defaultTemperature), "max_tokens": maxTokens.map(String.init) ?? "none"]
    }
}
