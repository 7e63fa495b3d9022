import Foundation
import SMTPCore

// Benchmarks that print figures. Run with a release build:
//   swift run -c release smtpx-bench [parser|render|replay|all]

let arguments = Array(CommandLine.arguments.dropFirst())
let which = arguments.first ?? "all"
let known = ["parser", "render", "replay", "all"]
guard known.contains(which) else {
    FileHandle.standardError.write(Data("usage: smtpx-bench [\(known.joined(separator: "|"))]\n".utf8))
    exit(2)
}
if which == "parser" || which == "all" { ParserBenchmark.run() }
if which == "render" || which == "all" { RenderBenchmark.run() }
if which == "replay" || which == "all" { ReplayBenchmark.run() }
