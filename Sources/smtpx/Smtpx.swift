import ArgumentParser

@main
struct Smtpx: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smtpx",
        abstract: "A terminal SMTP conversation explorer: type SMTP, see every byte, read what it means.",
        subcommands: [Explain.self]
    )

    func run() throws {
        print("""
        smtpx — an SMTP conversation explorer.

        The full-screen explorer is not built yet. What works now:

          smtpx explain 550 5.1.1            a reply code with its enhanced code
          smtpx explain "SIZE 35882577"      an EHLO keyword with its parameter
          smtpx explain RCPT                 a verb: syntax, purpose, replies
          smtpx explain --lang zh 454 4.7.0  in Simplified Chinese
          smtpx explain --json PLAIN         as JSON, for tools

        Run `smtpx explain --help` for more.
        """)
    }
}
