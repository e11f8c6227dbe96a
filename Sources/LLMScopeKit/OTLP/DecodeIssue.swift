/// Where in an input a record or span sits: the file, the JSON line and the byte offset.
public struct InputLocation: Sendable, Equatable, CustomStringConvertible {
  public var file: String
  /// 1-based line of a JSON-lines record.
  public var line: Int?
  /// Byte offset from the start of the (decompressed) input.
  public var byteOffset: Int?

  public init(file: String, line: Int? = nil, byteOffset: Int? = nil) {
    self.file = file
    self.line = line
    self.byteOffset = byteOffset
  }

  public var description: String {
    var s = file
    if let line { s += ":\(line)" }
    if let byteOffset { s += " (byte \(byteOffset))" }
    return s
  }
}

/// A span or record that could not be stored, and why.
public struct Rejection: Sendable, Equatable, CustomStringConvertible {
  public var location: InputLocation
  /// The OTLP field at fault, as a path (`resourceSpans[0].scopeSpans[1].spans[3].traceId`).
  public var field: String
  public var reason: String
  /// How many spans the rejected item held, when known (a whole unreadable record: `nil`).
  public var spans: Int?

  public var description: String {
    "\(location): \(field.isEmpty ? "" : field + ": ")\(reason)"
  }
}

/// What one decoded input record holds: spans to store and spans rejected.
public struct DecodedRecord: Sendable {
  public var resourceSpans: [ResourceSpans] = []
  public var rejections: [Rejection] = []
  public init() {}
}
