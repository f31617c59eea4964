import CustosCore
import CustosGuard
import Foundation
import Synchronization

/// The gateway's pipelines: the default policy's, and one per distinct policy file named by a key. Built at
/// start (a broken policy file stops the server); a key created later with a new policy file gets it built on
/// its first request.
final class PolicySet: Sendable {
    let defaultPipeline: Pipeline
    private let environment: ScannerEnvironment
    private let byPath = Mutex<[String: Pipeline]>([:])

    init(default policy: Policy, keys: [APIKey], environment: ScannerEnvironment) throws {
        self.environment = environment
        defaultPipeline = try Pipeline(policy: policy, environment: environment)
        for path in Set(keys.compactMap(\.policy)) {
            let pipeline = try Pipeline(policy: try PolicyLoader.load(path: path), environment: environment)
            byPath.withLock { $0[path] = pipeline }
        }
    }

    /// The pipeline for a caller.
    func pipeline(for key: APIKey) throws -> Pipeline {
        guard let path = key.policy else { return defaultPipeline }
        if let pipeline = byPath.withLock({ $0[path] }) { return pipeline }
        let pipeline = try Pipeline(policy: try PolicyLoader.load(path: path), environment: environment)
        byPath.withLock { $0[path] = pipeline }
        return pipeline
    }
}
