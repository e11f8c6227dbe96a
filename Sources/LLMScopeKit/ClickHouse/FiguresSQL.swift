/// `Figures` aggregated by ClickHouse: one GROUP BY over `SpanRowsSQL` rows, each row
/// expanded into the groups it counts in, with what it counts there, so that one query
/// answers for every group of a summary, or for every time bucket of a series.
///
/// A group is a tuple (kind, name, counts as a span, as an LLM call, as a model call, towards
/// traces, towards instances), mirroring how `Summary.build` feeds its accumulators.
enum FiguresSQL {
  /// The groups of `Summary.build`: all spans, the app, the business system (`system` by token,
  /// or `no_system`); a counted model call also in its model and request model; an LLM call
  /// also in the model and request model of each counted model call of its trace.
  static let summaryGroups = """
    arrayConcat([('all', '', 1, is_entry, model_call, 1, 1), ('app', app, 1, is_entry, model_call, 1, 1),
        if(isNull(token), ('no_system', '', 1, is_entry, model_call, 1, 1), ('system', assumeNotNull(token), 1, is_entry, model_call, 1, 1))],
      if(model_call = 1, [('model', coalesce(model, '(unknown)'), 1, 0, 1, 1, 0), ('request_model', coalesce(request_model, model, '(unknown)'), 1, 0, 1, 1, 0)], []),
      if(is_entry = 1, arrayMap(m -> ('model', m, 0, 1, 0, 0, 0), trace_models), []),
      if(is_entry = 1, arrayMap(m -> ('request_model', m, 0, 1, 0, 0, 0), trace_request_models), []))
    """

  /// The groups of `TimeSeries.build`: the bucket a span starts in (`{bucket_start:Int64}`,
  /// `{bucket_size:Int64}`), counting spans, LLM calls and model calls.
  static let bucketGroups = "[('bucket', toString(intDiv(start_ns - {bucket_start:Int64}, {bucket_size:Int64})), 1, is_entry, model_call, 0, 0)]"

  /// The aggregate of every group `groups` expands `rows` into; one row per group.
  static func query(rows: String, groups: String) -> String {
    let entry = "g.4 = 1"
    let call = "g.5 = 1"
    let rate = "\(call) AND op_kind = 'llm' AND output_tokens > 0 AND duration_ms > 0"
    let ttft = "\(call) AND isNotNull(ttft_ns)"
    let tpot = "\(ttft) AND op_kind = 'llm' AND output_tokens > 1 AND duration_ms >= ttft_ns / 1e6"
    let usage = "\(call) AND (isNotNull(input_tokens) OR isNotNull(output_tokens))"
    let input = "greatest(0, ifNull(input_tokens, 0))"
    let output = "greatest(0, ifNull(output_tokens, 0))"
    let cached = "least(\(input), greatest(0, ifNull(cache_read_tokens, 0)))"
    let reasoning = "least(\(output), greatest(0, ifNull(reasoning_tokens, 0)))"
    let order = "(start_ns, trace_id, span_id)"
    return """
      SELECT g.1, g.2, countIf(g.3 = 1), uniqExactIf(trace_id, g.6 = 1),
        uniqExactIf((app, instance), g.7 = 1 AND isNotNull(instance)), uniqExactIf((app, instance, intDiv(start_ns, 3600000000000)), g.7 = 1 AND isNotNull(instance)),
        countIf(\(entry)), countIf(\(entry) AND is_error = 1), \(latency(entry)),
        countIf(\(call)), countIf(\(call) AND is_error = 1), \(latency(call)),
        sumIf(ttft_ns / 1e6, \(ttft)), countIf(\(ttft)),
        sumIf(ifNull(input_tokens, 0), \(call)), sumIf(ifNull(output_tokens, 0), \(call)), sumIf(ifNull(cache_read_tokens, 0), \(call)),
        sumIf(ifNull(reasoning_tokens, 0), \(call)), countIf(\(usage)),
        sumIf(output_tokens, \(rate)), sumIf(duration_ms / 1000, \(rate)),
        sumIf((duration_ms - ttft_ns / 1e6) / (output_tokens - 1), \(tpot)), countIf(\(tpot)),
        sumMapIf(([ifNull(ttft_source, '\(Figures.sourceNotRecorded)')], [toUInt64(1)]), \(ttft)),
        sumMapIf(([ifNull(usage_source, '\(Figures.sourceNotRecorded)')], [toUInt64(1)]), \(rate)),
        sumMapIf(([(ifNull(model, ''), ifNull(request_model, ''), intDiv(start_ns, 86400000000000))], [toUInt64(1)], [toInt64(\(input) - \(cached))],
          [toInt64(\(cached))], [toInt64(\(output) - \(reasoning))], [toInt64(\(reasoning))]), \(usage)),
        argMinIf(op_kind, \(order), \(call)), groupUniqArrayIf(provider, \(call)), groupUniqArrayIf(request_model, \(call)),
        groupUniqArrayIf(app, g.3 = 1), argMaxIf(token, \(order), g.3 = 1)
      FROM \(rows) ARRAY JOIN \(groups) AS g
      GROUP BY g.1, g.2
      """
  }

  /// Count, average, P50, P90, P95, P99 (`Percentile.linear`, which is ClickHouse's
  /// `quantileExactInclusive`) and maximum of the durations where `condition` holds.
  private static func latency(_ condition: String) -> String {
    "countIf(\(condition)), avgIf(duration_ms, \(condition)), quantilesExactInclusiveIf(0.5, 0.9, 0.95, 0.99)(duration_ms, \(condition)), maxIf(duration_ms, \(condition))"
  }

  /// One group's answer.
  struct Group {
    var kind: String
    var name: String
    var figures: Figures
    var modelKind: OperationKind
    var providers: Set<String>
    var requestModels: Set<String>
    var apps: Set<String>
    /// The business-system token of the group's latest span.
    var token: String?
  }

  /// Reads one answer row; `lookup` prices each (model, request model, day) of its calls.
  static func group(_ row: [JSONValue], prices lookup: inout PriceLookup) -> Group? {
    guard row.count == 37 else { return nil }
    func int(_ i: Int) -> Int { Int(row[i].int64 ?? 0) }
    func strings(_ i: Int) -> Set<String> { Set(row[i].arrayValue.compactMap(\.string)) }
    func counts(_ i: Int) -> [String: Int] {
      let pair = row[i].arrayValue
      guard pair.count == 2 else { return [:] }
      var out: [String: Int] = [:]
      for (k, v) in zip(pair[0].arrayValue, pair[1].arrayValue) { out[k.string ?? "", default: 0] += Int(v.int64 ?? 0) }
      return out
    }
    var f = Figures()
    f.spans = int(2)
    f.traces = int(3)
    f.instances = int(4)
    f.instanceHours = int(5)
    f.llmCalls = int(6)
    f.llmCallErrors = int(7)
    f.llmLatency = latency(row, from: 8)
    f.modelCalls = int(12)
    f.modelErrors = int(13)
    f.modelLatency = latency(row, from: 14)
    let ttftCalls = int(19)
    f.ttftCalls = ttftCalls
    f.ttftAvgMs = ttftCalls == 0 ? nil : (row[18].double ?? 0) / Double(ttftCalls)
    f.inputTokens = row[20].int64 ?? 0
    f.outputTokens = row[21].int64 ?? 0
    f.cacheReadTokens = row[22].int64 ?? 0
    f.reasoningTokens = row[23].int64 ?? 0
    f.callsWithUsage = int(24)
    let seconds = row[26].double ?? 0
    f.outputTokensPerSecond = seconds > 0 ? Double(row[25].int64 ?? 0) / seconds : nil
    f.tpotCalls = int(28)
    f.tpotAvgMs = f.tpotCalls == 0 ? nil : (row[27].double ?? 0) / Double(f.tpotCalls)
    f.ttftSources = counts(29)
    f.throughputSources = counts(30)
    let costs = row[31].arrayValue
    if costs.count == 6 {
      for (i, key) in costs[0].arrayValue.enumerated() {
        let k = key.arrayValue
        guard k.count == 3 else { continue }
        let model = k[0].string.flatMap { $0.isEmpty ? nil : $0 }
        let request = k[1].string.flatMap { $0.isEmpty ? nil : $0 }
        func sum(_ j: Int) -> Int64 { costs[j].arrayValue.indices.contains(i) ? costs[j].arrayValue[i].int64 ?? 0 : 0 }
        var tokens = TokenBuckets()
        tokens.uncachedInput = sum(2)
        tokens.cachedInput = sum(3)
        tokens.plainOutput = sum(4)
        tokens.reasoning = sum(5)
        let price = lookup.row(model: model, requestModel: request, day: k[2].int64 ?? 0)
        f.cost.add(tokens, calls: Int(sum(1)), price: price, model: model ?? "(unknown)")
      }
    }
    return Group(
      kind: row[0].string ?? "", name: row[1].string ?? "", figures: f, modelKind: row[32].string.flatMap(OperationKind.init(rawValue:)) ?? .llm,
      providers: strings(33), requestModels: strings(34), apps: strings(35), token: row[36].string)
  }

  private static func latency(_ row: [JSONValue], from i: Int) -> LatencyStats {
    let count = Int(row[i].int64 ?? 0)
    let q = row[i + 2].arrayValue.map(\.double)
    guard count > 0, q.count == 4 else { return LatencyStats() }
    return LatencyStats(count: count, avg: row[i + 1].double, p50: q[0], p90: q[1], p95: q[2], p99: q[3], max: row[i + 3].double)
  }
}

extension JSONValue {
  /// An integer as ClickHouse writes it in JSON: 64-bit integers quoted, others bare.
  var int64: Int64? {
    switch self {
    case .string(let s): return Int64(s)
    case .number(let d): return d.isFinite && abs(d) < 9.2e18 ? Int64(d) : nil
    default: return nil
    }
  }

  /// The elements of an array; empty for anything else.
  var arrayValue: [JSONValue] {
    if case .array(let a) = self { return a }
    return []
  }
}
