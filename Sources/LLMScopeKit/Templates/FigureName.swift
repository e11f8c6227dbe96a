/// The figures a template can place, by the names used in `{{ figure … }}` and table columns.
public enum FigureName: String, CaseIterable, Sendable {
  case spans, traces, instances
  case llmCalls = "llm_calls", llmCallErrors = "llm_call_errors"
  case llmLatencyAvg = "llm_latency_avg", llmLatencyP50 = "llm_latency_p50", llmLatencyP90 = "llm_latency_p90"
  case llmLatencyP95 = "llm_latency_p95", llmLatencyP99 = "llm_latency_p99"
  case modelCalls = "model_calls", modelErrors = "model_errors", modelErrorRate = "model_error_rate"
  case modelLatencyAvg = "model_latency_avg", modelLatencyP50 = "model_latency_p50", modelLatencyP95 = "model_latency_p95"
  case modelLatencyP99 = "model_latency_p99", ttftAvg = "ttft_avg"
  case inputTokens = "input_tokens", outputTokens = "output_tokens", totalTokens = "total_tokens"
  case cacheReadTokens = "cache_read_tokens", reasoningTokens = "reasoning_tokens"
  case cost, inputCost = "input_cost", cachedInputCost = "cached_input_cost", outputCost = "output_cost"
  case reasoningCost = "reasoning_cost", unpricedCalls = "unpriced_calls"
  case tpotAvg = "tpot_avg"
  case outputTokensPerSecond = "output_tokens_per_second", modelCallShare = "model_call_share"
  case instanceHours = "instance_hours"
  case storage1d = "span_storage_1d", storage3d = "span_storage_3d", storage7d = "span_storage_7d"
  case storage15d = "span_storage_15d", storage30d = "span_storage_30d"

  /// The label shown next to the figure.
  public var label: String {
    switch self {
    case .spans: return "Spans"
    case .traces: return "Traces"
    case .instances: return "Instances"
    case .llmCalls: return "LLM calls"
    case .llmCallErrors: return "Failed LLM calls"
    case .llmLatencyAvg: return "LLM call latency (avg)"
    case .llmLatencyP50: return "LLM call latency P50"
    case .llmLatencyP90: return "LLM call latency P90"
    case .llmLatencyP95: return "LLM call latency P95"
    case .llmLatencyP99: return "LLM call latency P99"
    case .modelCalls: return "Model calls"
    case .modelErrors: return "Model errors"
    case .modelErrorRate: return "Model error rate"
    case .modelLatencyAvg: return "Model call latency (avg)"
    case .modelLatencyP50: return "Model call latency P50"
    case .modelLatencyP95: return "Model call latency P95"
    case .modelLatencyP99: return "Model call latency P99"
    case .ttftAvg: return "Time to first token (avg)"
    case .inputTokens: return "Input tokens"
    case .outputTokens: return "Output tokens"
    case .totalTokens: return "Tokens"
    case .cacheReadTokens: return "Cached input tokens"
    case .reasoningTokens: return "Reasoning tokens"
    case .cost: return "Cost"
    case .inputCost: return "Input cost (uncached)"
    case .cachedInputCost: return "Cached input cost"
    case .outputCost: return "Output cost (without reasoning)"
    case .reasoningCost: return "Reasoning cost"
    case .unpricedCalls: return "Unpriced model calls"
    case .tpotAvg: return "Time per output token (avg)"
    case .outputTokensPerSecond: return "Output tokens per second"
    case .modelCallShare: return "Share of model calls"
    case .instanceHours: return "Instance online hours"
    case .storage1d: return "Span storage, 1-day retention (span-days)"
    case .storage3d: return "Span storage, 3-day retention (span-days)"
    case .storage7d: return "Span storage, 7-day retention (span-days)"
    case .storage15d: return "Span storage, 15-day retention (span-days)"
    case .storage30d: return "Span storage, 30-day retention (span-days)"
    }
  }

  enum Unit { case count, milliseconds, ratio, rate, usd }

  var unit: Unit {
    switch self {
    case .llmLatencyAvg, .llmLatencyP50, .llmLatencyP90, .llmLatencyP95, .llmLatencyP99, .modelLatencyAvg, .modelLatencyP50,
      .modelLatencyP95, .modelLatencyP99, .ttftAvg, .tpotAvg:
      return .milliseconds
    case .modelErrorRate, .modelCallShare: return .ratio
    case .outputTokensPerSecond: return .rate
    case .cost, .inputCost, .cachedInputCost, .outputCost, .reasoningCost: return .usd
    default: return .count
    }
  }

  /// Which way is better when the figure changes: latency, TTFT, time per token, errors and
  /// cost up is worse; throughput up is better; volumes are neither.
  public enum Direction: Sendable { case lowerIsBetter, higherIsBetter, neutral }

  public var direction: Direction {
    switch self {
    case .llmLatencyAvg, .llmLatencyP50, .llmLatencyP90, .llmLatencyP95, .llmLatencyP99, .modelLatencyAvg, .modelLatencyP50,
      .modelLatencyP95, .modelLatencyP99, .ttftAvg, .tpotAvg, .llmCallErrors, .modelErrors, .modelErrorRate, .cost, .inputCost,
      .cachedInputCost, .outputCost, .reasoningCost, .unpricedCalls:
      return .lowerIsBetter
    case .outputTokensPerSecond: return .higherIsBetter
    default: return .neutral
    }
  }

  /// The exact amount of a cost figure; `nil` for other figures and when no call was priced.
  public func usd(in f: Figures) -> USD? {
    guard f.cost.pricedCalls > 0 else { return nil }
    let b = f.cost.breakdown
    switch self {
    case .cost: return b.total
    case .inputCost: return b.input
    case .cachedInputCost: return b.cachedInput
    case .outputCost: return b.output
    case .reasoningCost: return b.reasoning
    default: return nil
    }
  }

  /// The value in `f`; `nil` when there is nothing to measure (no calls, no TTFT).
  public func value(in f: Figures) -> Double? {
    switch self {
    case .spans: return Double(f.spans)
    case .traces: return Double(f.traces)
    case .instances: return Double(f.instances)
    case .llmCalls: return Double(f.llmCalls)
    case .llmCallErrors: return Double(f.llmCallErrors)
    case .llmLatencyAvg: return f.llmLatency.avg
    case .llmLatencyP50: return f.llmLatency.p50
    case .llmLatencyP90: return f.llmLatency.p90
    case .llmLatencyP95: return f.llmLatency.p95
    case .llmLatencyP99: return f.llmLatency.p99
    case .modelCalls: return Double(f.modelCalls)
    case .modelErrors: return Double(f.modelErrors)
    case .modelErrorRate: return f.modelErrorRate
    case .modelLatencyAvg: return f.modelLatency.avg
    case .modelLatencyP50: return f.modelLatency.p50
    case .modelLatencyP95: return f.modelLatency.p95
    case .modelLatencyP99: return f.modelLatency.p99
    case .ttftAvg: return f.ttftAvgMs
    case .inputTokens: return Double(f.inputTokens)
    case .outputTokens: return Double(f.outputTokens)
    case .totalTokens: return Double(f.totalTokens)
    case .cacheReadTokens: return Double(f.cacheReadTokens)
    case .reasoningTokens: return Double(f.reasoningTokens)
    case .cost, .inputCost, .cachedInputCost, .outputCost, .reasoningCost: return usd(in: f)?.approximate
    case .unpricedCalls: return Double(f.cost.unpricedCalls)
    case .tpotAvg: return f.tpotAvgMs
    case .outputTokensPerSecond: return f.outputTokensPerSecond
    case .modelCallShare: return f.modelCallShare
    case .instanceHours: return Double(f.instanceHours)
    case .storage1d: return Double(f.spans)
    case .storage3d: return Double(f.spans) * 3
    case .storage7d: return Double(f.spans) * 7
    case .storage15d: return Double(f.spans) * 15
    case .storage30d: return Double(f.spans) * 30
    }
  }

  /// Where `summary --json` holds this figure, as a dotted path (`llm_latency_ms.p95`): the
  /// `data-figure` of every place a page shows it.
  public var summaryField: String {
    switch self {
    case .llmLatencyAvg: return "llm_latency_ms.avg"
    case .llmLatencyP50: return "llm_latency_ms.p50"
    case .llmLatencyP90: return "llm_latency_ms.p90"
    case .llmLatencyP95: return "llm_latency_ms.p95"
    case .llmLatencyP99: return "llm_latency_ms.p99"
    case .modelLatencyAvg: return "model_latency_ms_avg"
    case .modelLatencyP50: return "model_latency_ms.p50"
    case .modelLatencyP95: return "model_latency_ms.p95"
    case .modelLatencyP99: return "model_latency_ms.p99"
    case .ttftAvg: return "ttft_ms_avg"
    case .tpotAvg: return "tpot_ms_avg"
    case .cost: return "cost.usd"
    case .inputCost: return "cost.input_usd"
    case .cachedInputCost: return "cost.cached_input_usd"
    case .outputCost: return "cost.output_usd"
    case .reasoningCost: return "cost.reasoning_usd"
    case .unpricedCalls: return "cost.unpriced_calls"
    case .storage1d: return "span_storage.1d"
    case .storage3d: return "span_storage.3d"
    case .storage7d: return "span_storage.7d"
    case .storage15d: return "span_storage.15d"
    case .storage30d: return "span_storage.30d"
    default: return rawValue
    }
  }

  /// The value exactly as `summary --json` writes it (the same rounding): a page's
  /// `data-value`; `nil` where the JSON has `null`.
  public func summaryValue(in f: Figures) -> String? {
    if unit == .usd { return usd(in: f)?.json }
    return value(in: f).map { SummaryJSON.number($0, unit) }
  }

  /// The value formatted with its unit: `1,234`, `512.3 ms`, `1.24 s`, `3.1%`, `$12.35`;
  /// `–` when there is nothing to measure, and for a cost with no priced call `unpriced`.
  public func formatted(in f: Figures) -> String {
    if unit == .usd {
      guard let amount = usd(in: f) else { return f.cost.unpricedCalls > 0 ? "unpriced" : "–" }
      return amount.display + (f.cost.unpricedCalls > 0 ? " + unpriced" : "")
    }
    guard let v = value(in: f) else { return "–" }
    return Self.format(v, unit)
  }

  static func format(_ v: Double, _ unit: Unit) -> String {
    switch unit {
    case .count: return grouped(Int64(v.rounded()))
    case .milliseconds: return v >= 1000 ? NumberFormatting.fixed(v / 1000, places: 2) + " s" : NumberFormatting.fixed(v, places: 1) + " ms"
    case .ratio: return NumberFormatting.fixed(v * 100, places: 1) + "%"
    case .rate: return NumberFormatting.fixed(v, places: 1) + "/s"
    case .usd: return USD(pico: Int128((v * 1e12).rounded())).display
    }
  }

  /// `1234567` as `1,234,567`.
  static func grouped(_ n: Int64) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, ch) in digits.enumerated() {
      if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
      out.append(ch)
    }
    return (n < 0 ? "-" : "") + out
  }
}
