import ArgumentParser
import Foundation
import SMTPCore

@main
struct Smtpx: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smtpx",
        abstract: "A terminal SMTP conversation explorer: type SMTP, see every byte, read what it means.",
        discussion: """
        smtpx                  the explorer on its built-in practice server
        smtpx HOST [PORT]      the explorer on a server (port 25; 465 with --tls)
        smtpx serve            the practice server alone, for a class
        smtpx explain THING    explain a code, reply, keyword, verb, mechanism, port or topic
        smtpx route ADDRESS    how mail for an address is routed: CNAME, MX, addresses
        smtpx probe DOMAIN     a mail server's report card: TLS, relay, DANE, MTA-STS
        smtpx learn [N]        guided lessons on the practice server
        smtpx quiz             what replies mean, as questions
        smtpx replay FILE      step through a recorded session
        ... | smtpx [HOST]     batch mode: the transcript on standard output

        Batch mode exits with:
          0  every reply was 2xx or 3xx      4  the worst reply was 4xx
          5  a reply was 5xx                 2  the connection or TLS failed
          3  --timeout: no reply in time     6  --require-tls could not be met
          1  a problem with the script, its secret, or --record
          64 a bad argument or a file smtpx cannot use
        """,

        subcommands: [Explore.self, Serve.self, Explain.self, Route.self, ProbeCommand.self, Learn.self, QuizCommand.self, Replay.self],
        defaultSubcommand: Explore.self
    )

    /// As ArgumentParser's own, except that a `ValidationError` from a subcommand's `run` (a
    /// file it cannot read or write) is reported alone: the usage printed with it would be the
    /// root's, not the subcommand's.
    static func main() {
        StartupTrace.begin()
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        StartupTrace.mark("options parsed")
        do {
            try command.run()
        } catch let error as ValidationError {
            FileHandle.standardError.write(Data("Error: \(error.message)\n".utf8))
            exit(withError: ExitCode(64))
        } catch {
            exit(withError: error)
        }
    }
}
