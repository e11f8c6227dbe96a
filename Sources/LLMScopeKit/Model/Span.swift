/// The kind of a span, as OTLP numbers it.
public enum SpanKind: Int32, Sendable, CaseIterable {
  case unspecified = 0, `internal` = 1, server = 2, client = 3, producer = 4, consumer = 5

  /// The name used in OTLP JSON enum form (`SPAN_KIND_SERVER`) and its short form.
  public var name: String {
    switch self {
    case .unspecified: return "unspecified"
    case .internal: return "internal"
    case .server: return "server"
    case .client: return "client"
    case .producer: return "producer"
    case .consumer: return "consumer"
    }
  }
}

/// A span's status (OTLP `Status`): code 0 unset, 1 ok, 2 error.
public struct SpanStatus: Sendable, Equatable {
  public var code: Int32 = 0
  public var message: String = ""
  public init(code: Int32 = 0, message: String = "") {
    self.code = code
    self.message = message
  }
  public var isError: Bool { code == 2 }
}

/// A timed event recorded on a span (OTLP `Span.Event`).
public struct SpanEvent: Sendable, Equatable {
  public var timeUnixNano: Int64 = 0
  public var name: String = ""
  public var attributes: [KeyValue] = []
  public var droppedAttributesCount: UInt32 = 0
  public init() {}
}

/// A link from a span to another span (OTLP `Span.Link`).
public struct SpanLink: Sendable, Equatable {
  /// Lowercase hex, 32 digits.
  public var traceID: String = ""
  /// Lowercase hex, 16 digits.
  public var spanID: String = ""
  public var traceState: String = ""
  public var attributes: [KeyValue] = []
  public var droppedAttributesCount: UInt32 = 0
  public var flags: UInt32 = 0
  public init() {}
}

/// One span as OTLP carries it. Identifiers are lowercase hex whatever the encoding was.
public struct Span: Sendable, Equatable {
  /// Lowercase hex, 32 digits.
  public var traceID: String = ""
  /// Lowercase hex, 16 digits.
  public var spanID: String = ""
  /// Lowercase hex, 16 digits; empty for a root span.
  public var parentSpanID: String = ""
  public var traceState: String = ""
  public var name: String = ""
  public var kind: Int32 = 0
  /// Start time, nanoseconds since the Unix epoch.
  public var startTimeUnixNano: Int64 = 0
  /// End time, nanoseconds since the Unix epoch.
  public var endTimeUnixNano: Int64 = 0
  public var attributes: [KeyValue] = []
  public var droppedAttributesCount: UInt32 = 0
  public var events: [SpanEvent] = []
  public var droppedEventsCount: UInt32 = 0
  public var links: [SpanLink] = []
  public var droppedLinksCount: UInt32 = 0
  public var status = SpanStatus()
  public var flags: UInt32 = 0
  public init() {}

  /// Duration in nanoseconds (end minus start; negative when the clock went backwards).
  public var durationNanos: Int64 { endTimeUnixNano &- startTimeUnixNano }
}

/// The entity that produced spans (OTLP `Resource`): the app and its host.
public struct Resource: Sendable, Equatable {
  public var attributes: [KeyValue] = []
  public var droppedAttributesCount: UInt32 = 0
  public init() {}
}

/// The instrumentation library that made spans (OTLP `InstrumentationScope`).
public struct InstrumentationScope: Sendable, Equatable {
  public var name: String = ""
  public var version: String = ""
  public var attributes: [KeyValue] = []
  public var droppedAttributesCount: UInt32 = 0
  public init() {}
}

/// Spans of one scope (OTLP `ScopeSpans`).
public struct ScopeSpans: Sendable, Equatable {
  public var scope = InstrumentationScope()
  public var schemaURL: String = ""
  public var spans: [Span] = []
  public init() {}
}

/// Spans of one resource (OTLP `ResourceSpans`).
public struct ResourceSpans: Sendable, Equatable {
  public var resource = Resource()
  public var schemaURL: String = ""
  public var scopeSpans: [ScopeSpans] = []
  public init() {}

  /// Number of spans in all scopes.
  public var spanCount: Int { scopeSpans.reduce(0) { $0 + $1.spans.count } }
}
