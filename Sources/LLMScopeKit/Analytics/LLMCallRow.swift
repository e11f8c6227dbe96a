/// One LLM call (an entry span) for trace lists.
public struct LLMCallRow: Sendable, Equatable {
  public var traceID: String
  public var spanID: String
  public var app: String
  public var name: String
  public var startNanos: Int64
  public var durationMs: Double
  public var isError: Bool
  public var statusMessage: String?
  /// Tokens of the trace's model calls (each counted once).
  public var tokens: Int64
}

/// Which LLM calls a trace list shows.
public enum LLMCallSelection: String, Sendable, CaseIterable {
  /// Slowest first.
  case slowest
  /// Failed calls, newest first.
  case failed
  /// Newest first.
  case latest
  /// Most tokens (of the trace's model calls) first.
  case heaviest
}
