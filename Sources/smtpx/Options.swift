import ArgumentParser
import Batch
import CursesUI
import Explorer
import Foundation
import SMTPCore
import SMTPKnowledge

// The options and helpers the subcommands share.

enum LanguageOption: String, ExpressibleByArgument, CaseIterable {
    case en, zh
    var language: Language { self == .zh ? .zh : .en }
}

enum FormatOption: String, ExpressibleByArgument, CaseIterable {
    case text, jsonl, markdown
    var format: BatchFormat { BatchFormat(rawValue: rawValue) ?? .text }
}

extension Scenario {
    /// Every scenario's name, for help texts and errors.
    static let names = allCases.map(\.rawValue).joined(separator: ", ")

    /// The scenarios named by `--scenario`; an unknown name is a usage error that lists them all.
    static func parse(_ names: [String]) throws -> Set<Scenario> {
        Set(try names.map { name in
            guard let scenario = Scenario(rawValue: name) else {
                throw ValidationError("Unknown scenario '\(name)'. Scenarios: \(Self.names).")
            }
            return scenario
        })
    }
}

/// Runs a full-screen controller (the explorer, replay): a terminal it cannot take is reported
/// on standard error with status 1; a signal that ended it becomes the exit status.
func runOnScreen(_ run: () throws -> Int32) throws {
    // A LANG naming a locale the machine lacks falls back to a UTF-8 one; said here when none exists.
    if let warning = TerminalLocale.adopt() { FileHandle.standardError.write(Data((warning + "\n").utf8)) }
    let status: Int32
    do {
        status = try run()
    } catch {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        throw ExitCode(1)
    }
    if status != 0 { throw ExitCode(status) }
}
