/// `summary --json`: a stable, documented JSON form of a `Summary` (see README, "summary").
/// Keys are written in a fixed order; durations are milliseconds rounded to 0.001.
public enum SummaryJSON {
  /// The JSON of `s`; with a `baseline`, its figures follow under `"baseline"`, in the same form.
  public static func encode(_ s: Summary, baseline: Summary? = nil) -> String {
    var w = JSONWriter(capacity: 4096)
    w.raw("{\"range\":{\"from\":")
    w.string(Timestamp.format(s.range.from, fractionDigits: 9))
    w.raw(",\"to\":")
    w.string(Timestamp.format(s.range.to, fractionDigits: 9))
    w.raw("},\n\"totals\":")
    figures(s.totals, into: &w, withInstances: true)
    w.raw(",\n\"business_systems\":[")
    for (i, b) in s.businessSystems.enumerated() {
      w.raw(i == 0 ? "\n" : ",\n")
      w.raw("{\"fingerprint\":")
      optional(b.fingerprint, &w)
      w.raw(",\"apps\":[")
      for (j, a) in b.apps.enumerated() {
        if j > 0 { w.byte(UInt8(ascii: ",")) }
        w.string(a)
      }
      w.raw("],")
      figures(b.figures, into: &w, withInstances: true, open: false)
    }
    w.raw("],\n\"apps\":[")
    for (i, a) in s.apps.enumerated() {
      w.raw(i == 0 ? "\n" : ",\n")
      w.raw("{\"name\":")
      w.string(a.name)
      w.raw(",\"business_system\":")
      optional(a.businessSystem, &w)
      w.byte(UInt8(ascii: ","))
      figures(a.figures, into: &w, withInstances: true, open: false)
    }
    w.raw("],\n\"models\":[")
    models(s.models, &w)
    w.raw("],\n\"request_models\":[")
    models(s.requestModels, &w)
    w.raw("]")
    if let baseline {
      w.raw(",\n\"baseline\":")
      w.json(String(encode(baseline).dropLast()))
    }
    w.raw("}\n")
    return w.string
  }

  private static func models(_ list: [Summary.Model], _ w: inout JSONWriter) {
    for (i, m) in list.enumerated() {
      w.raw(i == 0 ? "\n" : ",\n")
      w.raw("{\"name\":")
      w.string(m.name)
      w.raw(",\"kind\":")
      w.string(m.kind.rawValue)
      w.raw(",\"providers\":")
      strings(m.providers, &w)
      w.raw(",\"request_models\":")
      strings(m.requestModels, &w)
      w.byte(UInt8(ascii: ","))
      figures(m.figures, into: &w, withInstances: false, open: false)
    }
  }

  private static func strings(_ list: [String], _ w: inout JSONWriter) { w.array(list) { s, w in w.string(s) } }

  /// `{"key": count, …}` sorted by key.
  private static func counts(_ d: [String: Int], _ w: inout JSONWriter) {
    w.object(d.keys.sorted(), key: { $0 }, value: { k, w in w.int(d[k]!) })
  }

  /// Costs in USD to six decimals, written from the exact sums; `null` without a priced call.
  private static func cost(_ f: Figures, _ w: inout JSONWriter) {
    for (i, name) in [FigureName.cost, .inputCost, .cachedInputCost, .outputCost, .reasoningCost].enumerated() {
      w.json((i == 0 ? "{\"" : ",\"") + name.summaryField.dropFirst("cost.".count) + "\":")
      if let v = name.summaryValue(in: f) { w.json(v) } else { w.raw("null") }
    }
    w.raw(",\"priced_calls\":")
    w.int(f.cost.pricedCalls)
    w.raw(",\"unpriced_calls\":")
    w.int(f.cost.unpricedCalls)
    w.raw(",\"price_rows\":")
    counts(f.cost.rows, &w)
    w.raw(",\"unpriced_models\":")
    counts(f.cost.unpricedModels, &w)
    w.byte(UInt8(ascii: "}"))
  }

  private static func optional(_ s: String?, _ w: inout JSONWriter) {
    if let s { w.string(s) } else { w.raw("null") }
  }

  /// A figure as the JSON writes it: counts whole, milliseconds and rates to 0.001, ratios
  /// to 0.000001. Pages write the same text into `data-value`.
  static func number(_ v: Double, _ unit: FigureName.Unit) -> String {
    guard v.isFinite else { return "null" }
    switch unit {
    case .count: return String(Int64(v.rounded()))
    case .milliseconds, .rate: return ((v * 1000).rounded() / 1000).description
    case .ratio: return ((v * 1e6).rounded() / 1e6).description
    case .usd: return USD(pico: Int128((v * 1e12).rounded())).json
    }
  }

  private static func number(_ d: Double?, _ unit: FigureName.Unit, _ w: inout JSONWriter) {
    guard let d else { return w.raw("null") }
    w.json(number(d, unit))
  }

  private static func ms(_ d: Double?, _ w: inout JSONWriter) { number(d, .milliseconds, &w) }

  private static func latency(_ l: LatencyStats, _ w: inout JSONWriter) {
    w.raw("{\"avg\":")
    ms(l.avg, &w)
    w.raw(",\"p50\":")
    ms(l.p50, &w)
    w.raw(",\"p90\":")
    ms(l.p90, &w)
    w.raw(",\"p95\":")
    ms(l.p95, &w)
    w.raw(",\"p99\":")
    ms(l.p99, &w)
    w.raw(",\"max\":")
    ms(l.max, &w)
    w.byte(UInt8(ascii: "}"))
  }

  private static func figures(_ f: Figures, into w: inout JSONWriter, withInstances: Bool, open: Bool = true) {
    if open { w.byte(UInt8(ascii: "{")) }
    w.raw("\"spans\":")
    w.int(f.spans)
    w.raw(",\"traces\":")
    w.int(f.traces)
    if withInstances {
      w.raw(",\"instances\":")
      w.int(f.instances)
    }
    w.raw(",\"llm_calls\":")
    w.int(f.llmCalls)
    w.raw(",\"llm_call_errors\":")
    w.int(f.llmCallErrors)
    w.raw(",\"llm_latency_ms\":")
    latency(f.llmLatency, &w)
    w.raw(",\"model_calls\":")
    w.int(f.modelCalls)
    w.raw(",\"model_errors\":")
    w.int(f.modelErrors)
    w.raw(",\"model_error_rate\":")
    number(f.modelErrorRate, .ratio, &w)
    w.raw(",\"model_latency_ms_avg\":")
    ms(f.modelLatency.avg, &w)
    w.raw(",\"model_latency_ms\":")
    latency(f.modelLatency, &w)
    w.raw(",\"ttft_ms_avg\":")
    ms(f.ttftAvgMs, &w)
    w.raw(",\"ttft_calls\":")
    w.int(f.ttftCalls)
    w.raw(",\"input_tokens\":")
    w.int(f.inputTokens)
    w.raw(",\"output_tokens\":")
    w.int(f.outputTokens)
    w.raw(",\"total_tokens\":")
    w.int(f.totalTokens)
    w.raw(",\"cache_read_tokens\":")
    w.int(f.cacheReadTokens)
    w.raw(",\"calls_with_usage\":")
    w.int(f.callsWithUsage)
    w.raw(",\"reasoning_tokens\":")
    w.int(f.reasoningTokens)
    w.raw(",\"output_tokens_per_second\":")
    number(f.outputTokensPerSecond, .rate, &w)
    w.raw(",\"throughput_sources\":")
    counts(f.throughputSources, &w)
    w.raw(",\"tpot_ms_avg\":")
    ms(f.tpotAvgMs, &w)
    w.raw(",\"tpot_calls\":")
    w.int(f.tpotCalls)
    w.raw(",\"ttft_sources\":")
    counts(f.ttftSources, &w)
    w.raw(",\"cost\":")
    cost(f, &w)
    if withInstances {
      w.raw(",\"instance_hours\":")
      w.int(f.instanceHours)
      w.raw(",\"span_storage\":{")
      for (i, days) in Figures.retentionDays.enumerated() {
        w.json(i == 0 ? "\"\(days)d\":" : ",\"\(days)d\":")
        w.int(f.spans * days)
      }
      w.byte(UInt8(ascii: "}"))
    }
    if let share = f.modelCallShare {
      w.raw(",\"model_call_share\":")
      w.json(number(share, .ratio))
    }
    w.byte(UInt8(ascii: "}"))
  }
}
