/// The figures of the performance overview (product §2) for one group of spans: all of
/// them, a business system, an app or a model.
public struct Figures: Sendable, Equatable {
  public var spans = 0
  public var traces = 0
  /// LLM calls: entry spans started in the range.
  public var llmCalls = 0
  public var llmCallErrors = 0
  /// Latency of the LLM calls (entry spans), ms.
  public var llmLatency = LatencyStats()
  /// Calls to a model (llm and embedding spans), each call counted once.
  public var modelCalls = 0
  public var modelErrors = 0
  /// Latency of the model calls, ms.
  public var modelLatency = LatencyStats()
  /// Average time to first token over the model calls that report it, ms.
  public var ttftAvgMs: Double?
  public var ttftCalls = 0
  public var inputTokens: Int64 = 0
  public var outputTokens: Int64 = 0
  public var cacheReadTokens: Int64 = 0
  /// Model calls that reported token usage.
  public var callsWithUsage = 0
  /// Distinct instances (apps and totals).
  public var instances = 0
  /// Instance online hours: distinct (instance, UTC hour) pairs with spans, summed.
  public var instanceHours = 0
  /// Output tokens per second of generation: output tokens over the summed duration of the
  /// llm calls that reported output tokens.
  public var outputTokensPerSecond: Double?
  /// This group's share of all model calls in the range (models and apps).
  public var modelCallShare: Double?
  public var reasoningTokens: Int64 = 0
  /// Time per output token after the first, averaged over the streaming llm calls that
  /// report TTFT and more than one output token: (duration − TTFT) / (output tokens − 1), ms.
  public var tpotAvgMs: Double?
  public var tpotCalls = 0
  /// Calls per convention that gave the TTFT figure, and the output tokens of the output
  /// tokens per second figure (`ValueSource.label`; `(not recorded)` for stores older than
  /// schema 2).
  public var ttftSources: [String: Int] = [:]
  public var throughputSources: [String: Int] = [:]
  /// The source label of spans stored before sources were recorded (store schema 1).
  static let sourceNotRecorded = "(not recorded)"
  /// What the model calls cost at the build's price table.
  public var cost = CostFigures()

  public init() {}

  /// The retention options of span storage: storage is spans × days (usage page).
  public static let retentionDays = [1, 3, 7, 15, 30]

  /// Failed model calls / all model calls; `nil` without model calls.
  public var modelErrorRate: Double? { modelCalls == 0 ? nil : Double(modelErrors) / Double(modelCalls) }
  public var totalTokens: Int64 { inputTokens &+ outputTokens }
}

/// Collects one group's spans into `Figures`.
struct FigureAccumulator {
  var spans = 0
  var traces = Set<String>()
  var instances = Set<String>()
  var instanceHours = Set<String>()
  var outputForRate: Int64 = 0
  var secondsForRate = 0.0
  var entryDurations: [Double] = []
  var entryErrors = 0
  var modelCalls = 0
  var modelErrors = 0
  var modelDurations: [Double] = []
  var ttftSum = 0.0
  var ttftCount = 0
  var input: Int64 = 0
  var output: Int64 = 0
  var cacheRead: Int64 = 0
  var reasoning: Int64 = 0
  var withUsage = 0
  var tpotSum = 0.0
  var tpotCount = 0
  var ttftSources: [String: Int] = [:]
  var throughputSources: [String: Int] = [:]
  var cost = CostFigures()

  mutating func addEntry(durationMs: Double, isError: Bool) {
    entryDurations.append(durationMs)
    if isError { entryErrors += 1 }
  }

  /// Adds one model call, priced with `price` (`nil`: no row of the price table names its model).
  mutating func addModelCall(_ row: SummaryRow, price: PriceRow?) {
    modelCalls += 1
    if row.isError { modelErrors += 1 }
    modelDurations.append(row.durationMs)
    if let t = row.ttftNanos {
      ttftSum += Double(t) / 1e6
      ttftCount += 1
      ttftSources[row.ttftSource ?? Figures.sourceNotRecorded, default: 0] += 1
      let ttftMs = Double(t) / 1e6
      if row.kind == .llm, let out = row.outputTokens, out > 1, row.durationMs >= ttftMs {
        tpotSum += (row.durationMs - ttftMs) / Double(out - 1)
        tpotCount += 1
      }
    }
    if row.inputTokens != nil || row.outputTokens != nil {
      withUsage += 1
      cost.add(TokenBuckets(input: row.inputTokens, cacheRead: row.cacheReadTokens, output: row.outputTokens, reasoning: row.reasoningTokens), price: price, model: row.model ?? "(unknown)")
    }
    if row.kind == .llm, let out = row.outputTokens, out > 0, row.durationMs > 0 {
      outputForRate &+= out
      secondsForRate += row.durationMs / 1000
      throughputSources[row.usageSource ?? Figures.sourceNotRecorded, default: 0] += 1
    }
    input &+= row.inputTokens ?? 0
    output &+= row.outputTokens ?? 0
    cacheRead &+= row.cacheReadTokens ?? 0
    reasoning &+= row.reasoningTokens ?? 0
  }

  var figures: Figures {
    var f = Figures()
    f.spans = spans
    f.traces = traces.count
    f.instances = instances.count
    f.instanceHours = instanceHours.count
    f.outputTokensPerSecond = secondsForRate > 0 ? Double(outputForRate) / secondsForRate : nil
    f.llmCalls = entryDurations.count
    f.llmCallErrors = entryErrors
    f.llmLatency = LatencyStats(milliseconds: entryDurations)
    f.modelCalls = modelCalls
    f.modelErrors = modelErrors
    f.modelLatency = LatencyStats(milliseconds: modelDurations)
    f.ttftCalls = ttftCount
    f.ttftAvgMs = ttftCount == 0 ? nil : ttftSum / Double(ttftCount)
    f.inputTokens = input
    f.outputTokens = output
    f.cacheReadTokens = cacheRead
    f.reasoningTokens = reasoning
    f.callsWithUsage = withUsage
    f.tpotCalls = tpotCount
    f.tpotAvgMs = tpotCount == 0 ? nil : tpotSum / Double(tpotCount)
    f.ttftSources = ttftSources
    f.throughputSources = throughputSources
    f.cost = cost
    return f
  }
}
