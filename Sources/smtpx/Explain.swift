import ArgumentParser
import Foundation
import SMTPCore
import SMTPKnowledge

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain a reply code, an enhanced status code, a whole reply, an EHLO keyword, a verb or a SASL mechanism.",
        discussion: """
        Examples:
          smtpx explain 550
          smtpx explain 5.7.26
          smtpx explain 550 5.1.1
          smtpx explain "SIZE 35882577"
          smtpx explain "AUTH PLAIN LOGIN"
          smtpx explain RCPT
          smtpx explain "MAIL FROM: <a@b.example>"
          smtpx explain CRAM-MD5
          smtpx explain --pop3 RETR
          smtpx explain "-ERR [IN-USE] maildrop locked"
          pbpaste | smtpx explain -        (a whole multi-line reply from stdin)

        Exit status: 0 when everything was recognized, 1 when something could only be
        decomposed (an unregistered code, an unknown keyword).
        """
    )

    @Argument(parsing: .allUnrecognized, help: "What to explain. \"-\" reads a reply from standard input.")
    var things: [String]

    @Option(help: "Language: en or zh. Default: from LC_ALL, LC_MESSAGES or LANG.")
    var lang: LanguageOption?

    @Flag(help: "Print JSON for tools instead of text.")
    var json = false

    @Flag(help: "Take commands as POP3's (QUIT, NOOP, RSET, AUTH are both SMTP's and POP3's).")
    var pop3 = false

    @Option(help: "Wrap text at this many columns (default: the terminal's width, or 80).")
    var width: Int?

    func validate() throws {
        if let width, width < 20 { throw ValidationError("--width must be at least 20.") }
        if things.isEmpty { throw ValidationError("Say what to explain, for example: smtpx explain 550") }
        // Unknown words that start with "-" are things (a pasted "-ERR …"); "--" ones are mistakes.
        if let option = things.first(where: { $0.hasPrefix("--") }) { throw ValidationError("Unknown option '\(option)'.") }
    }

    func run() throws {
        let language = lang?.language ?? Language.fromEnvironment()
        let explainer = Explainer(language: language)
        var inputs = Explainer.things(from: things)
        if inputs == ["-"] {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            inputs = [String(decoding: data, as: UTF8.self)]
        }
        let explanations = inputs.map { input -> Explanation in
            let text = input.trimmingCharacters(in: .whitespacesAndNewlines)
            if pop3, let verb = POP3Verb(keyword: String(text.prefix { $0 != " " })) {
                let command = POP3Command(parsing: text)
                return command.argument.isEmpty ? explainer.explain(pop3Verb: verb)
                                                : explainer.explain(pop3Line: command, findings: command.syntaxFindings)
            }
            return explainer.explain(input)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(explanations)
            print(VisibleText.jsonSafe(String(decoding: data, as: UTF8.self)))
        } else {
            let columns = width ?? TerminalSize.columns() ?? 80
            let style = TextStyle.forStandardOutput()
            for (index, explanation) in explanations.enumerated() {
                if index > 0 { print("") }
                for line in ExplanationLayout.lines(explanation, width: columns, language: language) {
                    print(style.render(line.sanitized))
                }
            }
        }
        if explanations.contains(where: { !$0.recognized }) { throw ExitCode(1) }
    }
}
