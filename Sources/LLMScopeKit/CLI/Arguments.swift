/// A command-line usage mistake; the CLI prints it with the command's usage and exits 2.
public struct UsageError: Error, CustomStringConvertible, Sendable {
  public var message: String
  public var description: String { message }
}

/// Parsed arguments of one command: `--name value` options, `--flag`s and positionals.
struct Arguments {
  /// Every value given to each option, in order (an option may be repeated).
  private(set) var options: [String: [String]] = [:]
  private(set) var flags: Set<String> = []
  private(set) var positionals: [String] = []

  /// Parses `args` given the options that take a value and the flags the command knows.
  /// Accepts `--name value` and `--name=value`; `--` ends options; `-` is a positional.
  init(_ args: [String], options known: Set<String>, flags knownFlags: Set<String>) throws(UsageError) {
    var i = 0
    var onlyPositionals = false
    while i < args.count {
      let a = args[i]
      i += 1
      if onlyPositionals || !a.hasPrefix("-") || a == "-" {
        positionals.append(a)
        continue
      }
      if a == "--" {
        onlyPositionals = true
        continue
      }
      var name = a
      var inline: String?
      if let eq = a.firstIndex(of: "=") {
        name = String(a[..<eq])
        inline = String(a[a.index(after: eq)...])
      }
      if knownFlags.contains(name) {
        guard inline == nil else { throw UsageError(message: "\(name) takes no value") }
        flags.insert(name)
      } else if known.contains(name) {
        if let inline {
          options[name, default: []].append(inline)
        } else {
          guard i < args.count else { throw UsageError(message: "\(name) needs a value") }
          options[name, default: []].append(args[i])
          i += 1
        }
      } else {
        let all = (known.union(knownFlags)).sorted().joined(separator: ", ")
        throw UsageError(message: "unknown option \(name) (this command knows: \(all))")
      }
    }
  }

  func has(_ flag: String) -> Bool { flags.contains(flag) }
  /// The option's value; the last one when it was given more than once.
  subscript(option: String) -> String? { options[option]?.last }
  /// Every value of a repeatable option.
  func values(_ option: String) -> [String] { options[option] ?? [] }
}
