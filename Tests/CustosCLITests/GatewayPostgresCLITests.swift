import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

@Suite("two custos serve processes share one PostgreSQL audit log")
struct GatewayPostgresCLITests {
    @Test("records from both gateways form one log that custos audit verify accepts")
    func twoGatewaysOneLog() async throws {
        let database = try CLIPostgresDatabase()
        defer { database.drop() }
        let home = try GatewayCLITests.home()
        defer { try? FileManager.default.removeItem(at: home) }
        let policy = home.appendingPathComponent("policy.yaml")
        try "name: shared\ninput:\n  - scanner: secrets\n    action: block\n".write(to: policy, atomically: true, encoding: .utf8)
        let initialized = try CLIProcess.run(["audit", "init", "--home", home.path, "--store", database.url])
        #expect(initialized.status == 0, "\(initialized.stderr)")
        let created = try CLIProcess.run(["keys", "create", "--name", "app", "--home", home.path, "--format", "json"])
        let key = try #require((try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [String: Any])?["key"] as? String)

        let upstream = try ServerProcess(["demo-upstream", "--port", "0"])
        defer { _ = upstream.stop() }
        let common = ["serve", "--port", "0", "--home", home.path, "--store", database.url, "--policy", policy.path,
                      "--upstream", "http://127.0.0.1:\(upstream.port)/v1", "--log-level", "warning"]
        let first = try ServerProcess(common)
        let second = try ServerProcess(common)
        let perGateway = 40
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for k in 0..<(2 * perGateway) {
                let port = k % 2 == 0 ? first.port : second.port
                group.addTask {
                    var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/chat/completions")!)
                    request.httpMethod = "POST"
                    request.setValue("Bearer \(key)", forHTTPHeaderField: "authorization")
                    request.httpBody = Data(#"{"model":"echo-1","messages":[{"role":"user","content":"request \#(k)"}]}"#.utf8)
                    let (_, response) = try await URLSession.shared.data(for: request)
                    return (response as? HTTPURLResponse)?.statusCode ?? 0
                }
            }
            var all: [Int] = []
            for try await status in group { all.append(status) }
            return all
        }
        #expect(statuses.count == 2 * perGateway)
        #expect(statuses.allSatisfy { $0 == 200 }, "\(statuses)")
        #expect(first.stop() == 0)
        #expect(second.stop() == 0)
        let verify = try CLIProcess.run(["audit", "verify", "--home", home.path, "--store", database.url, "--format", "json"])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(verify.stdout.utf8)) as? [String: Any]
        #expect(report?["size"] as? Int == 2 * perGateway)
    }
}
