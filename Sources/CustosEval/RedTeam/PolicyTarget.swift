import CustosCore
import CustosGuard
import Foundation

/// The guard alone, in process: a policy's input pipeline in front of a stand-in model that complies with everything
/// (it answers by repeating the last user message), and the policy's output pipeline after it. Measures what the
/// policy stops by itself, with no network and no model.
public struct PolicyTarget: ChatTarget {
    /// The pipeline.
    public let pipeline: Pipeline

    /// A target for `pipeline`.
    public init(pipeline: Pipeline) {
        self.pipeline = pipeline
    }

    public var label: String { "policy '\(pipeline.policy.name)' in process, in front of a model that complies with everything" }

    public func complete(_ messages: [ChatTurn], temperature: Double, maxTokens: Int?) async throws(TargetFailure) -> ChatAnswer {
        do {
            for message in messages where message.role == "user" {
                if try pipeline.scan(message.content, side: .input).action == .block { return ChatAnswer(text: "", blocked: true) }
            }
            let answer = "echo: " + (messages.last { $0.role == "user" }?.content ?? "")
            if try pipeline.scan(answer, side: .output).action == .block { return ChatAnswer(text: "", blocked: true) }
            return ChatAnswer(text: answer)
        } catch {
            throw TargetFailure("the policy failed: \(error)", retryable: false)
        }
    }
}
