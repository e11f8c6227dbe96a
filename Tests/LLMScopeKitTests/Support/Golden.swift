import Foundation
import Testing

/// Compares `text` with the golden file Tests/LLMScopeKitTests/Golden/`name`. With
/// RECORD_GOLDEN=1 the file is rewritten (and the test still fails, so a recording is never
/// mistaken for a pass).
func expectGolden(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
  let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Golden/\(name)")
  if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
    try? FileManager.default.createDirectory(at: source.deletingLastPathComponent(), withIntermediateDirectories: true)
    try? text.write(to: source, atomically: true, encoding: .utf8)
    Issue.record("recorded \(name); run again without RECORD_GOLDEN", sourceLocation: sourceLocation)
    return
  }
  let bundled = Bundle.module.url(forResource: "Golden/\(name)", withExtension: nil) ?? source
  guard let expected = try? String(contentsOf: bundled, encoding: .utf8) else {
    Issue.record("missing golden file \(name) (record it with RECORD_GOLDEN=1)", sourceLocation: sourceLocation)
    return
  }
  if expected != text {
    let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let b = text.split(separator: "\n", omittingEmptySubsequences: false)
    var diff = ""
    for i in 0..<max(a.count, b.count) where (i < a.count ? a[i] : nil) != (i < b.count ? b[i] : nil) {
      diff += "line \(i + 1):\n- \(i < a.count ? String(a[i]) : "")\n+ \(i < b.count ? String(b[i]) : "")\n"
      if diff.count > 2000 { break }
    }
    Issue.record("differs from golden \(name):\n\(diff)", sourceLocation: sourceLocation)
  }
}

/// Checks that `html` is a well-formed HTML5 document: a doctype, every non-void element
/// closed in order, attributes quoted. Returns the problems found.
func htmlProblems(_ html: String) -> [String] {
  var problems: [String] = []
  if !html.hasPrefix("<!DOCTYPE html>") { problems.append("no <!DOCTYPE html>") }
  let void: Set<String> = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
  var stack: [String] = []
  let chars = Array(html.unicodeScalars)
  var i = 0
  while i < chars.count {
    guard chars[i] == "<" else {
      i += 1
      continue
    }
    if chars.count > i + 3, chars[i + 1] == "!", chars[i + 2] == "-", chars[i + 3] == "-" {
      while i + 2 < chars.count && !(chars[i] == "-" && chars[i + 1] == "-" && chars[i + 2] == ">") { i += 1 }
      i += 3
      continue
    }
    var j = i + 1
    var inQuote: Unicode.Scalar?
    while j < chars.count {
      if let q = inQuote {
        if chars[j] == q { inQuote = nil }
      } else if chars[j] == "\"" || chars[j] == "'" {
        inQuote = chars[j]
      } else if chars[j] == ">" {
        break
      }
      j += 1
    }
    let tag = String(String.UnicodeScalarView(chars[(i + 1)..<j]))
    i = j + 1
    if tag.hasPrefix("!") { continue }
    let closing = tag.hasPrefix("/")
    let name = String(tag.dropFirst(closing ? 1 : 0).prefix { $0.isLetter || $0.isNumber }).lowercased()
    if name.isEmpty {
      problems.append("stray '<' before: \(tag.prefix(30))")
      continue
    }
    if closing {
      if stack.last == name { stack.removeLast() } else { problems.append("</\(name)> closes <\(stack.last ?? "nothing")>") }
    } else if !void.contains(name) && !tag.hasSuffix("/") {
      stack.append(name)
      if name == "script" || name == "style" {
        // Raw text until the closing tag.
        let close = Array("</\(name)".unicodeScalars)
        while i + close.count <= chars.count && Array(chars[i..<(i + close.count)]) != close { i += 1 }
      }
    }
  }
  if !stack.isEmpty { problems.append("unclosed: \(stack.joined(separator: " "))") }
  return problems
}

/// URLs in `html` or CSS that would make a network request.
func externalURLs(_ text: String) -> [String] {
  let patterns = [#"(?i)(src|href|action)\s*=\s*["']?\s*(https?:|//)"#, #"(?i)url\(\s*["']?\s*(https?:|//)"#, #"(?i)@import"#]
  return patterns.flatMap { p -> [String] in
    let re = try! NSRegularExpression(pattern: p)
    return re.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { String(text[Range($0.range, in: text)!]) }
  }
}
