import Dispatch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Speaks ClickHouse's HTTP interface: a query per request, in the body, with `{name:Type}`
/// placeholders bound by `param_name` (the server substitutes them, so user input is never
/// pasted into SQL).
public final class ClickHouseClient: Sendable {
  public let location: ClickHouseLocation
  private let session: URLSession

  public init(_ location: ClickHouseLocation) {
    self.location = location
    let config = URLSessionConfiguration.ephemeral
    config.timeoutIntervalForRequest = 300
    session = URLSession(configuration: config)
  }

  /// Runs `sql` with `params` bound to its placeholders, `body` appended after it (the data
  /// of an INSERT); returns the response body.
  public func query(_ sql: String, params: [String: String] = [:], data body: [UInt8] = []) throws(ClickHouseError) -> [UInt8] {
    var components = URLComponents(string: location.endpoint)!
    var items = [URLQueryItem(name: "database", value: location.database)]
    for k in params.keys.sorted() { items.append(URLQueryItem(name: "param_" + k, value: params[k])) }
    if !body.isEmpty { items.append(URLQueryItem(name: "query", value: sql)) }
    components.queryItems = items
    // `+` is a space to a form decoder: encode it like every other reserved character.
    components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
    var request = URLRequest(url: components.url!)
    request.httpMethod = "POST"
    request.setValue(location.user, forHTTPHeaderField: "X-ClickHouse-User")
    if !location.password.isEmpty { request.setValue(location.password, forHTTPHeaderField: "X-ClickHouse-Key") }
    request.httpBody = body.isEmpty ? Data(sql.utf8) : Data(body)

    let done = DispatchSemaphore(value: 0)
    let result = ResultBox()
    let task = session.dataTask(with: request) { data, response, error in
      result.set(data, response as? HTTPURLResponse, error)
      done.signal()
    }
    task.resume()
    done.wait()
    let (data, response, error) = result.get()
    if let error {
      throw ClickHouseError(
        message: "cannot reach ClickHouse at \(location.description): \(error.localizedDescription)",
        hint: "check that the server is running and that host, port and TLS (clickhouses://) are right")
    }
    guard let response else { throw ClickHouseError(message: "no answer from ClickHouse at \(location.description)", hint: nil) }
    let bytes = [UInt8](data ?? Data())
    guard response.statusCode == 200 else {
      let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
      let code = (response.value(forHTTPHeaderField: "X-ClickHouse-Exception-Code")).flatMap { Int($0) }
      throw Self.explain(code: code, status: response.statusCode, text: text, location)
    }
    return bytes
  }

  /// An `Array(String)` parameter's text: quoted, with quotes and backslashes escaped.
  static func arrayParameter(_ items: [String]) -> String {
    "[" + items.map { "'" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'" }.joined(separator: ",") + "]"
  }

  /// Runs the SELECT `sql` and reads its answer, a JSON array per row. No setting is
  /// changed, so read-only users can run it; values that need all 64 bits (nanosecond times)
  /// are selected as text, since servers differ in whether they quote 64-bit integers.
  func rows(_ sql: String, params: [String: String] = [:]) throws(ClickHouseError) -> [[JSONValue]] {
    let text = String(decoding: try query(sql + " FORMAT JSONCompactEachRow", params: params), as: UTF8.self)
    var out: [[JSONValue]] = []
    for line in text.split(separator: "\n") {
      guard case .array(let row)? = JSONValue.parse(String(line)) else {
        throw ClickHouseError(message: "\(location.description) sent a row llmscope cannot read: \(line.prefix(200))", hint: nil)
      }
      out.append(row)
    }
    return out
  }

  /// ClickHouse's error as a message naming the store and what to check.
  static func explain(code: Int?, status: Int, text: String, _ l: ClickHouseLocation) -> ClickHouseError {
    switch code {
    case 516?, 192?, 194?:
      return ClickHouseError(
        message: "ClickHouse at \(l.description) refused the credentials: \(text)",
        hint: "set LLMSCOPE_CLICKHOUSE_USER and LLMSCOPE_CLICKHOUSE_PASSWORD", code: code)
    case 60?, 81?:
      return ClickHouseError(
        message: "no table \(l.database).\(l.table) at \(l.description): \(text)",
        hint: "check the database and ?table= of --store, or run `llmscope ingest --store …` to create it", code: code)
    default:
      return ClickHouseError(message: "ClickHouse at \(l.description) answered HTTP \(status): \(text)", hint: nil, code: code)
    }
  }
}

/// What a URLSession completion handler hands back to the waiting caller.
private final class ResultBox: @unchecked Sendable {
  private let lock = NSLock()
  private var value: (Data?, HTTPURLResponse?, Error?) = (nil, nil, nil)
  func set(_ d: Data?, _ r: HTTPURLResponse?, _ e: Error?) { lock.withLock { value = (d, r, e) } }
  func get() -> (Data?, HTTPURLResponse?, Error?) { lock.withLock { value } }
}
