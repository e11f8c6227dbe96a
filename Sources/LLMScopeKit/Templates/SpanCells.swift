/// Cells that the span tables (`traces`, `span_search`) write alike.
extension Directives {
  /// `error` or `ok`, with an error's message as hover text when there is one.
  static func statusCell(isError: Bool, message: String? = nil) -> HTML {
    .element("td", [("class", "text")], [
      isError
        ? HTML.element("span", [("class", "status-error")] + (message.map { [("title", $0)] } ?? []), text: "error")
        : .element("span", [("class", "status-ok")], text: "ok")
    ])
  }

  /// The trace id, linked to the span on its trace page when the site has one.
  static func traceCell(_ traceID: String, span spanID: String, _ context: RenderContext) -> HTML {
    .element("td", [("class", "text")], [
      context.tracePage(traceID).map { HTML.element("a", [("href", $0 + "#" + TraceRenderer.anchor(spanID))], [.element("code", [], text: traceID)]) }
        ?? .element("code", [], text: traceID)
    ])
  }
}
