/// Why a store could not be opened or used, in words for the person running llmscope.
public struct StoreError: Error, CustomStringConvertible, Sendable {
  public var path: String
  public var message: String
  public var hint: String?

  public var description: String {
    var s = "\(path): \(message)"
    if let hint { s += "\n  hint: \(hint)" }
    return s
  }

  static func notAStore(_ path: String, _ why: String) -> StoreError {
    StoreError(path: path, message: "not an llmscope store (\(why))", hint: "pass --store with a file made by `llmscope ingest`, or a new path")
  }

  static func tooNew(_ path: String, version: Int64) -> StoreError {
    StoreError(
      path: path, message: "store schema version \(version) was written by a newer llmscope; this build reads versions up to \(Schema.version)",
      hint: "upgrade llmscope; the store was left unchanged")
  }

  static func corrupt(_ path: String, _ detail: String) -> StoreError {
    StoreError(path: path, message: "the store is damaged (\(detail))", hint: "restore it from a backup or re-ingest into a new store; it was left unchanged")
  }

  static func missing(_ path: String) -> StoreError {
    StoreError(path: path, message: "no store here", hint: "run `llmscope ingest --store \(path) FILE…` first")
  }
}
