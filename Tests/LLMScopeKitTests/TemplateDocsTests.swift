import Foundation
import Testing

@testable import LLMScopeKit

@Suite struct TemplateDocsTests {
  static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Templates/README.md")

  @Test("Templates/README.md documents every directive, argument and default, as the registry has them")
  func referenceIsCurrent() throws {
    let text = try String(contentsOf: Self.readme, encoding: .utf8)
    let start = try #require(text.range(of: "<!-- directives -->\n"))
    let end = try #require(text.range(of: "<!-- /directives -->"))
    let documented = String(text[start.upperBound..<end.lowerBound])
    if documented != DirectiveReference.markdown() && ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
      try (String(text[..<start.upperBound]) + DirectiveReference.markdown() + String(text[end.lowerBound...])).write(to: Self.readme, atomically: true, encoding: .utf8)
    } else if documented != DirectiveReference.markdown() {
      Issue.record("Templates/README.md is out of date; its directive section should be:\n\(DirectiveReference.markdown())")
    }
    for d in Directives.all {
      // Every example in the reference renders without error.
      #expect(throws: Never.self) { try TemplateRenderer().check(try TemplateParser.parse(d.example, file: "example")) }
    }
  }

  @Test("the default templates and the example templates are valid")
  func templatesAreValid() throws {
    for (name, bytes) in DefaultTemplates.all {
      _ = try SiteTemplate(name: name, source: String(decoding: bytes, as: UTF8.self), file: name)
    }
    let examples = Self.readme.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Examples/templates")
    for f in try FileManager.default.contentsOfDirectory(atPath: examples.path) where f.hasSuffix(".md") {
      let t = try SiteTemplate(name: f, source: try String(contentsOf: examples.appendingPathComponent(f), encoding: .utf8), file: f)
      try TemplateRenderer().check(t.parsed)
    }
  }
}
