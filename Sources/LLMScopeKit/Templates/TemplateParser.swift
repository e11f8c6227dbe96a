/// A directive as written in a template: `{{ name key=value … }}`.
public struct DirectiveCall: Sendable, Equatable {
  public struct Argument: Sendable, Equatable {
    public var key: String
    public var value: String
    public var position: SourcePosition
  }
  public var name: String
  public var arguments: [Argument]
  public var position: SourcePosition
  /// The whole directive as written, for error messages.
  public var text: String

  public func argument(_ key: String) -> Argument? { arguments.last { $0.key == key } }
}

/// A parsed template: front matter, and the Markdown body split around directives.
public struct ParsedTemplate: Sendable {
  public enum Piece: Sendable, Equatable {
    case markdown(String)
    case directive(DirectiveCall)
  }
  public var file: String
  /// `key: value` pairs between `---` lines at the top.
  public var frontMatter: [String: String]
  public var frontMatterPositions: [String: SourcePosition]
  public var pieces: [Piece]
}

/// A position in template text that knows its line and column.
private struct TemplateCursor {
  let chars: [Character]
  let file: String
  var index = 0
  var line = 1
  var column = 1

  var atEnd: Bool { index >= chars.count }
  var current: Character { chars[index] }
  var position: SourcePosition { SourcePosition(file: file, line: line, column: column) }

  func peek(_ offset: Int) -> Character? { index + offset < chars.count ? chars[index + offset] : nil }

  mutating func advance() {
    if chars[index] == "\n" {
      line += 1
      column = 1
    } else {
      column += 1
    }
    index += 1
  }
}

/// Splits a template into front matter, Markdown and directives, with positions.
///
/// Directive syntax: `{{ name key=value key="quoted value" … }}`; `\{{` is a literal `{{`.
/// Values may be quoted with `"` (with `\"` and `\\` escapes); unquoted values run to the next
/// space.
public enum TemplateParser {
  public static func parse(_ source: String, file: String) throws(TemplateError) -> ParsedTemplate {
    var c = TemplateCursor(chars: Array(source), file: file)

    // Front matter.
    var front: [String: String] = [:]
    var frontPositions: [String: SourcePosition] = [:]
    if source.hasPrefix("---\n") || source.hasPrefix("---\r\n") {
      while !c.atEnd && c.current != "\n" { c.advance() }
      if !c.atEnd { c.advance() }
      var closed = false
      while !c.atEnd {
        let start = c.position
        var lineText = ""
        while !c.atEnd && c.current != "\n" {
          lineText.append(c.current)
          c.advance()
        }
        if !c.atEnd { c.advance() }
        let trimmed = lineText.trimmingCharacters(in: "\r").trimmingCharacters(in: " ")
        if trimmed == "---" {
          closed = true
          break
        }
        if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
        guard let colon = trimmed.firstIndex(of: ":") else {
          throw TemplateError(position: start, text: trimmed, message: "front matter lines are `key: value`")
        }
        let key = String(trimmed[..<colon]).trimmingCharacters(in: " ")
        var value = String(trimmed[trimmed.index(after: colon)...]).trimmingCharacters(in: " ")
        if value.count >= 2 && value.hasPrefix("\"") && value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
        front[key] = value
        frontPositions[key] = start
      }
      if !closed {
        throw TemplateError(position: SourcePosition(file: file, line: 1, column: 1), text: "---", message: "front matter is not closed with a `---` line")
      }
    }

    var pieces: [ParsedTemplate.Piece] = []
    var text = ""
    while !c.atEnd {
      if c.current == "\\" && c.peek(1) == "{" && c.peek(2) == "{" {
        // `\{{` is a literal `{{`.
        text += "{{"
        for _ in 0..<3 { c.advance() }
        continue
      }
      if c.current == "{" && c.peek(1) == "{" {
        if !text.isEmpty {
          pieces.append(.markdown(text))
          text = ""
        }
        pieces.append(.directive(try directive(&c)))
        continue
      }
      text.append(c.current)
      c.advance()
    }
    if !text.isEmpty { pieces.append(.markdown(text)) }
    return ParsedTemplate(file: file, frontMatter: front, frontMatterPositions: frontPositions, pieces: pieces)
  }

  private static func directive(_ c: inout TemplateCursor) throws(TemplateError) -> DirectiveCall {
    let start = c.position
    let startIndex = c.index
    func written(_ c: TemplateCursor) -> String { String(c.chars[startIndex..<min(c.index, c.chars.count)]) }
    c.advance()
    c.advance()
    var words: [(String, SourcePosition)] = []
    while true {
      while !c.atEnd && (c.current == " " || c.current == "\t") { c.advance() }
      guard !c.atEnd, c.current != "\n" else {
        throw TemplateError(position: start, text: written(c), message: "directive is not closed with `}}` on the same line")
      }
      if c.current == "}" && c.peek(1) == "}" {
        c.advance()
        c.advance()
        break
      }
      let wordStart = c.position
      var word = ""
      var quoted = false
      while !c.atEnd && c.current != " " && c.current != "\t" && c.current != "\n" {
        if !quoted && c.current == "}" && c.peek(1) == "}" { break }
        if c.current == "\"" {
          quoted.toggle()
          c.advance()
          continue
        }
        if quoted && c.current == "\\" && c.peek(1) != nil { c.advance() }
        word.append(c.current)
        c.advance()
        if quoted {
          while !c.atEnd && c.current != "\"" && c.current != "\n" {
            if c.current == "\\" && c.peek(1) != nil { c.advance() }
            word.append(c.current)
            c.advance()
          }
        }
      }
      if quoted { throw TemplateError(position: wordStart, text: written(c), message: "unterminated quoted value") }
      words.append((word, wordStart))
    }
    guard let (name, _) = words.first, !name.isEmpty, !name.contains("=") else {
      throw TemplateError(position: start, text: written(c), message: "a directive starts with its name, e.g. {{ figure llm_calls }}")
    }
    var arguments: [DirectiveCall.Argument] = []
    for (word, pos) in words.dropFirst() {
      if let eq = word.firstIndex(of: "=") {
        arguments.append(DirectiveCall.Argument(key: String(word[..<eq]), value: String(word[word.index(after: eq)...]), position: pos))
      } else {
        // A bare word is the directive's main argument (`{{ figure llm_calls }}`).
        arguments.append(DirectiveCall.Argument(key: "", value: word, position: pos))
      }
    }
    return DirectiveCall(name: name, arguments: arguments, position: start, text: written(c))
  }
}
