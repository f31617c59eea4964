import ArgumentParser
import CustosCore
import CustosPrivacy
import Foundation

/// `custos dp …`: differential privacy — accounting and exact noise samplers.
struct DPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dp",
        abstract: "Differential privacy: DP statistics charged to a budget ledger, DP-SGD training, the RDP accountant, exact samplers.",
        subcommands: [
            Count.self, Sum.self, Mean.self, Histogram.self, Quantile.self, Train.self, DPBudgetCommand.self, Accountant.self, Sample.self,
        ])

    /// How `dp` subcommands print a result.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    /// `custos dp accountant`.
    struct Accountant: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "ε of T steps of the Poisson-subsampled Gaussian (add/remove-one), by RDP exact at fractional orders.",
            discussion: """
                Orders: dp_accounting's default grid (1.1 … 10.9, 11 … 63, 128, 256, 512, 1024); conversion to (ε, δ) \
                as dp_accounting 0.6 does. JSON output: {"epsilon": e, "order": best_order}.
                """)

        @Option(name: .customLong("q"), parsing: .unconditional, help: "Poisson sampling rate, in (0, 1].")
        var samplingRate: Double

        @Option(parsing: .unconditional, help: "Noise multiplier: noise standard deviation over the L2 sensitivity (> 0).")
        var sigma: Double

        @Option(parsing: .unconditional, help: "Number of steps (compositions), at least 1.")
        var steps: Int

        @Option(parsing: .unconditional, help: "Target delta, in (0, 1).")
        var delta: Double

        @Option(help: "Output format: table (one line for people) or json.")
        var format: Format = .table

        func run() throws {
            guard samplingRate > 0, samplingRate <= 1 else {
                throw CustosError(.usage, "--q must be in (0, 1], got \(samplingRate)")
            }
            guard sigma > 0, sigma.isFinite else { throw CustosError(.usage, "--sigma must be positive and finite, got \(sigma)") }
            guard steps >= 1 else { throw CustosError(.usage, "--steps must be at least 1, got \(steps)") }
            guard delta > 0, delta < 1 else { throw CustosError(.usage, "--delta must be in (0, 1), got \(delta)") }
            var accountant = try RDPAccountant()
            try accountant.compose(SubsampledGaussianRDP(samplingRate: samplingRate, noiseMultiplier: sigma), count: steps)
            let result = try accountant.epsilon(delta: delta)
            switch format {
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(result), as: UTF8.self))
            case .table:
                print("epsilon \(result.epsilon) at order \(result.order) (delta \(delta); q \(samplingRate), sigma \(sigma), \(steps) steps; RDP, exact fractional orders)")
            }
        }
    }

    /// `custos dp sample`.
    struct Sample: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print N integers, one per line, from an exact sampler fed by the OS's secure random source.",
            discussion: "--scale is exact: a decimal (2.5, 1e-3) or a fraction (7/3). It is b for discrete-laplace, sigma for discrete-gaussian.")

        /// The samplers on offer.
        enum Mechanism: String, ExpressibleByArgument, CaseIterable {
            case discreteLaplace = "discrete-laplace"
            case discreteGaussian = "discrete-gaussian"
        }

        @Option(help: "discrete-laplace or discrete-gaussian.")
        var mechanism: Mechanism

        @Option(parsing: .unconditional, help: "b for discrete-laplace, sigma for discrete-gaussian (positive; decimal or fraction, read exactly).")
        var scale: String

        @Option(parsing: .unconditional, help: "How many draws to print (non-negative).")
        var count: Int

        func run() throws {
            guard count >= 0 else { throw CustosError(.usage, "--count must be non-negative, got \(count)") }
            let exactScale: Rational
            do {
                exactScale = try Rational(parsing: scale)
            } catch let error as CustosError {
                throw CustosError(.usage, "--scale: \(error.message)")
            }
            guard !exactScale.isZero else { throw CustosError(.usage, "--scale must be positive, got \(scale)") }
            var generator = SecureRandomSource()
            let draw: (inout SecureRandomSource) -> String
            switch mechanism {
            case .discreteLaplace:
                let sampler = try DiscreteLaplaceSampler(scale: exactScale)
                draw = { sampler.sample(using: &$0).description }
            case .discreteGaussian:
                let sampler = try DiscreteGaussianSampler(sigma: exactScale)
                draw = { sampler.sample(using: &$0).description }
            }
            var buffer = ""
            buffer.reserveCapacity(1 << 16)
            for _ in 0..<count {
                buffer += draw(&generator)
                buffer += "\n"
                if buffer.utf8.count >= 1 << 16 {
                    FileHandle.standardOutput.write(Data(buffer.utf8))
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            FileHandle.standardOutput.write(Data(buffer.utf8))
        }
    }
}
