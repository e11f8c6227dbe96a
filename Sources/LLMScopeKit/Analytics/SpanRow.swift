/// One span for the trace search page: what product §4 lists per span.
public struct SpanRow: Sendable, Equatable {
  public var traceID: String
  public var spanID: String
  public var app: String
  public var kind: OperationKind
  public var name: String
  public var startNanos: Int64
  public var durationNanos: Int64
  public var isError: Bool
  /// Response model, else request model.
  public var model: String?
  /// Total tokens (input + output when no total is recorded).
  public var tokens: Int64?
}
