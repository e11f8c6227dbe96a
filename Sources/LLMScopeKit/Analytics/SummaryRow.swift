/// What the summary reads of one span; a store streams these for a time range.
public struct SummaryRow: Sendable {
  public var traceID: String
  public var app: String
  public var instance: String?
  public var businessSystem: String?
  public var kind: OperationKind
  public var isEntry: Bool
  /// `false` for a model call recorded a second time by another instrumentation.
  public var isCounted: Bool
  public var isError: Bool
  /// Start time, nanoseconds since the Unix epoch.
  public var startNanos: Int64
  public var durationMs: Double
  public var model: String?
  public var requestModel: String?
  public var provider: String?
  public var inputTokens: Int64?
  public var outputTokens: Int64?
  public var cacheReadTokens: Int64?
  public var reasoningTokens: Int64?
  public var ttftNanos: Int64?
  /// Which conventions gave the output tokens and the TTFT (`ValueSource.label`).
  public var usageSource: String?
  public var ttftSource: String?
}

/// A closed time range, nanoseconds since the Unix epoch.
public struct TimeRange: Sendable, Hashable {
  public var from: Int64
  public var to: Int64
  public init(from: Int64, to: Int64) {
    self.from = from
    self.to = to
  }
}
