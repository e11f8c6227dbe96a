/// A place in a template: file, 1-based line and column (in characters).
public struct SourcePosition: Sendable, Equatable, CustomStringConvertible {
  public var file: String
  public var line: Int
  public var column: Int
  public var description: String { "\(file):\(line):\(column)" }
}

/// A template that cannot be rendered: where, what text, why, and what would be valid.
public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
  public var position: SourcePosition
  /// The offending text as written.
  public var text: String
  public var message: String
  /// The names that would have been accepted, when there is a closed list.
  public var validNames: [String] = []

  public var description: String {
    var s = "\(position): \(message): \(text)"
    if !validNames.isEmpty { s += "\n  valid: " + validNames.joined(separator: ", ") }
    return s
  }
}
