/// What an ingest did: every span read is stored, a duplicate, or rejected with a reason.
public struct IngestReport: Sendable, Equatable {
  public var files = 0
  /// Export messages (JSON documents or lines, protobuf messages) read.
  public var records = 0
  /// Spans decoded from the input (stored + duplicate + rejected spans).
  public var spansRead = 0
  public var stored = 0
  /// Spans already in the store (same trace and span id); nothing was added for them.
  public var duplicates = 0
  /// Spans rejected one by one (a bad id, a field of the wrong type).
  public var rejectedSpans = 0
  /// Records that could not be read at all, so their spans could not be counted.
  public var rejectedRecords = 0
  /// Attribute values longer than the value limit, stored cut (see `ValueLimit`).
  public var valuesCut = 0
  /// Every rejection, in input order.
  public var rejections: [Rejection] = []

  public init() {}

  /// Anything was rejected: ingest exits with status 1.
  public var hasRejections: Bool { rejectedSpans > 0 || rejectedRecords > 0 }
}
