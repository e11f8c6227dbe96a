/// Reads a span's input and output messages from whichever family's keys it carries.
public enum MessageReader {
  /// The messages of `span`: the first source of each direction that yields any.
  public static func messages(of span: Span) -> SpanMessages {
    var input = first(ConventionTable.inputMessageSources, span)
    if let instructions = span.attributes[ConventionTable.systemInstructionsKey], let parts = systemParts(instructions), !parts.isEmpty,
      input.first?.role != "system"
    {
      input.insert(ChatMessage(role: "system", parts: parts), at: 0)
    }
    return SpanMessages(input: input, output: first(ConventionTable.outputMessageSources, span))
  }

  /// Finish reasons inside JSON output message lists (OTel streams carry them nowhere else).
  public static func finishReasons(of span: Span) -> [String] {
    for source in ConventionTable.outputMessageSources {
      guard case .messageList = source else { continue }
      let reasons = read(source, span).compactMap(\.finishReason)
      if !reasons.isEmpty { return reasons }
    }
    return []
  }

  private static func first(_ sources: [MessageSource], _ span: Span) -> [ChatMessage] {
    for source in sources {
      let m = read(source, span)
      if !m.isEmpty { return m }
    }
    return []
  }

  private static func read(_ source: MessageSource, _ span: Span) -> [ChatMessage] {
    switch source {
    case .messageList(let key):
      guard let v = span.attributes[key], let json = JSONValue(attribute: v) else { return [] }
      return messages(json) ?? []
    case .text(let key, let role):
      guard let v = span.attributes[key] else { return [] }
      return fromText(v, role: role)
    case .eventText(let event, let key, let role):
      guard let v = span.events.first(where: { $0.name == event })?.attributes[key] else { return [] }
      return fromText(v, role: role)
    case .openInferenceIndexed(let prefix):
      return openInference(span.attributes, prefix: prefix)
    case .openLLMetryIndexed(let prefix):
      return openLLMetry(span.attributes, prefix: prefix)
    case .indexedText(let prefix, let suffix, let role):
      return Indexed(span.attributes, prefix: prefix).items.compactMap { _, fields in
        fields[String(suffix.dropFirst())]?.text.map { ChatMessage(role: role, parts: [.text($0)]) }
      }
    case .messageEvents(let names):
      return span.events.filter { names.contains($0.name) }.compactMap(eventMessage)
    }
  }

  // MARK: - Text and JSON

  /// A value that may be a message list in JSON, or just text.
  private static func fromText(_ v: AnyValue, role: String) -> [ChatMessage] {
    var v = v
    // Langfuse's Python SDK JSON-quotes plain strings.
    if case .string(let s) = v, s.hasPrefix("\""), case .string(let inner)? = JSONValue.parse(s) { v = .string(inner) }
    if let json = JSONValue(attribute: v) {
      if let m = messages(json), !m.isEmpty { return m }
      if case .string(let s) = json { return s.isEmpty ? [] : [ChatMessage(role: role, parts: [.text(s)])] }
    }
    guard let s = v.text ?? JSONValue(attribute: v).map(jsonText), !s.isEmpty else { return [] }
    return [ChatMessage(role: role, parts: [.text(s)])]
  }

  /// Messages from JSON in any of the common shapes; `nil` when it is none of them.
  static func messages(_ json: JSONValue) -> [ChatMessage]? {
    switch json {
    case .array(let items):
      let m = items.compactMap(message)
      return m.isEmpty && !items.isEmpty ? nil : m
    case .object:
      if let inner = json["messages"] ?? json["choices"] ?? json["message"].map({ JSONValue.array([$0]) }) { return messages(inner) }
      return message(json).map { [$0] }
    default: return nil
    }
  }

  /// One message object: OTel parts, a choice wrapper, or role + content (OpenAI, trpc).
  private static func message(_ json: JSONValue) -> ChatMessage? {
    guard case .object = json else { return nil }
    let finish = (json["finish_reason"]?.string).map(normalizedFinish)
    if let inner = json["message"] ?? json["delta"], case .object = inner, json["role"] == nil {
      guard var m = message(inner) else { return nil }
      if let finish { m.finishReason = finish }
      if m.role.isEmpty { m.role = "assistant" }
      return m
    }
    guard json["role"] != nil || json["parts"] != nil || json["content"] != nil else { return nil }
    let role = json["role"]?.string ?? ""
    var parts: [MessagePart] = []
    if case .array(let ps)? = json["parts"] {
      parts = ps.compactMap(part)
    } else {
      if let r = json["reasoning_content"]?.string, !r.isEmpty { parts.append(.reasoning(r)) }
      switch json["content"] {
      case .string(let s)?:
        if role == "tool" {
          parts.append(.toolResult(id: json["tool_call_id"]?.string ?? json["id"]?.string, response: s))
        } else if !s.isEmpty {
          parts.append(.text(s))
        }
      case .array(let items)?: parts += items.compactMap(part)
      case let other?: if other != .null { parts.append(.text(jsonText(other))) }
      case nil: break
      }
      if case .array(let ps)? = json["content_parts"], parts.isEmpty { parts += ps.compactMap(part) }
      if case .array(let calls)? = json["tool_calls"] { parts += calls.compactMap(toolCall) }
    }
    return ChatMessage(role: role, name: json["name"]?.string, parts: parts, finishReason: finish)
  }

  /// One part: OTel part types, OpenAI content parts (`{type:"text", text}`), or a bare string.
  private static func part(_ json: JSONValue) -> MessagePart? {
    if case .string(let s) = json { return .text(s) }
    guard case .object = json else { return nil }
    let type = json["type"]?.string ?? "text"
    switch type {
    case "text", "input_text", "output_text", "refusal":
      return .text(json["content"]?.string ?? json["text"]?.string ?? json["refusal"]?.string ?? "")
    case "reasoning", "thinking": return .reasoning(json["content"]?.string ?? json["text"]?.string ?? "")
    case "tool_call", "server_tool_call", "function_call":
      return .toolCall(
        id: json["id"]?.string, name: json["name"]?.string ?? "", arguments: json["arguments"].map(jsonText) ?? "")
    case "tool_call_response", "server_tool_call_response", "function_call_output":
      return .toolResult(id: json["id"]?.string, response: (json["response"] ?? json["result"] ?? json["output"]).map(jsonText) ?? "")
    case "blob":
      let modality = json["modality"]?.string ?? "blob"
      return .media(type: "blob", detail: [modality, json["mime_type"]?.string].compactMap { $0 }.joined(separator: " "))
    case "file": return .media(type: "file", detail: json["file_id"]?.string ?? "")
    case "uri": return .media(type: "uri", detail: json["uri"]?.string ?? "")
    case "image_url":
      return .media(type: "uri", detail: json["image_url"]?["url"]?.string ?? json["image_url"]?.string ?? "")
    default: return .other(type: type, json: jsonText(json))
    }
  }

  /// An OpenAI-style tool call: `{id, type, function:{name, arguments}}` or flat `{id, name, arguments}`.
  private static func toolCall(_ json: JSONValue) -> MessagePart? {
    guard case .object = json else { return nil }
    let fn = json["function"] ?? json
    return .toolCall(id: json["id"]?.string, name: fn["name"]?.string ?? "", arguments: fn["arguments"].map(jsonText) ?? "")
  }

  private static func systemParts(_ v: AnyValue) -> [MessagePart]? {
    guard let json = JSONValue(attribute: v) else { return nil }
    switch json {
    case .string(let s): return s.isEmpty ? [] : [.text(s)]
    case .array(let items): return items.compactMap(part)
    default: return [.text(jsonText(json))]
    }
  }

  static func normalizedFinish(_ s: String) -> String { s == "tool_calls" ? "tool_call" : s }

  /// JSON text of a value; strings as they are.
  static func jsonText(_ v: JSONValue) -> String {
    if case .string(let s) = v { return s }
    var w = JSONWriter()
    write(v, &w)
    return w.string
  }

  private static func write(_ v: JSONValue, _ w: inout JSONWriter) {
    switch v {
    case .string(let s): w.string(s)
    case .number(let d): d == d.rounded() && abs(d) < 1e15 ? w.int(Int64(d)) : w.double(d)
    case .bool(let b): w.bool(b)
    case .null: w.raw("null")
    case .array(let items):
      w.byte(UInt8(ascii: "["))
      for (i, x) in items.enumerated() {
        if i > 0 { w.byte(UInt8(ascii: ",")) }
        write(x, &w)
      }
      w.byte(UInt8(ascii: "]"))
    case .object(let members):
      w.byte(UInt8(ascii: "{"))
      for (i, (k, x)) in members.enumerated() {
        if i > 0 { w.byte(UInt8(ascii: ",")) }
        w.string(k)
        w.byte(UInt8(ascii: ":"))
        write(x, &w)
      }
      w.byte(UInt8(ascii: "}"))
    }
  }

  // MARK: - Flattened attributes

  /// Attributes `prefix{i}.rest` grouped by index i (digits only), in index order.
  struct Indexed {
    var items: [(Int, [String: AnyValue])] = []
    init(_ attrs: [KeyValue], prefix: String) {
      var groups: [Int: [String: AnyValue]] = [:]
      for kv in attrs where kv.key.hasPrefix(prefix) {
        let rest = kv.key.dropFirst(prefix.count)
        guard let dot = rest.firstIndex(of: "."), let i = Int(rest[..<dot]), rest[..<dot].allSatisfy(\.isNumber) else { continue }
        groups[i, default: [:]][String(rest[rest.index(after: dot)...])] = kv.value
      }
      items = groups.keys.sorted().map { ($0, groups[$0]!) }
    }
  }

  /// Sub-groups `sub{j}.rest` of one flattened message.
  private static func subIndexed(_ fields: [String: AnyValue], _ sub: String) -> [[String: AnyValue]] {
    Indexed(fields.map { KeyValue(key: $0.key, value: $0.value) }, prefix: sub).items.map(\.1)
  }

  private static func openInference(_ attrs: [KeyValue], prefix: String) -> [ChatMessage] {
    Indexed(attrs, prefix: prefix).items.map { _, f in
      let role = f["message.role"]?.text ?? ""
      var parts: [MessagePart] = []
      if let content = f["message.content"]?.text {
        if role == "tool" {
          parts.append(.toolResult(id: f["message.tool_call_id"]?.text, response: content))
        } else if !content.isEmpty {
          parts.append(.text(content))
        }
      }
      for c in subIndexed(f, "message.contents.") {
        switch c["message_content.type"]?.text {
        case "image": parts.append(.media(type: "uri", detail: c["message_content.image.image.url"]?.text ?? ""))
        default: if let t = c["message_content.text"]?.text { parts.append(.text(t)) }
        }
      }
      for t in subIndexed(f, "message.tool_calls.") {
        parts.append(
          .toolCall(
            id: t["tool_call.id"]?.text, name: t["tool_call.function.name"]?.text ?? "",
            arguments: t["tool_call.function.arguments"]?.text ?? ""))
      }
      return ChatMessage(role: role, name: f["message.name"]?.text, parts: parts)
    }
  }

  private static func openLLMetry(_ attrs: [KeyValue], prefix: String) -> [ChatMessage] {
    Indexed(attrs, prefix: prefix).items.compactMap { _, f in
      guard f["role"] != nil || f["content"] != nil || f["tool_calls.0.name"] != nil else { return nil }
      let role = f["role"]?.text ?? ""
      var parts: [MessagePart] = []
      if let content = f["content"] {
        let text = content.text ?? JSONValue(attribute: content).map(jsonText) ?? ""
        if role == "tool" {
          parts.append(.toolResult(id: f["tool_call_id"]?.text, response: text))
        } else if let json = JSONValue(attribute: content), case .array(let items) = json {
          parts += items.compactMap(part)
        } else if !text.isEmpty {
          parts.append(.text(text))
        }
      }
      for t in subIndexed(f, "tool_calls.") {
        parts.append(.toolCall(id: t["id"]?.text, name: t["name"]?.text ?? "", arguments: t["arguments"]?.text ?? ""))
      }
      return ChatMessage(role: role, parts: parts, finishReason: f["finish_reason"]?.text.map(normalizedFinish))
    }
  }

  /// An OTel 1.28–1.36 message event; its body fields arrive as attributes.
  private static func eventMessage(_ e: SpanEvent) -> ChatMessage? {
    var fields: [(String, JSONValue)] = []
    for kv in e.attributes {
      if let v = JSONValue(attribute: kv.value) { fields.append((kv.key, v)) }
    }
    let body = JSONValue.object(fields)
    if e.name == "gen_ai.choice" {
      var m = message(body) ?? ChatMessage(role: "assistant", parts: [])
      if m.role.isEmpty { m.role = "assistant" }
      if case .array(let calls)? = body["tool_calls"], !m.parts.contains(where: { if case .toolCall = $0 { true } else { false } }) {
        m.parts += calls.compactMap(toolCall)
      }
      return m
    }
    let role = String(e.name.dropFirst("gen_ai.".count).dropLast(".message".count))
    var m = message(body) ?? ChatMessage(role: role, parts: [])
    if m.role.isEmpty { m.role = role }
    return m
  }
}
