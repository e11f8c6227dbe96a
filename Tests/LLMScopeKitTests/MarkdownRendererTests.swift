import Testing

@testable import LLMScopeKit

@Suite struct MarkdownRendererTests {
  @Test("GFM tables render through cmark-gfm's extensions")
  func tables() {
    let html = MarkdownRenderer.html("| a | b |\n|---|--:|\n| 1 | 2 |\n\n~~old~~ https://example.org")
    #expect(html.contains("<table>") && html.contains("<td align=\"right\">2</td>"))
    #expect(html.contains("<del>old</del>") && html.contains("<a href=\"https://example.org\">"))
  }

  @Test("raw HTML is dropped unless allowed")
  func rawHTML() {
    #expect(!MarkdownRenderer.html("<script>alert(1)</script>\n\nx").contains("<script>"))
    #expect(MarkdownRenderer.html("<b>x</b>", allowHTML: true).contains("<b>x</b>"))
  }
}
