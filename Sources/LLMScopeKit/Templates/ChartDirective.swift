/// `{{ chart … }}`: a figure over time, or compared across models or apps.
extension Directives {
  enum ChartSubject: String, CaseIterable {
    case llmCalls = "llm_calls", latency, modelCalls = "model_calls", modelErrors = "model_errors"
    case modelErrorRate = "model_error_rate", modelLatency = "model_latency", ttft, tokens, spans
    case inputTokens = "input_tokens", outputTokens = "output_tokens", outputTokensPerSecond = "output_tokens_per_second"
    case cost

    var title: String {
      switch self {
      case .llmCalls: return "LLM calls"
      case .latency: return "LLM call latency"
      case .modelCalls: return "Model calls"
      case .modelErrors: return "Model errors"
      case .modelErrorRate: return "Model error rate"
      case .modelLatency: return "Model call latency"
      case .ttft: return "Time to first token (avg)"
      case .tokens: return "Tokens"
      case .spans: return "Spans"
      case .inputTokens: return "Input tokens"
      case .outputTokens: return "Output tokens"
      case .outputTokensPerSecond: return "Output tokens per second"
      case .cost: return "Cost"
      }
    }

    var unit: ChartUnit {
      switch self {
      case .latency, .modelLatency, .ttft: return .milliseconds
      case .modelErrorRate: return .ratio
      case .outputTokensPerSecond: return .rate
      case .cost: return .usd
      case .tokens, .inputTokens, .outputTokens: return .tokens
      default: return .count
      }
    }

    /// One value for a comparison bar.
    func value(_ f: Figures, stat: String) -> Double? {
      switch self {
      case .llmCalls: return Double(f.llmCalls)
      case .latency: return Self.stat(f.llmLatency, stat)
      case .modelCalls: return Double(f.modelCalls)
      case .modelErrors: return Double(f.modelErrors)
      case .modelErrorRate: return f.modelErrorRate
      case .modelLatency: return Self.stat(f.modelLatency, stat)
      case .ttft: return f.ttftAvgMs
      case .tokens: return Double(f.totalTokens)
      case .spans: return Double(f.spans)
      case .inputTokens: return Double(f.inputTokens)
      case .outputTokens: return Double(f.outputTokens)
      case .outputTokensPerSecond: return f.outputTokensPerSecond
      case .cost: return f.cost.pricedTotal?.approximate
      }
    }

    static func stat(_ l: LatencyStats, _ name: String) -> Double? {
      switch name {
      case "p50": return l.p50
      case "p90": return l.p90
      case "p95": return l.p95
      case "p99": return l.p99
      default: return l.avg
      }
    }

    /// The series of a chart over time.
    func series(_ points: [Figures], percentiles: [String]) -> (series: [ChartSeries], style: SVGChart.Style) {
      func counts(_ name: String, _ v: (Figures) -> Double) -> ChartSeries { ChartSeries(name: name, values: points.map(v)) }
      switch self {
      case .llmCalls:
        return ([counts("succeeded") { Double($0.llmCalls - $0.llmCallErrors) }, counts("failed") { Double($0.llmCallErrors) }], .stackedBars)
      case .modelCalls:
        return ([counts("succeeded") { Double($0.modelCalls - $0.modelErrors) }, counts("failed") { Double($0.modelErrors) }], .stackedBars)
      case .modelErrors: return ([counts("model errors") { Double($0.modelErrors) }], .stackedBars)
      case .spans: return ([counts("spans") { Double($0.spans) }], .stackedBars)
      case .tokens: return ([counts("input") { Double($0.inputTokens) }, counts("output") { Double($0.outputTokens) }], .stackedBars)
      case .inputTokens: return ([counts("input tokens") { Double($0.inputTokens) }], .stackedBars)
      case .outputTokens: return ([counts("output tokens") { Double($0.outputTokens) }], .stackedBars)
      case .modelErrorRate: return ([ChartSeries(name: "error rate", values: points.map(\.modelErrorRate))], .lines)
      case .ttft: return ([ChartSeries(name: "TTFT avg", values: points.map(\.ttftAvgMs))], .lines)
      case .outputTokensPerSecond: return ([ChartSeries(name: "output tokens/s", values: points.map(\.outputTokensPerSecond))], .lines)
      case .cost: return ([ChartSeries(name: "cost of priced calls", values: points.map { $0.cost.total.approximate })], .stackedBars)
      case .latency, .modelLatency:
        return (percentiles.map { p in
          ChartSeries(name: p == "avg" ? "avg" : p.uppercased(), values: points.map { Self.stat(self == .latency ? $0.llmLatency : $0.modelLatency, p) })
        }, .lines)
      }
    }
  }

  static let chart = DirectiveDefinition(
    name: "chart", summary: "A chart drawn as inline SVG, with its numbers in a table beneath: a figure over time, or compared across models or apps.",
    arguments: [
      DirectiveArgument(key: "", summary: "what to chart", allowed: ChartSubject.allCases.map(\.rawValue)),
      DirectiveArgument(key: "by", summary: "over time buckets (chosen from the range, 1 min to 1 day), or one bar per model or app", allowed: ["time", "model", "app"], defaultValue: "time"),
      DirectiveArgument(key: "percentiles", summary: "latency lines over time", allowed: ["avg", "p50", "p90", "p95", "p99"], isList: true, defaultValue: "p50,p95,p99"),
      DirectiveArgument(key: "stat", summary: "the latency statistic of each bar", allowed: ["avg", "p50", "p90", "p95", "p99"], defaultValue: "avg"),
      DirectiveArgument(key: "limit", summary: "at most this many bars, largest first (0: all)", defaultValue: "12"),
    ],
    example: "{{ chart latency by=time percentiles=p50,p95,p99 }}",
    render: { args, call, context throws(TemplateError) in
      let subject = ChartSubject(rawValue: args[""]!)!
      guard let limit = Int(args["limit"]!), limit >= 0 else {
        throw TemplateError(position: call.argument("limit")?.position ?? call.position, text: args["limit"]!, message: "`limit` is a number of bars")
      }
      switch args["by"]! {
      case "time":
        guard let series = context.series else { return .empty }
        let (s, style) = subject.series(series.points, percentiles: list(args["percentiles"]!))
        return SVGChart.timeSeries(title: subject.title, bucketing: series.bucketing, series: s, unit: subject.unit, style: style)
      default:
        let byModel = args["by"] == "model"
        let groups: [(String, Figures)] = byModel
          ? context.summary.models.filter { context.scope.models.isEmpty || context.scope.models.contains($0.name) }.map { ($0.name, $0.figures) }
          : context.summary.apps.map { ($0.name, $0.figures) }
        let stat = args["stat"]!
        var items = groups.map { (label: $0.0, value: subject.value($0.1, stat: stat)) }
        items.sort { a, b in (a.value ?? -1, b.label) > (b.value ?? -1, a.label) }
        if limit > 0 { items = Array(items.prefix(limit)) }
        let statText = (subject == .latency || subject == .modelLatency) ? " (\(stat == "avg" ? "avg" : stat.uppercased()))" : ""
        return SVGChart.horizontalBars(title: "\(subject.title)\(statText) by \(byModel ? "model" : "app")", items: items, unit: subject.unit)
      }
    })
}
