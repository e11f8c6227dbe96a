#if canImport(Glibc)
import Glibc
#endif

/// The `llmscope` command: parses arguments, runs a command, returns the exit status
/// (0 ok, 1 failure, 2 usage error).
public enum CommandLineTool {
  public static let version = "0.1.0"

  static let commands: [Command] = [IngestCommand(), SummaryCommand(), BuildCommand(), TraceCommand(), IncidentCommand(), VerifyCommand()]

  static var usage: String {
    var s = """
      llmscope \(version): turn the OpenTelemetry spans of LLM applications into figures and static sites.

      Usage: llmscope COMMAND [OPTIONS]

      Commands:

      """
    for c in commands { s += "  " + c.name.padding(10) + c.summary + "\n" }
    s += "\nRun `llmscope COMMAND --help` for a command's options.\n"
    return s
  }

  public static func run(_ args: [String], console: Console = .standard) -> Int32 {
    guard let first = args.first else {
      console.err(usage)
      return 2
    }
    switch first {
    case "--help", "-h", "help":
      if first == "help", args.count > 1, let c = commands.first(where: { $0.name == args[1] }) {
        console.out(c.help)
      } else {
        console.out(usage)
      }
      return 0
    case "--version", "-V":
      console.out("llmscope \(version)\n")
      return 0
    default: break
    }
    guard let command = commands.first(where: { $0.name == first }) else {
      console.err("error: unknown command '\(first)'\n\n" + usage)
      return 2
    }
    let rest = Array(args.dropFirst())
    if rest.contains("--help") || rest.contains("-h") {
      console.out(command.help)
      return 0
    }
    do {
      return try command.run(rest, console: console)
    } catch let e as UsageError {
      console.err("error: \(e.message)\n\n\(command.help)")
      return 2
    } catch {
      console.err("error: \(error)\n")
      return 1
    }
  }
}

/// One subcommand.
protocol Command: Sendable {
  var name: String { get }
  var summary: String { get }
  var help: String { get }
  func run(_ args: [String], console: Console) throws -> Int32
}

extension String {
  func padding(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
}
