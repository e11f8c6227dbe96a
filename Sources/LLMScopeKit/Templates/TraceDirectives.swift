/// Directives of trace pages (`kind: trace`): the trace's facts, its waterfall, its spans.
extension Directives {
  private static func onTracePage(_ call: DirectiveCall, _ context: RenderContext) throws(TemplateError) -> TraceRenderer {
    guard let t = context.trace else {
      throw TemplateError(position: call.position, text: call.text, message: "`\(call.name)` works only in a trace page template (front matter `kind: trace`)")
    }
    return t
  }

  static let traceSummary = DirectiveDefinition(
    name: "trace_summary", summary: "The trace's id, start, duration, span count, apps, errors and tokens (trace pages only).",
    arguments: [], example: "{{ trace_summary }}",
    render: { _, call, context throws(TemplateError) in try onTracePage(call, context).summary() })

  static let waterfall = DirectiveDefinition(
    name: "waterfall",
    summary: "Every span of the trace on a time axis, nested by parent, foldable, coloured by status and operation, with the critical path, time to first token, clock skew and missing parents marked (trace pages only).",
    arguments: [], example: "{{ waterfall }}",
    render: { _, call, context throws(TemplateError) in try onTracePage(call, context).waterfall() })

  static let spanDetails = DirectiveDefinition(
    name: "span_details",
    summary: "Each span's details, at the anchor `#span-<span id>`: facts, messages by role with tool calls, events, links and all attributes (trace pages only).",
    arguments: [], example: "{{ span_details }}",
    render: { _, call, context throws(TemplateError) in try onTracePage(call, context).details() })
}
