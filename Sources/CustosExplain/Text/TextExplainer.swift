import CustosCore

/// How a text is explained.
public enum TextExplanationMethod: String, Sendable, Codable, CaseIterable {
    /// Exact Shapley values when the text has at most `TextExplainer.exactWordLimit` words, KernelSHAP otherwise.
    case auto
    /// Exact Shapley values over the words (at most `ExactShapley.maximumPlayers`).
    case exact
    /// KernelSHAP over the words.
    case kernel
    /// Antithetic permutation sampling over the words.
    case permutation
    /// LIME's text explainer: a ridge surrogate on word-presence indicators.
    case lime
}

/// Word-level explanations of any `TextScorer` (for example a guard scanner's score).
public struct TextExplainer: Sendable {
    /// The estimator.
    public var method: TextExplanationMethod
    /// Sample budget of the sampling estimators (coalitions for KernelSHAP and permutation, perturbed texts for LIME).
    public var samples: Int
    /// Seed of the sampling estimators.
    public var seed: UInt64

    /// `auto` enumerates up to 2¹² = 4,096 masked texts (one scorer call each); longer texts use KernelSHAP.
    public static let exactWordLimit = 12
    /// LIME's text kernel width (`LimeTextExplainer(kernel_width=25)`), over cosine distances scaled to 0–100.
    static let limeKernelWidth = 25.0

    /// An explainer.
    public init(method: TextExplanationMethod = .auto, samples: Int = 2048, seed: UInt64 = 0) throws {
        guard samples >= 2 else { throw CustosError(.usage, "--samples must be at least 2 (got \(samples))") }
        self.method = method
        self.samples = samples
        self.seed = seed
    }

    /// Explains `scorer`'s score of `text` word by word, with deletion and insertion curves.
    public func explain(_ text: String, scorer: any TextScorer) throws -> TextExplanation {
        let game = try TextMaskingGame(scorer: scorer, text: text)
        let n = game.playerCount
        var resolved = method
        if resolved == .auto { resolved = n <= Self.exactWordLimit ? .exact : .kernel }
        let attribution: Attribution
        var generator = SeededGenerator(seed: seed)
        switch resolved {
        case .exact:
            guard n <= ExactShapley.maximumPlayers else {
                throw CustosError(.usage, "exact Shapley values enumerate all 2^n word subsets; \(n) words exceed the limit of "
                    + "\(ExactShapley.maximumPlayers) — use --method kernel, permutation or lime")
            }
            attribution = try ExactShapley.attribute(game)
        case .kernel, .auto:
            attribution = try KernelSHAP(samples: samples).attribute(game, generator: &generator)
        case .permutation:
            attribution = try PermutationShapley(samples: samples).attribute(game, generator: &generator)
        case .lime:
            attribution = try limeAttribution(game, generator: &generator)
        }
        let curves = try FaithfulnessCurves.measure(game, attributions: attribution.values)
        return TextExplanation(
            scorer: scorer.name, text: text, method: resolved, baseValue: attribution.baseValue,
            prediction: attribution.prediction,
            words: zip(game.segmentation.words, attribution.values).map {
                TextExplanation.WordValue(text: $0.text, start: $0.start, end: $0.end, value: $1)
            },
            faithfulness: curves)
    }

    /// LIME's text explainer over word occurrences: each sample removes a uniformly drawn number of words (1…n),
    /// weighted by `√exp(−d²/25²)` of the cosine distance (×100) of its presence vector to the full text's.
    func limeAttribution(_ game: TextMaskingGame, generator: inout SeededGenerator) throws -> Attribution {
        let n = game.playerCount
        var masks = [Bool](repeating: true, count: samples * n)
        var weights = [Double](repeating: 1, count: samples)
        for k in 1..<samples {
            let removed = 1 + generator.nextIndex(below: n)
            var order = Array(0..<n)
            order.shuffle(using: &generator)
            for t in 0..<removed { masks[k * n + order[t]] = false }
            let kept = Double(n - removed)
            let distance = (1 - (kept / Double(n)).squareRoot()) * 100
            weights[k] = limeKernel(distance: distance, width: Self.limeKernelWidth)
        }
        let scores = try game.values(masks)
        let ridge = try WeightedRidge(x: masks.map { $0 ? 1 : 0 }, columns: n, y: scores, weights: weights,
                                      alpha: LimeTabular.ridgeAlpha)
        return Attribution(baseValue: ridge.intercept, prediction: scores[0], values: ridge.coefficients)
    }
}

/// A word-level explanation of one text: the `custos explain text --format json` document.
public struct TextExplanation: Sendable, Equatable, Codable {
    /// One word's attribution.
    public struct WordValue: Sendable, Equatable, Codable {
        /// The word.
        public var text: String
        /// Unicode-scalar offset of its start.
        public var start: Int
        /// Unicode-scalar offset just past its end.
        public var end: Int
        /// Its attribution (Shapley value or LIME weight).
        public var value: Double
    }

    /// The scorer explained.
    public var scorer: String
    /// The text.
    public var text: String
    /// The estimator used (`auto` resolved).
    public var method: TextExplanationMethod
    /// Score with every word removed (Shapley) or the surrogate's intercept (LIME).
    public var baseValue: Double
    /// The score of the text.
    public var prediction: Double
    /// The words with their attributions.
    public var words: [WordValue]
    /// Deletion and insertion curves in attribution order.
    public var faithfulness: FaithfulnessCurves

    enum CodingKeys: String, CodingKey {
        case scorer, text, method, baseValue = "base_value", prediction, words, faithfulness
    }
}
