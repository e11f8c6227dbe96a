/// `summary` as text tables for a terminal.
public enum SummaryTable {
  public static func render(_ s: Summary) -> String {
    var out = "Range: \(Timestamp.format(s.range.from)) to \(Timestamp.format(s.range.to))\n\n"
    let headers = [
      "", "spans", "traces", "LLM calls", "avg ms", "P50 ms", "P95 ms", "P99 ms", "model calls", "errors", "error rate",
      "model avg ms", "TTFT ms", "input tok", "output tok",
    ]
    func row(_ name: String, _ f: Figures) -> [String] {
      [
        name, String(f.spans), String(f.traces), String(f.llmCalls), ms(f.llmLatency.avg), ms(f.llmLatency.p50),
        ms(f.llmLatency.p95), ms(f.llmLatency.p99), String(f.modelCalls), String(f.modelErrors),
        f.modelErrorRate.map { NumberFormatting.fixed($0 * 100, places: 1) + "%" } ?? "-", ms(f.modelLatency.avg),
        ms(f.ttftAvgMs), String(f.inputTokens), String(f.outputTokens),
      ]
    }
    out += table(headers, [row("all", s.totals)])
    out += "\nBusiness systems\n"
    out += table(headers, s.businessSystems.map { row($0.fingerprint ?? "(no token)", $0.figures) })
    out += "\nApps\n"
    out += table(headers + ["instances"], s.apps.map { row($0.name, $0.figures) + [String($0.figures.instances)] })
    out += "\nModels (by response model)\n"
    out += table(headers, s.models.map { row($0.name, $0.figures) })
    return out
  }

  private static func ms(_ v: Double?) -> String { v.map { NumberFormatting.fixed($0, places: 1) } ?? "-" }

  /// Columns padded to their widest cell; the first column left-aligned, numbers right.
  static func table(_ headers: [String], _ rows: [[String]]) -> String {
    let all = [headers] + rows
    var widths = [Int](repeating: 0, count: headers.count)
    for r in all { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
    var out = ""
    for r in all {
      var line = ""
      for (i, c) in r.enumerated() where i < widths.count {
        let pad = String(repeating: " ", count: widths[i] - c.count)
        line += i == 0 ? c + pad : "  " + pad + c
      }
      out += line + "\n"
    }
    return out
  }
}
