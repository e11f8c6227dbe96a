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

/// Splits a template into front matter, Markdown and directives, with positions.
///
/// Directive syntax: `{{ name key=value key="quoted value" … }}`; `\{{` is a literal `{{`.
/// Values may be quoted with `"` (with `\"` and `\\` escapes); unquoted values run to the next
/// space.
public enum TemplateParser {
  public static func parse(_ source: String, file: String) throws(TemplateError) -> ParsedTemplate {
    let chars = Array(source)
    var i = 0
    var line = 1
    var column = 1
    func position() -> SourcePosition { SourcePosition(file: file, line: line, column: column) }
    func advance() {
      if chars[i] == "\n" {
        line += 1
        column = 1
      } else {
        column += 1
      }
      i += 1
    }

    // Front matter.
    var front: [String: String] = [:]
    var frontPositions: [String: SourcePosition] = [:]
    if source.hasPrefix("---\n") || source.hasPrefix("---\r\n") {
      while i < chars.count && chars[i] != "\n" { advance() }
      if i < chars.count { advance() }
      var closed = false
      while i < chars.count {
        let start = position()
        var lineText = ""
        while i < chars.count && chars[i] != "\n" {
          lineText.append(chars[i])
          advance()
        }
        if i < chars.count { advance() }
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
    while i < chars.count {
      if chars[i] == "\\" && i + 2 < chars.count && chars[i + 1] == "{" && chars[i + 2] == "{" {
        // `\{{` is a literal `{{`; keep cmark from treating the backslash: emit `{{` as text.
        text += "{{"
        advance()
        advance()
        advance()
        continue
      }
      if chars[i] == "{" && i + 1 < chars.count && chars[i + 1] == "{" {
        if !text.isEmpty {
          pieces.append(.markdown(text))
          text = ""
        }
        pieces.append(.directive(try directive(chars, &i, &line, &column, file: file)))
        continue
      }
      text.append(chars[i])
      advance()
    }
    if !text.isEmpty { pieces.append(.markdown(text)) }
    return ParsedTemplate(file: file, frontMatter: front, frontMatterPositions: frontPositions, pieces: pieces)
  }

  private static func directive(_ chars: [Character], _ i: inout Int, _ line: inout Int, _ column: inout Int, file: String) throws(TemplateError) -> DirectiveCall {
    let start = SourcePosition(file: file, line: line, column: column)
    let startIndex = i
    func advance() {
      if chars[i] == "\n" {
        line += 1
        column = 1
      } else {
        column += 1
      }
      i += 1
    }
    func here() -> SourcePosition { SourcePosition(file: file, line: line, column: column) }
    func written() -> String { String(chars[startIndex..<min(i, chars.count)]) }
    advance()
    advance()
    var words: [(String, SourcePosition)] = []
    while true {
      while i < chars.count && (chars[i] == " " || chars[i] == "\t") { advance() }
      guard i < chars.count, chars[i] != "\n" else {
        throw TemplateError(position: start, text: written(), message: "directive is not closed with `}}` on the same line")
      }
      if chars[i] == "}" && i + 1 < chars.count && chars[i + 1] == "}" {
        advance()
        advance()
        break
      }
      let wordStart = here()
      var word = ""
      var quoted = false
      while i < chars.count && chars[i] != " " && chars[i] != "\t" && chars[i] != "\n" {
        if !quoted && chars[i] == "}" && i + 1 < chars.count && chars[i + 1] == "}" { break }
        if chars[i] == "\"" {
          quoted.toggle()
          advance()
          continue
        }
        if quoted && chars[i] == "\\" && i + 1 < chars.count {
          advance()
        }
        word.append(chars[i])
        advance()
        if quoted {
          while i < chars.count && chars[i] != "\"" && chars[i] != "\n" {
            if chars[i] == "\\" && i + 1 < chars.count { advance() }
            word.append(chars[i])
            advance()
          }
        }
      }
      if quoted { throw TemplateError(position: wordStart, text: written(), message: "unterminated quoted value") }
      words.append((word, wordStart))
    }
    guard let (name, _) = words.first, !name.isEmpty, !name.contains("=") else {
      throw TemplateError(position: start, text: written(), message: "a directive starts with its name, e.g. {{ figure llm_calls }}")
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
    return DirectiveCall(name: name, arguments: arguments, position: start, text: written())
  }
}
