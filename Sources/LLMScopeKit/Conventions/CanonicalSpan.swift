/// The figures and labels llmscope reads from a span, whatever instrumentation made it.
///
/// Built by `Conventions.canonicalize` from the table in `ConventionTable`; renderers and
/// analytics read these fields, never raw attribute keys.
public struct CanonicalSpan: Sendable, Equatable {
  /// The application: resource `service.name`.
  public var app: String = "unknown_service"
  /// The instance: `host.name`, else `service.instance.id`, `service.instance`, `ip`.
  public var instance: String?
  /// Fingerprint of the business-system `token` resource attribute (never the token itself).
  public var businessSystem: String?
  public var kind: OperationKind = .other
  public var provider: String?
  public var requestModel: String?
  public var responseModel: String?
  /// Input tokens including cached ones.
  public var inputTokens: Int64?
  public var outputTokens: Int64?
  public var totalTokens: Int64?
  public var cacheReadTokens: Int64?
  public var cacheWriteTokens: Int64?
  public var reasoningTokens: Int64?
  /// Cost reported by the instrumentation, in USD.
  public var costUSD: Double?
  /// Time to first token, nanoseconds after the span's start.
  public var ttftNanos: Int64?
  /// Which convention gave the output tokens and the TTFT (`ValueSource.label`): the figures
  /// built on them say so where the sources differ.
  public var usageSource: String?
  public var ttftSource: String?
  public var streaming: Bool?
  /// Finish reasons, one per choice, with `tool_calls` spelled `tool_call`.
  public var finishReasons: [String] = []
  public var isError = false
  public var errorType: String?
  public var errorMessage: String?
  /// The span carries the `gen_ai.is_entry` marker.
  public var isMarkedEntry = false
  public var sessionID: String?
  public var userID: String?
  public var agentName: String?
  public var toolName: String?

  public init() {}

  /// The model a per-model view files this span under: response model, else request model.
  public var model: String? { responseModel ?? requestModel }
}
