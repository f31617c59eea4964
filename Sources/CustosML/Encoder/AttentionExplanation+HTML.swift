import CustosReport
import Foundation

extension AttentionExplanation {
    /// A self-contained page (no network, inline CSS and a small script): the text's tokens shaded by rollout
    /// relevance, and a heatmap of any layer and head, of the head average, or of the rollout, chosen with selectors.
    public func renderHTML(title: String = "Attention") -> String {
        let e = HTMLEscaping.escape
        let relevance = pooledRelevance
        // Scale the shading by the largest word token: [CLS] and [SEP] collect most of the rollout and would wash out the rest.
        let words = relevance.count > 2 ? Array(relevance[1..<(relevance.count - 1)]) : relevance
        let top = words.max() ?? 1
        var chips = ""
        for (token, value) in zip(tokens, relevance) {
            let alpha = top > 0 ? min(1, Double(value / top)) : 0
            chips += "<span class=\"tok\" style=\"background: rgba(220, 80, 40, \(String(format: "%.3f", alpha)))\" "
                + "title=\"\(String(format: "%.4f", value))\">\(e(token))</span> "
        }
        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:" />
            <title>\(e(title))</title>
            <style>
            body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; color: #1d232a; background: #fff; }
            h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
            .text { padding: .75rem 1rem; background: #f4f6f8; border-radius: 6px; white-space: pre-wrap; }
            .tok { display: inline-block; padding: 0 .25rem; margin: .1rem 0; border-radius: 3px; font-family: ui-monospace, monospace; }
            .controls { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; margin: .5rem 0 1rem; }
            .note { color: #5b6670; font-size: .9rem; }
            canvas { border: 1px solid #d7dde3; max-width: 100%; }
            </style>
            </head>
            <body>
            <h1>\(e(title))</h1>
            <p class="text">\(e(text))</p>

            """
        if truncated {
            page += "<p class=\"note\"><strong>Truncated:</strong> the text is longer than the model's maximum length; only the first \(tokens.count) tokens were encoded.</p>\n"
        }
        page += """
            <h2>Token relevance (attention rollout)</h2>
            <p>\(chips)</p>
            <p class="note">Shade: each token's share of the last layer's attention rollout (Abnar &amp; Zuidema 2020,
            head-averaged attention mixed 50/50 with the identity for the residual path, multiplied across layers),
            averaged over all positions because the sentence embedding is a mean over tokens; the darkest shade is the
            most relevant word ([CLS] and [SEP] usually exceed it). Hover for the value.
            Attention shows where information flows, not why the model decided something.</p>
            <h2>Attention heatmap</h2>
            <div class="controls">
            <label>View <select id="view"><option value="head">one head</option><option value="mean">mean of heads</option><option value="rollout">rollout up to layer</option></select></label>
            <label>Layer <select id="layer"></select></label>
            <label>Head <select id="head"></select></label>
            </div>
            <p class="note">Rows are query tokens (attending), columns are key tokens (attended to); darker is more attention. Each row sums to 1.</p>
            <canvas id="map" width="10" height="10"></canvas>
            <noscript><p>The heatmap needs JavaScript; the token relevance above does not.</p></noscript>
            <script id="data" type="application/json">\(dataJSON())</script>
            <script>
            \(Self.script)
            </script>
            </body>
            </html>

            """
        return page
    }

    /// Tokens, per-mille attention `[layer][head][q·n+k]` and per-mille rollout `[layer][q·n+k]` as JSON that is
    /// safe inside a `<script>` element (`<` escaped).
    private func dataJSON() -> String {
        func permille(_ values: ArraySlice<Float>) -> String {
            values.map { String(Int(($0 * 1000).rounded())) }.joined(separator: ",")
        }
        let n = attention.tokens
        let size = n * n
        var heads: [String] = []
        for layer in 0..<attention.layers {
            var perHead: [String] = []
            for head in 0..<attention.heads {
                let base = (layer * attention.heads + head) * size
                perHead.append("[" + permille(attention.probabilities[base..<(base + size)]) + "]")
            }
            heads.append("[" + perHead.joined(separator: ",") + "]")
        }
        let rolloutJSON = rollout.map { "[" + permille($0[...]) + "]" }.joined(separator: ",")
        let tokenData = (try? JSONEncoder().encode(tokens)) ?? Data("[]".utf8)
        let tokenJSON = String(decoding: tokenData, as: UTF8.self)
        let json = "{\"tokens\":\(tokenJSON),\"layers\":\(attention.layers),\"heads\":\(attention.heads),"
            + "\"attention\":[\(heads.joined(separator: ","))],\"rollout\":[\(rolloutJSON)]}"
        return json.replacingOccurrences(of: "<", with: "\\u003c")
    }

    /// The page's script: fills the selectors and draws the chosen matrix on a canvas.
    private static let script = """
        const d = JSON.parse(document.getElementById('data').textContent);
        const n = d.tokens.length;
        const view = document.getElementById('view'), layer = document.getElementById('layer'), head = document.getElementById('head');
        for (let l = 0; l < d.layers; l++) layer.add(new Option('layer ' + (l + 1), l));
        for (let h = 0; h < d.heads; h++) head.add(new Option('head ' + (h + 1), h));
        function matrix() {
          const l = +layer.value;
          if (view.value === 'rollout') return d.rollout[l];
          if (view.value === 'head') return d.attention[l][+head.value];
          const m = new Array(n * n).fill(0);
          for (const h of d.attention[l]) for (let i = 0; i < m.length; i++) m[i] += h[i] / d.heads;
          return m;
        }
        function draw() {
          head.disabled = view.value !== 'head';
          const m = matrix();
          const cell = Math.max(4, Math.min(28, Math.floor(720 / n)));
          const label = cell >= 9 ? 110 : 0;
          const c = document.getElementById('map');
          c.width = label + n * cell + 2; c.height = label + n * cell + 2;
          const g = c.getContext('2d');
          g.fillStyle = '#fff'; g.fillRect(0, 0, c.width, c.height);
          let top = 0; for (const v of m) top = Math.max(top, v);
          for (let q = 0; q < n; q++) for (let k = 0; k < n; k++) {
            const a = top > 0 ? m[q * n + k] / top : 0;
            g.fillStyle = 'rgba(30, 90, 200, ' + a.toFixed(3) + ')';
            g.fillRect(label + k * cell, label + q * cell, cell, cell);
          }
          if (label > 0) {
            g.fillStyle = '#1d232a'; g.font = Math.min(12, cell - 1) + 'px monospace';
            g.textAlign = 'right'; g.textBaseline = 'middle';
            for (let i = 0; i < n; i++) {
              const t = d.tokens[i].slice(0, 14);
              g.fillText(t, label - 4, label + i * cell + cell / 2);
              g.save(); g.translate(label + i * cell + cell / 2, label - 4); g.rotate(-Math.PI / 2);
              g.textAlign = 'left'; g.fillText(t, 0, 0); g.restore();
            }
          }
        }
        view.onchange = draw; layer.onchange = draw; head.onchange = draw;
        draw();
        """
}
